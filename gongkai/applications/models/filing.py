"""Filing (归档) of a closed case (issue 18 item 6): the agency's rule for the archive number
(档号), the gap-free sequence it draws from per agency and year, and the filing record with the
case's table of contents (卷内目录) frozen as it was filed. A filed case is read-only except for
its remedy records (services/filing.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .application import Application

# The default 档号: 全宗号·年度·保管期限代码·件号 (DA/T 22 orders the parts the same way),
# e.g. 11010500·2026·D10·0012.
DEFAULT_FILING_PATTERN = "{code}·{year}·{retention}·{seq:4}"
DEFAULT_RETENTION = "D10"


class Retention(models.TextChoices):
    """保管期限 (DA/T 22) with their usual codes."""

    PERMANENT = "Y", _("永久")
    THIRTY_YEARS = "D30", _("定期30年")
    TEN_YEARS = "D10", _("定期10年")


class FilingRule(models.Model):
    """How an agency numbers its filed cases; without one the default pattern applies."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="filing_rule")
    pattern = models.CharField(
        _("档号规则"),
        max_length=120,
        default=DEFAULT_FILING_PATTERN,
        help_text=_(
            "可用：{code} 全宗号、{region} 区划代码、{year} 年度、{retention} 保管期限、{seq:N} N位件号"
        ),
    )
    fonds_code = models.CharField(_("全宗号"), max_length=20, blank=True)  # blank: the agency code
    region = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    retention = models.CharField(
        _("保管期限"), max_length=4, choices=Retention.choices, default=DEFAULT_RETENTION
    )

    class Meta:
        verbose_name = _("归档规则")
        verbose_name_plural = _("归档规则")

    def __str__(self) -> str:
        return f"{self.agency} {self.pattern}"


class FilingSequence(models.Model):
    """The last 件号 given per agency and filing year; drawn under a row lock, never reused."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_filing_sequence")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last}"


class CaseFiling(models.Model):
    """A filed case: its 档号 and the 卷内目录 (rows with 序号, 文号, 责任者, 题名, 日期, 页数/件,
    备注) as filed. One per application; never deleted."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="filing")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    archive_no = models.CharField(_("档号"), max_length=80)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("件号"))
    retention = models.CharField(_("保管期限"), max_length=4, choices=Retention.choices)
    contents = models.JSONField(_("卷内目录"), default=list)
    filed_at = models.DateTimeField(_("归档时间"), auto_now_add=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("归档记录")
        verbose_name_plural = _("归档记录")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "seq"], name="unique_filing_seq"),
            models.UniqueConstraint(fields=["agency", "archive_no"], name="unique_filing_archive_no"),
        ]

    def __str__(self) -> str:
        return self.archive_no
