"""The annual report (年度报告) as stored: each agency's report per year with its narrative,
the tables as published, and the figures the platform does not hold, entered by hand."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency


class ManualKey(models.TextChoices):
    """Figures of Table 1 that come from outside the platform (until the power lists hold them).
    The value is a path into the report's JSON, so the `manual` list names the cell it fills."""

    LICENSING = "table1.licensing.decisions", _("行政许可：本年处理决定数量")
    PENALTY = "table1.penalty.decisions", _("行政处罚：本年处理决定数量")
    ENFORCEMENT = "table1.enforcement.decisions", _("行政强制：本年处理决定数量")
    FEES = "table1.fees.amount_10k_yuan", _("行政事业性收费：本年收费金额（万元）")


class ManualFigure(models.Model):
    """One figure entered by hand for an agency's report of a year; marked as such in the report."""

    agency = models.ForeignKey(Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("项目"), max_length=40, choices=ManualKey.choices)
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=4)
    note = models.CharField(_("数据来源说明"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("手工填报数据")
        verbose_name_plural = _("手工填报数据")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "key"], name="unique_manual_figure"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="manual_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.get_key_display()}: {self.value}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class AnnualReport(models.Model):
    """An agency's report for one year. ``data`` is the annual_report_data() snapshot, frozen
    when published; ``narrative`` holds the text of sections 一, 五 and 六 (NARRATIVE_SECTIONS);
    ``explanations`` maps the name of each broken check to why the figures are right anyway."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    narrative = models.JSONField(_("文字部分"), default=dict, blank=True)
    data = models.JSONField(_("报表数据"), default=dict, blank=True)
    explanations = models.JSONField(_("勾稽关系说明"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="unique_annual_report"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_report_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"
