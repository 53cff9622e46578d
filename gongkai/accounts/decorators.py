"""Gate for the staff workbench: signed in, holding a staff role (or superuser), and with
nothing left to do first (second factor, a due password change, a mandatory enrolment)."""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .policy import Requirement, counts_as_staff, is_staff_member, pending_requirement
from .signals import LOGOUT_REASON_ATTR

__all__ = ["is_staff_member", "staff_account_required", "staff_gate", "staff_required", "StaffRequiredMixin"]

LOGIN_URL = "accounts:login"

# Views open to a signed-in user whatever is pending (signing in and out).
OPEN_VIEWS = frozenset({"accounts:login", "accounts:login_code", "accounts:logout", "admin:logout"})
# The one page each requirement leaves open.
REQUIREMENT_VIEWS = {
    Requirement.PASSWORD_CHANGE: frozenset({"accounts:password_change"}),
    Requirement.ENROLMENT: frozenset({"accounts:two_factor"}),
    Requirement.SECOND_FACTOR: frozenset(),
}
_GATE_ATTR = "_gongkai_staff_gate"


def staff_gate(request):
    """A redirect when the signed-in user must do something first, else None.

    A session that has not used the user's second factor (one opened before the device was
    enrolled, or by code that signs in without the sign-in pages) is ended: the user signs in
    again, with the code. Called by :class:`~gongkai.accounts.middleware.StaffGateMiddleware`
    for every staff and admin page and by :func:`staff_required`; worked out once per request."""
    if not hasattr(request, _GATE_ATTR):
        setattr(request, _GATE_ATTR, _gate(request))
    return getattr(request, _GATE_ATTR)


def _gate(request):
    if not request.user.is_authenticated:
        return None
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    if view_name in OPEN_VIEWS:
        return None
    requirement = pending_requirement(request.user)
    if requirement is None or view_name in REQUIREMENT_VIEWS[requirement]:
        return None
    if requirement is Requirement.SECOND_FACTOR:
        setattr(request, LOGOUT_REASON_ATTR, "second_factor")
        logout(request)
        messages.info(request, _("该账号已启用两步验证，请重新登录并输入动态验证码。"))
        return redirect_to_login(request.get_full_path(), login_url=LOGIN_URL)
    if requirement is Requirement.PASSWORD_CHANGE:
        return redirect("accounts:password_change")
    return redirect("accounts:two_factor")


def _next_url(request) -> str:
    """Where to return after signing in. A form sent after the session ended (idle sign-out)
    returns to the page it was on, where drafts.js gives the typed text back; its action URL
    takes POST only."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


def _signed_in_staff(view, is_allowed):
    """``view`` for signed-in users who pass the staff gate and ``is_allowed``: anonymous users
    go to the login page (``?next=`` kept), anyone else gets "not found" (security.md)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_next_url(request), login_url=LOGIN_URL)
        gate = staff_gate(request)
        if gate is not None:
            return gate
        if not is_allowed(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def staff_required(view):
    """Anonymous users go to the login page (``?next=`` kept); signed-in users without a
    staff role get "not found", as for anything out of their scope (security.md)."""
    return _signed_in_staff(view, is_staff_member)


def staff_account_required(view):
    """For the staff member's own account pages (the second factor): like
    :func:`staff_required`, but also open to admin-only users, whom the sign-in rules cover too."""
    return _signed_in_staff(view, counts_as_staff)


class StaffRequiredMixin:
    """Class-based-view form of :func:`staff_required`; list it first among the bases."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(_next_url(request), login_url=LOGIN_URL)
        gate = staff_gate(request)
        if gate is not None:
            return gate
        if not is_staff_member(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
