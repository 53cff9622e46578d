from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
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
