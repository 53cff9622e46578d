"""Staff sign-in pages: login, logout, password change (Django's views, our forms and templates)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from .forms import StaffAuthenticationForm, StaffPasswordChangeForm, lockout_minutes
from .network import client_ip


class SignInPageMixin:
    """What the sign-in templates show besides the form."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            # LoginView puts the request's host name here; the site's own name is wanted
            "site_name": settings.GONGKAI_SITE_NAME,
            "idle_minutes": settings.GONGKAI_IDLE_MINUTES,
            "home_url": resolve_url(settings.LOGIN_REDIRECT_URL),
        }


class StaffLoginView(SignInPageMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET, so a link or an image cannot sign anyone out)."""

    next_page = reverse_lazy("accounts:login")

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("您已安全退出。"))
        return response


class StaffPasswordChangeView(SignInPageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StaffPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        audit_record(
            actor=user,
            action="user_password_change",
            obj=user,
            after={"username": user.get_username(), "ip": client_ip(self.request)},
        )
        return response


class StaffPasswordChangeDoneView(SignInPageMixin, auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: what a locked-out login attempt gets back (status 429).

    On our login page the form has already said why (StaffAuthenticationForm), so its page
    is kept. Elsewhere (the admin login) the login page is shown with the same message."""
    status = 429
    if original_response is not None and getattr(original_response, "status_code", None) == 200:
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name == "accounts:login":
            original_response.status_code = status
            return original_response
    form = StaffAuthenticationForm(request, initial={"username": (credentials or {}).get("username", "")})
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "lockout_message": _lockout_message(),
            "idle_minutes": settings.GONGKAI_IDLE_MINUTES,
        },
        status=status,
    )


def _lockout_message() -> str:
    return StaffAuthenticationForm.error_messages["locked_out"] % {"minutes": lockout_minutes()}
