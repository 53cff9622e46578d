from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeyAreasConfig(AppConfig):
    name = "gongkai.keyareas"
    label = "keyareas"
    verbose_name = _("重点领域信息公开")
