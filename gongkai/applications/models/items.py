"""Items of an application (分项, issue 18 item 5): one application asking for several pieces of
information is answered item by item, each with its own outcome, grounds and provided files,
in one reply letter. The application keeps exactly one outcome for the annual report
(services/items.py, ``items_outcome``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules import Outcome
from .application import Application, ApplicationFile


class ApplicationItem(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))  # order in the letter; gaps allowed
    description = models.TextField(_("该项所需信息"))
    outcome = models.CharField(_("处理结果"), max_length=32, choices=Outcome.choices, blank=True)
    reasons = models.TextField(_("理由和依据"), blank=True)
    provided_how = models.CharField(_("提供方式"), max_length=300, blank=True)
    # (part, ground text) pairs typed by the clerk; the redactions of the item's files are added
    # when the letter is drafted (services/items.py), never stored twice.
    withheld_parts = models.JSONField(_("不予公开的部分及理由"), default=list, blank=True)
    other_agency = models.CharField(_("负责公开该信息的机关及联系方式"), max_length=300, blank=True)
    files = models.ManyToManyField(
        ApplicationFile, blank=True, related_name="items", verbose_name=_("该项提供的文件")
    )
    recorded_at = models.DateTimeField(_("确定结果时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("分项")
        verbose_name_plural = _("分项")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="unique_item_position")
        ]

    def __str__(self) -> str:
        return f"{self.position} {self.description[:30]}"
