"""Gate for the staff workbench: signed in, and holding a staff role (or superuser)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from gongkai.agencies.models import StaffRole

LOGIN_URL = "accounts:login"


def is_staff_member(user) -> bool:
    """True for a signed-in, active user who holds at least one staff role or is a superuser."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or StaffRole.objects.filter(user=user).exists()


def staff_required(view):
    """Anonymous users go to the login page (``?next=`` kept); signed-in users without a
    staff role get "not found", as for anything out of their scope (security.md)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=LOGIN_URL)
        if not is_staff_member(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


class StaffRequiredMixin:
    """Class-based-view form of :func:`staff_required`; list it first among the bases."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=LOGIN_URL)
        if not is_staff_member(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
