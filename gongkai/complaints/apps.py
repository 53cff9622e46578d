from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "gongkai.complaints"
    verbose_name = _("举报投诉与意见建议")
