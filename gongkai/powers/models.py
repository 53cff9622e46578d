"""Power lists (权力清单): each agency's administrative powers, what the "十公开" requires to be
published about each, kept as dated versions, and the number of decisions made under each power
per year (Table 1 of the annual report).

A power's identity (agency, code, type, name) is fixed; what changes over time (legal basis,
conditions, procedure, fees...) is a new PowerVersion from a date, and the old versions stay."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._\-]{0,63}$")
MAX_STEPS = 30  # a flow chart longer than this is not read; lists publish 3-12 steps
MAX_STEP_LENGTH = 100


def validate_power_code(value: str) -> None:
    # The code is a URL segment (powers/<agency>/<code>/): letters, digits, ".", "_" and "-".
    if not CODE_RE.match(value or ""):
        raise ValidationError(
            _("权力编码只能由字母、数字和“.”“_”“-”组成，以字母或数字开头，不超过64个字符。")
        )


def validate_procedure_steps(value) -> None:
    if not isinstance(value, list) or not all(isinstance(step, str) for step in value):
        raise ValidationError(_("办理流程应为步骤名称的列表。"))
    if len(value) > MAX_STEPS:
        raise ValidationError(_("办理流程不能超过%(n)s个步骤。"), params={"n": MAX_STEPS})
    for step in value:
        if not step.strip():
            raise ValidationError(_("办理流程的步骤名称不能为空。"))
        if len(step) > MAX_STEP_LENGTH:
            raise ValidationError(_("每个步骤名称不能超过%(n)s个字。"), params={"n": MAX_STEP_LENGTH})


class PowerType(models.TextChoices):
    """The ten kinds of administrative power in the lists (行政职权类别)."""

    LICENSING = "licensing", _("行政许可")
    LEVY = "levy", _("行政征收")
    PENALTY = "penalty", _("行政处罚")
    ENFORCEMENT = "enforcement", _("行政强制")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    BENEFIT = "benefit", _("行政给付")
    REWARD = "reward", _("行政奖励")
    ADJUDICATION = "adjudication", _("行政裁决")
    OTHER = "other", _("其他行政权力")


# The rows of Table 1 (本年处理决定数量) and the power type whose decisions each counts; the keys
# are the annual report's (reports/rows.py TABLE1_DECISION_ROWS).
TABLE1_DECISION_TYPES: dict[str, str] = {
    "licensing": PowerType.LICENSING,
    "penalty": PowerType.PENALTY,
    "enforcement": PowerType.ENFORCEMENT,
}
# The rows of 2019's trial form of Table 1 (上一年项目数量, 本年增/减, 处理决定数量) and the power
# types each counts: item (五) is 行政许可 and 其他对外管理服务事项 (every other power serving or
# managing the public), item (六) 行政处罚 and 行政强制, item (八) 行政事业性收费, i.e. the levies.
TRIAL_TABLE1_TYPES: dict[str, tuple[str, ...]] = {
    "licensing": (PowerType.LICENSING,),
    "other_services": (
        PowerType.INSPECTION,
        PowerType.CONFIRMATION,
        PowerType.BENEFIT,
        PowerType.REWARD,
        PowerType.ADJUDICATION,
        PowerType.OTHER,
    ),
    "penalty": (PowerType.PENALTY,),
    "enforcement": (PowerType.ENFORCEMENT,),
    "fees": (PowerType.LEVY,),
}


class Power(models.Model):
    """One administrative power of an agency, identified by its code in the agency's list."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("实施机关"), on_delete=models.PROTECT, related_name="powers"
    )
    code = models.CharField(_("权力编码"), max_length=64, validators=[validate_power_code])
    type = models.CharField(_("权力类型"), max_length=16, choices=PowerType.choices)
    name = models.CharField(_("权力名称"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行政权力事项")
        verbose_name_plural = _("行政权力事项")
        ordering = ["agency", "type", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="unique_power_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PowerVersionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Versions in force on ``day``: begun by then and not ended before it."""
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day)
        )


class PowerVersion(models.Model):
    """What was published about a power from ``effective_from`` to ``effective_to`` (the last day
    in force, inclusive; null while current). Written once and never edited: a change is a new
    version, which closes the one before it."""

    power = models.ForeignKey(Power, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("停止施行日期"), null=True, blank=True)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("办理条件"), blank=True)
    materials = models.TextField(_("申请材料"), blank=True)
    procedure_steps = models.JSONField(
        _("办理流程"), default=list, blank=True, validators=[validate_procedure_steps]
    )
    time_limit = models.CharField(_("办理时限"), max_length=200, blank=True)
    fees = models.TextField(_("收费标准"), blank=True)
    fee_basis = models.TextField(_("收费依据"), blank=True)
    responsible_unit = models.CharField(_("责任处（科）室"), max_length=200, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("投诉电话"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PowerVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("权力事项版本")
        verbose_name_plural = _("权力事项版本")
        ordering = ["power", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["power", "effective_from"], name="unique_power_version_date"),
            # At most one open-ended version per power: the latest.
            models.UniqueConstraint(
                fields=["power"], condition=models.Q(effective_to__isnull=True), name="one_open_power_version"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="power_version_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.power} ({self.effective_from}–{self.effective_to or ''})"


class DecisionCount(models.Model):
    """How many decisions the agency made under a power in a year (本年处理决定数量)."""

    power = models.ForeignKey(Power, on_delete=models.CASCADE, related_name="decision_counts")
    year = models.PositiveSmallIntegerField(_("年度"))
    count = models.PositiveIntegerField(_("处理决定数量"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("处理决定数量")
        verbose_name_plural = _("处理决定数量")
        ordering = ["power", "-year"]
        constraints = [models.UniqueConstraint(fields=["power", "year"], name="unique_decision_count")]

    def __str__(self) -> str:
        return f"{self.power} {self.year}: {self.count}"
