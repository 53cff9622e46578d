"""The work around a case beyond the statutory procedure: business divisions (内设机构), the
tasks a handler routes to them or to another agency (交办/协办) with their answers, and
internal notes on a case (staff only: never on the public pages, the API, letters or the
applicant's case export)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application

from .rules import PENDING_STATES, TaskKind, TaskState


class Division(models.Model):
    """A business division (业务科室/内设机构) of an agency, whose members (staff users) search
    for information and draft answers when a case is handed to them."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="divisions")
    name = models.CharField(_("科室名称"), max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="divisions", verbose_name=_("成员")
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("业务科室")
        verbose_name_plural = _("业务科室")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unique_division_name")]

    def __str__(self) -> str:
        return f"{self.agency.display_short} · {self.name}"


class AssistanceSequence(models.Model):
    """The running number of an agency's assistance letters (协办函) in one year."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="unique_assistance_sequence")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Task(models.Model):
    """A case (or part of it) handed to a division (交办) or another agency (协办). Written only
    by the services in casework/services.py; the state machine is rules.TRANSITIONS."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="casework_tasks")
    kind = models.CharField(_("类型"), max_length=10, choices=TaskKind.choices)
    division = models.ForeignKey(
        Division,
        verbose_name=_("承办科室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    target_agency = models.ForeignKey(
        Agency,
        verbose_name=_("协办机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_tasks",
    )
    part = models.CharField(_("交办事项"), max_length=300)
    instructions = models.TextField(_("办理要求"), blank=True)
    days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    due_on = models.DateField(_("办理期限"), db_index=True)
    due_provisional = models.BooleanField(default=False)
    state = models.CharField(_("状态"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN)
    letter_no = models.CharField(_("协办函文号"), max_length=60, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="casework_tasks_created"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("交办协办事项")
        verbose_name_plural = _("交办协办事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="division", division__isnull=False, target_agency__isnull=True))
                | (models.Q(kind="agency", target_agency__isnull=False)),
                name="casework_task_has_its_assignee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.assignee_label}"

    @property
    def assignee_label(self) -> str:
        if self.kind == TaskKind.DIVISION and self.division_id:
            return self.division.name
        return self.target_agency.name if self.target_agency_id else ""

    @property
    def is_pending(self) -> bool:
        return self.state in PENDING_STATES

    def is_overdue(self, today) -> bool:
        return self.is_pending and self.due_on < today


def task_file_path(instance, filename: str) -> str:
    return f"casework/{filename}"


class TaskFile(models.Model):
    """A file sent with an answer (the information found, a draft reply): checked like every
    upload (catalogue/uploads.py on core/files) before it is stored."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="files")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=task_file_path, max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """An internal note on a case (内部备注): staff of the agency only, appended, never edited."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="casework_notes")
    text = models.TextField(_("备注"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]
