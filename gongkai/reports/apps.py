from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = _("监督与报告")

    def ready(self):
        # `gongkai import-applications` asks where its records and an imported report disagree.
        from gongkai.applications.signals import APPLICATIONS_IMPORTED  # AppConfig.ready()

        from .signals import on_applications_imported  # AppConfig.ready(): it imports the models

        APPLICATIONS_IMPORTED.connect(on_applications_imported, dispatch_uid="gongkai.reports.imported")
