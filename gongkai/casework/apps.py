from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "gongkai.casework"
    verbose_name = _("案件协同办理")
