from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "gongkai.consultations"
    verbose_name = _("决策预公开与听证")
