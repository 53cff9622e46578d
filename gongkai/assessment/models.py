"""Assessment schemes and their results (考核), and the public's evaluations (社会评议), Art. 46."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .scoring import IndicatorKey

SCORE_VALIDATORS = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Scheme(models.Model):
    """A year's assessment scheme: its indicators with weights and targets."""

    name = models.CharField(_("方案名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Indicator(models.Model):
    """One line of the scheme. Weights need not add up to 100: the total is a weighted mean."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(_("指标"), max_length=32, choices=IndicatorKey.choices)
    label = models.CharField(_("名称"), max_length=200)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    # The meaning depends on the key (see scoring.py); empty: the default for the key.
    target = models.DecimalField(_("目标值"), max_digits=8, decimal_places=2, null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="indicator_weight_not_negative")
        ]

    def __str__(self) -> str:
        return self.label


class ManualScore(models.Model):
    """An assessor's score for a manual indicator (e.g. on-site inspection) in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_scores")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("考核期间"), max_length=8)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, validators=SCORE_VALIDATORS)
    note = models.TextField(_("评分说明"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "agency", "period"], name="unique_manual_score"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100), name="manual_score_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.agency} · {self.period}"


class AssessmentResult(models.Model):
    """One agency's computed result in one period, kept for the ranking and the annual report."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="results")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assessment_results")
    period = models.CharField(_("考核期间"), max_length=8)
    scores = models.JSONField(_("各项得分"), default=dict)  # {indicator pk: score or null}
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = [models.F("rank").asc(nulls_last=True), "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "agency", "period"], name="unique_assessment_result")
        ]

    def __str__(self) -> str:
        return f"{self.agency} · {self.period}"


class Evaluation(models.Model):
    """A rating from the public: an applicant on their reply, or a visitor on a portal page."""

    class Kind(models.TextChoices):
        APPLICATION_REPLY = "application_reply", _("申请答复评价")
        PAGE = "page", _("页面评价")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evaluations")
    application = models.ForeignKey(
        "applications.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    page_path = models.CharField(_("页面地址"), max_length=500, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("意见"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    # Only a keyed hash: enough to see repeated votes, not who cast them.
    client_ip = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("社会评议")
        verbose_name_plural = _("社会评议")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "kind", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(application__isnull=False),
                name="one_evaluation_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="page") | models.Q(application__isnull=False),
                name="reply_evaluation_has_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rating}"
