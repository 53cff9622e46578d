"""Shared kernel models: the append-only audit trail and the holiday calendar."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .calendar import in_notice_window


class AuditEvent(models.Model):
    """One state change or sign-in (security.md, "Audit"). Rows are never updated or deleted;
    each carries the hash of the previous one so `gongkai audit-verify` can detect tampering
    (gongkai/core/audit.py: version 1, SHA-256 of some fields; version 2, an HMAC of all)."""

    # Set by audit_record before the hash is computed (the hash covers it).
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(_("操作人标识"), max_length=150, blank=True)
    action = models.CharField(_("事件"), max_length=64)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, default="success")
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True)
    chain_version = models.PositiveSmallIntegerField(_("哈希链版本"), default=1)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"
        )


class HolidayNotice(models.Model):
    """A year's holiday notice of the State Council (国务院办公厅关于XXXX年部分节假日安排的通知):
    working days are counted by it (regulation.md, "Clocks"). A year without one is provisional."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=200, help_text=_("通知的文号或标题"))
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("载入人"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Regenerated on every change of the notice or its days: processes compare it to know that
    # their cached calendar is stale (a timestamp could go backwards between machines).
    version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年：{self.source}"


class DayKind(models.TextChoices):
    """What a holiday notice makes of a day."""

    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """A day a holiday notice changes: a holiday (weekends inside the holiday period included)
    or a Saturday or Sunday made a working day (调休上班)."""

    notice = models.ForeignKey(
        HolidayNotice, verbose_name=_("节假日安排"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类别"), max_length=8, choices=DayKind.choices)
    name = models.CharField(
        _("节日"), max_length=100, blank=True, help_text=_("如 春节；调休上班日填所补的节日")
    )

    class Meta:
        verbose_name = _("节假日或调休日")
        verbose_name_plural = _("节假日和调休日")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DayKind.values), name="calendarday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".rstrip()

    def clean(self) -> None:
        errors = {}
        if self.notice_id and self.date and not in_notice_window(self.notice.year, self.date):
            errors["date"] = _(
                "日期不在%(year)d年节假日安排的范围内（该年全年，或上年12月最后一周的元旦假期）。"
            ) % {"year": self.notice.year}
        elif self.kind == DayKind.WORKDAY and self.date and self.date.weekday() < 5:
            errors["kind"] = _("只有星期六或星期日可以调休上班。")
        if errors:
            raise ValidationError(errors)
