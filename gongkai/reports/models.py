"""The annual report (年度报告) as stored: each agency's report per year with its narrative,
the tables as published, and the figures the platform does not hold, entered by hand."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .layout import report_title
from .rows import FORMAT_2019, FORMAT_2021


class ManualKey(models.TextChoices):
    """Figures of Table 1 that come from outside the platform (until the power lists hold them).
    The value is a path into the report's JSON, so the `manual` list names the cell it fills.
    The TRIAL_ ones are cells of 2019's trial layout only (rows.FORMAT_2019)."""

    LICENSING = "table1.licensing.decisions", _("行政许可：本年处理决定数量")
    PENALTY = "table1.penalty.decisions", _("行政处罚：本年处理决定数量")
    ENFORCEMENT = "table1.enforcement.decisions", _("行政强制：本年处理决定数量")
    FEES = "table1.fees.amount_10k_yuan", _("行政事业性收费：本年收费金额（万元）")
    TRIAL_LICENSING_PREVIOUS = "table1.licensing.previous_items", _("行政许可：上一年项目数量")
    TRIAL_LICENSING_CHANGE = "table1.licensing.change", _("行政许可：本年增/减")
    TRIAL_SERVICES_PREVIOUS = (
        "table1.other_services.previous_items",
        _("其他对外管理服务事项：上一年项目数量"),
    )
    TRIAL_SERVICES_CHANGE = "table1.other_services.change", _("其他对外管理服务事项：本年增/减")
    TRIAL_SERVICES = "table1.other_services.decisions", _("其他对外管理服务事项：处理决定数量")
    TRIAL_PENALTY_PREVIOUS = "table1.penalty.previous_items", _("行政处罚：上一年项目数量")
    TRIAL_PENALTY_CHANGE = "table1.penalty.change", _("行政处罚：本年增/减")
    TRIAL_ENFORCEMENT_PREVIOUS = "table1.enforcement.previous_items", _("行政强制：上一年项目数量")
    TRIAL_ENFORCEMENT_CHANGE = "table1.enforcement.change", _("行政强制：本年增/减")
    TRIAL_FEES_PREVIOUS = "table1.fees.previous_items", _("行政事业性收费：上一年项目数量")
    TRIAL_FEES_CHANGE = "table1.fees.change", _("行政事业性收费：本年增/减")
    TRIAL_PROCUREMENT_PROJECTS = "table1.procurement.projects", _("政府集中采购：采购项目数量")
    TRIAL_PROCUREMENT_AMOUNT = "table1.procurement.amount_10k_yuan", _("政府集中采购：采购总金额（万元）")


# The hand-entered figures of each layout, in the order of the form.
MANUAL_KEYS: dict[str, tuple[str, ...]] = {
    FORMAT_2021: (ManualKey.LICENSING, ManualKey.PENALTY, ManualKey.ENFORCEMENT, ManualKey.FEES),
    FORMAT_2019: (
        ManualKey.TRIAL_LICENSING_PREVIOUS,
        ManualKey.TRIAL_LICENSING_CHANGE,
        ManualKey.LICENSING,
        ManualKey.TRIAL_SERVICES_PREVIOUS,
        ManualKey.TRIAL_SERVICES_CHANGE,
        ManualKey.TRIAL_SERVICES,
        ManualKey.TRIAL_PENALTY_PREVIOUS,
        ManualKey.TRIAL_PENALTY_CHANGE,
        ManualKey.PENALTY,
        ManualKey.TRIAL_ENFORCEMENT_PREVIOUS,
        ManualKey.TRIAL_ENFORCEMENT_CHANGE,
        ManualKey.ENFORCEMENT,
        ManualKey.TRIAL_FEES_PREVIOUS,
        ManualKey.TRIAL_FEES_CHANGE,
        ManualKey.TRIAL_PROCUREMENT_PROJECTS,
        ManualKey.TRIAL_PROCUREMENT_AMOUNT,
    ),
}
# Amounts in 万元 (up to four decimals); every other figure is a whole number.
AMOUNT_KEYS = (ManualKey.FEES, ManualKey.TRIAL_PROCUREMENT_AMOUNT)


def manual_key_signed(key: str) -> bool:
    """本年增/减 may be negative (fewer items than the year before); no other figure may."""
    return key.endswith(".change")


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
            # Only 本年增/减 (a key ending in ".change") may be negative.
            models.CheckConstraint(
                condition=models.Q(value__gte=0) | models.Q(key__endswith=".change"),
                name="manual_figure_not_negative",
            ),
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
    # A report published before the agency used the platform, brought in as printed (`gongkai
    # annual-report import`): read-only, its cells may be blank (null), never regenerated.
    imported = models.BooleanField(_("导入的历史报告"), default=False)
    # A government's report for the whole government (its office and every department below
    # it), titled 「××市人民政府2024年政府信息公开工作年度报告」; chosen when the report starts.
    regional = models.BooleanField(_("本级政府年度报告（含所属部门）"), default=False)
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
            models.CheckConstraint(
                condition=models.Q(imported=False) | models.Q(status="published"),
                name="imported_report_is_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告"

    @property
    def title(self) -> str:
        """The report's title as printed (a government's report for the whole government is
        titled 「××市人民政府2024年政府信息公开工作年度报告」)."""
        return report_title(
            {"agency": {"name": self.agency.name}, "year": self.year, "regional": self.regional}
        )

    @property
    def published_on(self):
        """The day the report was published: for an imported report the day its file states
        (``published_on``), else None (unknown); for the platform's own, the day of publication."""
        from datetime import date

        from django.utils import timezone

        if self.imported:
            stated = (self.data or {}).get("published_on")
            return date.fromisoformat(stated) if stated else None
        return timezone.localdate(self.published_at) if self.published_at else None


class ReportReview(models.Model):
    """A report checked in the workbench (年报质量检查): a report an agency published, uploaded by
    a supervisor as JSON or as the platform's XLSX, with the findings of the check and, for each
    finding, the agency's explanation as recorded. The uploaded figures are kept as read."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("机关"), on_delete=models.PROTECT, related_name="report_reviews"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    filename = models.CharField(_("文件名"), max_length=200)
    data = models.JSONField(_("报表数据"), default=dict)
    findings = models.JSONField(_("检查结果"), default=list)
    # finding key (ReportReview.finding_key) -> the agency's explanation
    explanations = models.JSONField(_("机关说明"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度报告检查记录")
        verbose_name_plural = _("年度报告检查记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年度报告检查"

    @staticmethod
    def finding_key(finding: dict) -> str:
        """One finding's key: its rule, row and column (each finding is one of these)."""
        return "|".join(str(finding.get(part) or "") for part in ("rule", "row", "column"))
