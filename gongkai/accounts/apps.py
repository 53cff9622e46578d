from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = _("账号与登录")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit receivers)

        _name_third_party_apps_in_chinese()


# The Django admin shows the staff's language (issue 15 §4): the login-protection and two-factor
# apps we install name themselves in English.
THIRD_PARTY_NAMES = {
    "axes": (_("登录保护"), {"accessattempt": _("登录失败记录"), "accesslog": _("登录记录"),
                            "accessfailurelog": _("登录失败明细")}),
    "otp_totp": (_("两步验证"), {"totpdevice": _("动态口令设备")}),
}  # fmt: skip


def _name_third_party_apps_in_chinese() -> None:
    from django.apps import apps

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        if label not in apps.app_configs:
            continue
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        for model_name, name in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name = meta.verbose_name_plural = name
