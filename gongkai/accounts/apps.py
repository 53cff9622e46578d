from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = _("账号与登录")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in audit receivers)
