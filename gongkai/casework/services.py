"""Every write of casework: divisions, routing tasks (交办/协办) through their state machine,
answers with files, internal notes. Each checks the actor through agencies/access.py (and the
division's members), writes and records an audit event in one transaction."""

import secrets
from datetime import date

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import holds_role, holds_role_at
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import Application
from gongkai.applications.rules import ApplicationState
from gongkai.catalogue.uploads import upload_inspect
from gongkai.core import services as core
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import workday_add
from gongkai.core.files.kinds import AttachmentError

from .models import AssistanceSequence, Division, Note, Task, TaskFile
from .rules import DEFAULT_DAYS, MAX_DAYS, TaskKind, TaskState, next_state


class CaseworkError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(CaseworkError, core.NotPermitted):
    pass


class Conflict(CaseworkError, core.Conflict):
    pass


# States of a case in which it may still be routed: received and not yet decided.
ROUTABLE_STATES = (ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION)
MAX_FILES = 10
MAX_TEXT = 8000


# --- who may do what ----------------------------------------------------------------------------


def can_route(user, application: Application) -> bool:
    """The case's handlers (clerk or office head of its agency) route it, review the answers and
    write notes."""
    return holds_role_at(user, application.agency_id, Role.CLERK, Role.OFFICE_HEAD)


def can_read_notes(user, application: Application) -> bool:
    """Internal notes: staff of the case's own agency (any role), nobody else."""
    return holds_role_at(user, application.agency_id)


def can_answer(user, task: Task) -> bool:
    """A 交办 task: the members of its division (staff users); a 协办 task: the clerks and
    the office head of the assisting agency."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if task.kind == TaskKind.DIVISION:
        return task.division.members.filter(pk=user.pk).exists() and holds_role(user)
    return holds_role_at(user, task.target_agency_id, Role.CLERK, Role.OFFICE_HEAD)


def can_manage_divisions(user, agency: Agency) -> bool:
    return holds_role_at(user, agency, Role.ADMINISTRATOR, Role.OFFICE_HEAD)


def _require(allowed: bool) -> None:
    core.require(allowed, NotPermitted)


def _snapshot(task: Task) -> dict:
    return core.snapshot(
        task,
        [
            "kind",
            "state",
            "part",
            "due_on",
            "days",
            ("division", "division_id"),
            ("target", "target_agency_id"),
        ],
    )


# --- divisions ----------------------------------------------------------------------------------


@transaction.atomic
def division_save(*, agency: Agency, name: str, members, actor, division: Division | None = None) -> Division:
    """Create a division of ``agency`` or rename it and set its members (staff users only)."""
    _require(can_manage_divisions(actor, agency))
    if division is not None and division.agency_id != agency.pk:
        raise CaseworkError(_("科室不属于所选机关。"))
    name = name.strip()
    if not name:
        raise CaseworkError(_("请填写科室名称。"))
    members = list(members)
    not_staff = [m for m in members if not holds_role(m)]
    if not_staff:
        raise CaseworkError(
            _("%(names)s 不是工作人员，不能加入科室。")
            % {"names": "、".join(m.get_username() for m in not_staff)}
        )
    clash = Division.objects.filter(agency=agency, name=name)
    if division is not None:
        clash = clash.exclude(pk=division.pk)
    if clash.exists():
        raise CaseworkError(_("本机关已有名为“%(name)s”的科室。") % {"name": name})
    before = None
    if division is None:
        division = Division.objects.create(agency=agency, name=name)
    else:
        before = {"name": division.name, "members": sorted(division.members.values_list("pk", flat=True))}
        division.name = name
        division.save(update_fields=["name"])
    division.members.set(members)
    audit_record(
        actor=actor,
        action="casework_division_save",
        obj=division,
        before=before,
        after={"name": name, "members": sorted(m.pk for m in members)},
    )
    return division


# --- tasks ----------------------------------------------------------------------------------------


def _due(start: date, days: int) -> tuple[date, bool]:
    result = workday_add(start, days)
    return result.date, result.provisional


def _next_letter_no(agency: Agency, year: int) -> str:
    seq, _created = AssistanceSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    AssistanceSequence.objects.filter(pk=seq.pk).update(last=seq.last + 1)
    return _("%(short)s协〔%(year)s〕%(n)s号") % {
        "short": agency.display_short,
        "year": year,
        "n": seq.last + 1,
    }


@transaction.atomic
def task_create(
    *,
    application: Application,
    kind: str,
    part: str,
    actor,
    division: Division | None = None,
    target_agency: Agency | None = None,
    instructions: str = "",
    days: int = DEFAULT_DAYS,
    today: date | None = None,
) -> Task:
    """Hand ``application`` (or ``part`` of it) to a division of its agency (交办) or to another
    agency on the platform (协办), due ``days`` working days from today (core's calendar). A
    协办 task takes the next number of the agency's assistance letters (协办函)."""
    application = Application.objects.select_for_update().select_related("agency").get(pk=application.pk)
    _require(can_route(actor, application))
    if application.state not in ROUTABLE_STATES:
        raise CaseworkError(_("只有办理中的申请可以交办或协办。"))
    part = part.strip()
    if not part:
        raise CaseworkError(_("请写明交办的事项。"))
    if not 1 <= days <= MAX_DAYS:
        raise CaseworkError(_("办理时限应为1至%(n)s个工作日。") % {"n": MAX_DAYS})
    if kind == TaskKind.DIVISION:
        if division is None or division.agency_id != application.agency_id or not division.is_active:
            raise CaseworkError(_("请选择本机关的业务科室。"))
        target_agency = None
    elif kind == TaskKind.AGENCY:
        if target_agency is None or target_agency.pk == application.agency_id or not target_agency.is_active:
            raise CaseworkError(_("请选择平台上的其他机关。"))
        division = None
    else:
        raise CaseworkError(_("未知的办理类型。"))
    today = today or timezone.localdate()
    due_on, provisional = _due(today, days)
    task = Task.objects.create(
        application=application,
        kind=kind,
        division=division,
        target_agency=target_agency,
        part=part[:300],
        instructions=instructions.strip()[:MAX_TEXT],
        days=days,
        due_on=due_on,
        due_provisional=provisional,
        letter_no=_next_letter_no(application.agency, today.year) if kind == TaskKind.AGENCY else "",
        created_by=actor,
    )
    audit_record(actor=actor, action="casework_task_create", obj=task, after=_snapshot(task))
    return task


def _lock(task: Task, expected_version: int | None) -> Task:
    return core.lock(task, expected_version, error=Conflict, related=("application", "application__agency"))


def _step(task: Task, event: str, actor, action: str, **changes) -> Task:
    before = _snapshot(task)
    task.state = core.transition(task, next_state, event, CaseworkError)
    for name, value in changes.items():
        setattr(task, name, value)
    task.version += 1
    task.save()
    audit_record(actor=actor, action=action, obj=task, before=before, after=_snapshot(task) | _extra(changes))
    return task


def _extra(changes: dict) -> dict:
    """What the audit keeps of a step's text: its length, not the words (which may quote the
    applicant's request)."""
    return {f"{k}_chars": len(v) for k, v in changes.items() if isinstance(v, str)}


@transaction.atomic
def task_answer(*, task: Task, answer: str, files=(), actor, expected_version: int | None = None) -> Task:
    """The division or assisting agency answers: text and files (each checked like every
    upload: type by content, size, bombs). A returned task is answered again."""
    task = _lock(task, expected_version)
    _require(can_answer(actor, task))
    answer = answer.strip()
    if not answer:
        raise CaseworkError(_("请填写答复意见。"))
    if len(answer) > MAX_TEXT:
        raise CaseworkError(_("答复意见不能超过%(n)s字。") % {"n": MAX_TEXT})
    files = list(files)
    if len(files) + task.files.count() > MAX_FILES:
        raise CaseworkError(_("每个事项最多附%(n)s个文件。") % {"n": MAX_FILES})
    inspected = []
    for data, filename in files:
        try:
            inspected.append(upload_inspect(data=data, filename=filename))
        except AttachmentError as exc:
            raise CaseworkError(str(exc)) from exc
    task = _step(
        task,
        "answer",
        actor,
        "casework_task_answer",
        answer=answer,
        answered_at=timezone.now(),
        answered_by=actor,
    )
    for upload in inspected:
        row = TaskFile(
            task=task,
            title=upload.original_name[:300],
            content_type=upload.kind.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor,
        )
        with upload.open() as fh:
            row.file.save(f"{secrets.token_hex(16)}{upload.extension}", File(fh), save=False)
        row.save()
        audit_record(
            actor=actor,
            action="casework_task_file_add",
            obj=row,
            after={"size": row.size, "sha256": row.sha256},
        )
    return task


@transaction.atomic
def task_review(
    *,
    task: Task,
    accept: bool,
    note: str = "",
    days: int | None = None,
    actor,
    expected_version: int | None = None,
) -> Task:
    """The handler accepts the answer into the case, or returns it with the reason (and, when
    given, a new period of ``days`` working days from today)."""
    task = _lock(task, expected_version)
    _require(can_route(actor, task.application))
    note = note.strip()[:MAX_TEXT]
    if accept:
        return _step(
            task,
            "accept",
            actor,
            "casework_task_accept",
            review_note=note,
            reviewed_at=timezone.now(),
            reviewed_by=actor,
        )
    if not note:
        raise CaseworkError(_("退回时请写明需要补充的内容。"))
    changes = {"review_note": note, "reviewed_at": timezone.now(), "reviewed_by": actor}
    if days:
        if not 1 <= days <= MAX_DAYS:
            raise CaseworkError(_("办理时限应为1至%(n)s个工作日。") % {"n": MAX_DAYS})
        changes["due_on"], changes["due_provisional"] = _due(timezone.localdate(), days)
        changes["days"] = days
    return _step(task, "return", actor, "casework_task_return", **changes)


@transaction.atomic
def task_withdraw(*, task: Task, reason: str, actor, expected_version: int | None = None) -> Task:
    task = _lock(task, expected_version)
    _require(can_route(actor, task.application))
    reason = reason.strip()
    if not reason:
        raise CaseworkError(_("请写明撤回的理由。"))
    return _step(task, "withdraw", actor, "casework_task_withdraw", review_note=reason[:MAX_TEXT])


# --- notes ----------------------------------------------------------------------------------------


@transaction.atomic
def note_add(*, application: Application, text: str, actor) -> Note:
    """An internal note on the case: staff of its agency only, never shown to the applicant."""
    _require(can_route(actor, application))
    text = text.strip()
    if not text:
        raise CaseworkError(_("请填写备注内容。"))
    if len(text) > MAX_TEXT:
        raise CaseworkError(_("备注不能超过%(n)s字。") % {"n": MAX_TEXT})
    note = Note.objects.create(application=application, text=text, author=actor)
    audit_record(
        actor=actor,
        action="casework_note_add",
        obj=note,
        after={"application": application.pk, "chars": len(text)},
    )
    return note


__all__ = [
    "CaseworkError",
    "Conflict",
    "NotPermitted",
    "TaskState",
    "can_answer",
    "can_read_notes",
    "can_route",
    "division_save",
    "note_add",
    "task_answer",
    "task_create",
    "task_review",
    "task_withdraw",
]
