"""Staff sign-in pages: login (password, then the code when the user has a second factor),
logout, password change, and the second factor's own page (enrol, turn off)."""

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from gongkai.core.audit import audit_record

from . import policy, services, signin
from .decorators import staff_account_required
from .forms import (
    OTPTokenForm,
    StaffAuthenticationForm,
    StaffPasswordChangeForm,
    TwoFactorDisableForm,
    lockout_minutes,
)
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

    def form_valid(self, form):
        """A user with a second factor is not signed in yet: the code step follows."""
        user = form.get_user()
        if policy.confirmed_device(user) is None:
            return super().form_valid(form)
        signin.second_step_start(self.request, user=user, next_url=self.get_success_url())
        return redirect("accounts:login_code")


@never_cache
@csrf_protect
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second sign-in step: the code from the authenticator app.

    A wrong code is a failed sign-in like a wrong password: audited, and counted by axes against
    the (username, address) pair, whose lockout then shows the login page (status 429)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    pending = signin.second_step_pending(request)
    if pending is None:
        messages.info(request, _("请输入用户名和密码登录。若刚才已输入，可能已超时，请重新登录。"))
        return redirect("accounts:login")
    credentials = {"username": pending.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        signin.second_step_clear(request)
        return lockout_response(request, credentials=credentials)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_sign_in_verify(user=pending.user, token=form.cleaned_data["otp_token"])
        except services.TwoFactorError as exc:
            form.add_error(exc.field, exc.message)
            user_login_failed.send(sender=__name__, credentials=credentials, request=request, factor="totp")
            if getattr(request, "axes_locked_out", False):
                signin.second_step_clear(request)  # AxesMiddleware answers with the lockout page
        else:
            signin.second_step_finish(request, pending=pending, device=device)
            return redirect(pending.next_url)
    return render(
        request,
        "accounts/login_code.html",
        {
            "form": form,
            "site_name": settings.GONGKAI_SITE_NAME,
            "idle_minutes": settings.GONGKAI_IDLE_MINUTES,
        },
    )


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET, so a link or an image cannot sign anyone out)."""

    next_page = reverse_lazy("accounts:login")

    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(request, _("您已安全退出。"))
        return response


@method_decorator(never_cache, name="dispatch")
class StaffPasswordChangeView(SignInPageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = StaffPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs):
        # the gate sends a staff member here when the password has outlived the limit
        due = policy.password_change_due(self.request.user)
        return {
            **super().get_context_data(**kwargs),
            "password_due": due,
            "max_age_days": policy.password_max_age_days(),
        }

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


def _qr_svg(device) -> str:
    """The device's otpauth:// address as an inline SVG QR code (no external image, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, svgclass="qr", lineclass=None, title=_("两步验证二维码")
    )
    return mark_safe(svg)  # segno writes the markup; its only text, the title, is escaped


@never_cache
@sensitive_post_parameters("otp_token")
@require_http_methods(["GET", "POST"])
@staff_account_required
def two_factor(request):
    """The staff member's second factor: enrol (QR code, the secret as text, a code to confirm),
    or, once enrolled, its state and the form that turns it off."""
    user = request.user
    device = policy.confirmed_device(user)
    context = {"required": policy.two_factor_required(), "device": device}
    if device is not None:
        return render(
            request, "accounts/two_factor.html", {**context, "disable_form": TwoFactorDisableForm()}
        )
    pending = services.totp_device_start(actor=user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.totp_device_confirm(
                device=pending, token=form.cleaned_data["otp_token"], actor=user, ip=client_ip(request)
            )
        except services.TwoFactorError as exc:
            form.add_error(exc.field, exc.message)
        else:
            otp_login(request, confirmed)  # this session has just used the device
            messages.success(
                request, _("两步验证已启用。今后登录时，输入密码后还需输入验证器应用中的6位数字。")
            )
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/two_factor.html",
        {**context, "form": form, "qr_svg": _qr_svg(pending), "secret": services.totp_secret_text(pending)},
    )


@never_cache
@sensitive_post_parameters("password", "otp_token")
@require_POST
@staff_account_required
def two_factor_disable(request):
    """Turns the second factor off (a current code and the password are needed)."""
    form = TwoFactorDisableForm(request.POST)
    if form.is_valid():
        try:
            services.totp_device_disable(
                actor=request.user,
                token=form.cleaned_data["otp_token"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except services.TwoFactorError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("两步验证已关闭。"))
            return redirect("accounts:two_factor")
    context = {
        "required": policy.two_factor_required(),
        "device": policy.confirmed_device(request.user),
        "disable_form": form,
    }
    return render(request, "accounts/two_factor.html", context)
