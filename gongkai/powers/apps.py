from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PowersConfig(AppConfig):
    name = "gongkai.powers"
    verbose_name = _("权力清单")
