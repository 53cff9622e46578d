from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "gongkai.questions"
    verbose_name = _("网上咨询、在线访谈与点题公开")
