"""A complaint or suggestion (举报投诉、意见建议) about an agency's disclosure work, the agency
that answers it, and its answer. Nothing is deleted; "overdue" is derived on read from the
stored due date (STYLE.md, habit 4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .rules import OPEN_STATES, Kind, State


class ComplaintQuerySet(models.QuerySet):
    def open(self):
        """Not yet answered."""
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today):
        """Open and past the answer date."""
        return self.open().filter(due_on__lt=today)

    def published(self):
        """Answers the routed agency has made public."""
        return self.filter(answer_public=True, state=State.ANSWERED)


class Complaint(models.Model):
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    agency = models.ForeignKey(
        Agency, verbose_name=_("所涉机关"), on_delete=models.PROTECT, related_name="complaints_about"
    )
    routed_to = models.ForeignKey(
        Agency, verbose_name=_("办理机关"), on_delete=models.PROTECT, related_name="complaints_routed"
    )
    tracking_no = models.CharField(_("编号"), max_length=32, unique=True)
    query_code_hash = models.CharField(max_length=128)  # the code itself is only ever shown once
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("姓名或名称"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    content = models.TextField(_("内容"))
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), db_index=True)
    due_on = models.DateField(_("答复期限"), db_index=True)
    due_provisional = models.BooleanField(_("期限为暂定"), default=False)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.RECEIVED)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    investigation_note = models.TextField(_("调查处理情况（内部）"), blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    upheld = models.BooleanField(
        _("举报属实"), null=True, blank=True, help_text=_("举报经查属实的，计入考核（投诉举报查实件数）。")
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_public = models.BooleanField(_("答复已公开"), default=False)
    public_summary = models.TextField(_("公开的问题摘要"), blank=True)
    public_answer = models.TextField(_("公开的答复内容"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    # Set when the complainant's personal data was removed after the retention period
    # (complaints/retention.py); the facts the assessment counts stay.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("举报投诉与意见建议")
        verbose_name_plural = _("举报投诉与意见建议")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["routed_to", "state", "due_on"]),
            models.Index(fields=["answer_public", "answered_at"]),
        ]
        constraints = [
            # Art. 51: a complaint is investigated and answered, so it must say who to answer.
            models.CheckConstraint(
                condition=~models.Q(kind=Kind.COMPLAINT) | (~models.Q(name="") & ~models.Q(contact="")),
                name="complaint_names_its_author",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.ANSWERED)
                | (~models.Q(answer="") & models.Q(answered_at__isnull=False)),
                name="answered_complaint_has_answer",
            ),
            models.CheckConstraint(
                condition=~models.Q(answer_public=True)
                | (
                    models.Q(state=State.ANSWERED)
                    & ~models.Q(public_summary="")
                    & ~models.Q(public_answer="")
                ),
                name="published_complaint_is_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.content[:30]}"
