import re

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def lockout_minutes() -> int:
    """The cool-off as axes applies it (GONGKAI_LOCKOUT_MINUTES sets it)."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class AccessibleErrorsMixin:
    """Points each invalid input at its error message (aria-describedby), so a screen
    reader reads the message with the field; Django links only the help text."""

    def full_clean(self):
        super().full_clean()
        self._point_at_errors()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._point_at_errors()  # also for errors a view adds after validation (a service's)

    def _point_at_errors(self):
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                ids = [f"{bound.auto_id}_errors"]
                if bound.help_text:
                    ids.append(f"{bound.auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)


class StaffAuthenticationForm(AccessibleErrorsMixin, AuthenticationForm):
    """The login form, with Chinese wording and the lockout explained instead of a bare 403."""

    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入（区分大小写）。"),
        "inactive": _("该账号已停用，请联系本单位管理员。"),
        "locked_out": _(
            "登录失败次数过多，该账号在当前网络地址已暂停登录%(minutes)d分钟。"
            "请稍后再试，或联系本单位管理员。"
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["password"].label = _("密码")

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # axes marks the request when this attempt reached the limit or came while the
            # (username, address) pair was locked out; say so rather than "wrong password".
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(
                    self.error_messages["locked_out"],
                    code="locked_out",
                    params={"minutes": lockout_minutes()},
                ) from None
            raise


class StaffPasswordChangeForm(AccessibleErrorsMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        # hashers.check_password, not user.check_password: no hash upgrade (a save) while validating
        if new and check_password(new, self.user.password):
            raise ValidationError(_("新密码不能与当前密码相同。"), code="password_unchanged")
        return new


class OTPTokenField(forms.CharField):
    """The six digits an authenticator app shows; spaces ("123 456") are ignored."""

    default_error_messages = {"invalid": _("请输入验证器应用显示的6位数字。")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("动态验证码"))
        kwargs.setdefault("help_text", _("打开手机上的验证器应用，输入本平台对应的6位数字。"))
        super().__init__(max_length=12, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "autocapitalize": "none", "size": 8}
        )

    def to_python(self, value):
        value = re.sub(r"\s+", "", super().to_python(value))
        if value and not re.fullmatch(r"[0-9]{6}", value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class OTPTokenForm(AccessibleErrorsMixin, forms.Form):
    """The code alone: the second sign-in step, and the confirmation of a new device."""

    otp_token = OTPTokenField()


class TwoFactorDisableForm(AccessibleErrorsMixin, forms.Form):
    """Turning the second factor off takes the password and a current code."""

    password = forms.CharField(
        label=_("当前密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = OTPTokenField()
