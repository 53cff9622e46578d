"""Re-authentication after ``GONGKAI_REAUTH_HOURS`` from sign-in, however active the user
has been (security.md, "Identity and access"), and the gate in front of every staff and admin
page (second factor, password age, mandatory enrolment). Idle logout needs no code: the session
expires ``SESSION_COOKIE_AGE`` seconds after the last request (``SESSION_SAVE_EVERY_REQUEST``)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .decorators import LOGIN_URL, staff_gate
from .signals import LOGIN_AT_SESSION_KEY, LOGOUT_REASON_ATTR


class ReauthenticationMiddleware:
    """Signs the user out once the sign-in is older than the limit; the request then goes on
    as anonymous, so a staff page sends them to the login page with ``next`` set.

    Placed after AuthenticationMiddleware (it needs ``request.user``) and after
    MessageMiddleware (it leaves a note for the login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._expired(request):
            setattr(request, LOGOUT_REASON_ATTR, "reauthenticate")
            logout(request)
            messages.info(
                request,
                _("为保障账号安全，登录已超过%(hours)d小时，请重新登录。")
                % {"hours": settings.GONGKAI_REAUTH_HOURS},
            )
        return self.get_response(request)

    @staticmethod
    def _expired(request) -> bool:
        login_at = request.session.get(LOGIN_AT_SESSION_KEY)
        # A session without the stamp predates this check (or was made without login()):
        # treat it as too old rather than let it live for ever.
        if not isinstance(login_at, (int, float)):
            return True
        return time.time() - login_at > settings.GONGKAI_REAUTH_HOURS * 3600


# URL namespaces of the pages behind the gate: the workbench (which includes the assessment's
# staff pages), the accounts pages themselves (password change, enrolment) and the Django admin.
GATED_NAMESPACES = frozenset({"workbench", "accounts", "admin"})


class StaffGateMiddleware:
    """Applies :func:`~gongkai.accounts.decorators.staff_gate` to every staff and admin page,
    so neither a view without ``staff_required`` nor the admin escapes it.

    The admin's own login form would sign in with the password alone; it sends people to the
    staff sign-in instead, so there is one way in, with lockout, second factor and password age.

    Placed after django-otp's OTPMiddleware (the gate reads ``request.user.otp_device``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not GATED_NAMESPACES.intersection(match.namespaces):
            return None
        if match.view_name == "admin:login":
            return self._admin_login(request)
        return staff_gate(request)

    @staticmethod
    def _admin_login(request):
        if request.user.is_authenticated:
            # signed in but not allowed into the admin (Django sends such users here)
            raise PermissionDenied
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index")
        return redirect_to_login(next_url, login_url=LOGIN_URL)
