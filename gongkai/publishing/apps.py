from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.review import register_review_authority


class PublishingConfig(AppConfig):
    name = "gongkai.publishing"
    verbose_name = _("主动公开")

    def ready(self):
        # The catalogue publishes only with proof of an approved review (catalogue/review.py);
        # the review chains are publishing's, so publishing answers for them.
        from . import approval  # AppConfig.ready(): approval.py imports the models

        register_review_authority(approval)
