"""Reads of casework: the tasks and notes of a case, the tasks a user answers, and what is due
(for the agenda). A division member sees only its division's tasks; the applicant's details on
a task are masked (the assignee searches for information, it does not contact the applicant)."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_in_scope, agencies_where
from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import Application
from gongkai.core.scan.masking import mask

from .models import Division, Note, Task
from .rules import PENDING_STATES, TaskKind


def _tasks() -> QuerySet:
    return Task.objects.select_related(
        "application", "application__agency", "division", "target_agency", "created_by", "answered_by"
    ).prefetch_related("files")


def tasks_of_case(application: Application, user) -> list[Task]:
    """The tasks of ``application`` that ``user`` may open."""
    tasks = _tasks().filter(visible_filter(user), application=application).distinct()
    return list(tasks.order_by("created_at", "pk"))


def notes_of_case(application: Application) -> list[Note]:
    return list(Note.objects.filter(application=application).select_related("author"))


def answerable_filter(user) -> Q:
    """The tasks ``user`` answers: 交办 to a division they belong to, 协办 to an agency where
    they are a clerk or the office head."""
    return Q(kind=TaskKind.DIVISION, division__members=user) | Q(
        kind=TaskKind.AGENCY, target_agency__in=agencies_where(user, Role.CLERK, Role.OFFICE_HEAD)
    )


# Who oversees the tasks of a case besides those answering them: its handlers, the agency's
# leaders and administrators, supervisors above. A reviewer (who may also sit in a division)
# sees only the tasks of the divisions they belong to.
OVERSEEING_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.LEADER, Role.ADMINISTRATOR, Role.SUPERVISOR)


def visible_filter(user) -> Q:
    """What ``user`` may open: the tasks they answer, and the tasks of the cases they oversee."""
    return answerable_filter(user) | Q(application__agency__in=agencies_in_scope(user, *OVERSEEING_ROLES))


def tasks_for(user, *, pending_only: bool = False) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    tasks = _tasks().filter(visible_filter(user)).distinct()
    if pending_only:
        tasks = tasks.filter(state__in=PENDING_STATES)
    return tasks


def task_for(user, pk: int) -> Task:
    """One task, or 404 when the user may not open it."""
    task = tasks_for(user).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def answering_tasks(user) -> QuerySet:
    """The tasks ``user`` answers (their to-do), newest deadline last."""
    return _tasks().filter(answerable_filter(user)).distinct().order_by("due_on", "pk")


def masked_applicant(application: Application) -> str:
    return mask("person_name", application.name) if application.name else ""


def divisions_of(agency: Agency | int, active_only: bool = True) -> QuerySet:
    divisions = Division.objects.filter(agency=agency)
    return divisions.filter(is_active=True) if active_only else divisions


def overdue(task: Task, today: date) -> bool:
    return task.is_overdue(today)


def agenda_tasks(user, q: str = "") -> tuple[list[Task], set[int]]:
    """The pending tasks ``user`` sees on the agenda (those they answer and those of the cases in
    their scope), and the ids of those they answer."""
    tasks = tasks_for(user, pending_only=True).select_related("application__assigned_to")
    if q:
        tasks = tasks.filter(
            Q(part__icontains=q)
            | Q(application__tracking_no__icontains=q)
            | Q(application__description__icontains=q)
        )
    tasks = list(tasks)
    answering = set(
        Task.objects.filter(pk__in=[t.pk for t in tasks])
        .filter(answerable_filter(user))
        .values_list("pk", flat=True)
    )
    return tasks, answering


def referral_contact(agency: Agency) -> str:
    """The line an Art. 36(5) referral names: the agency, its disclosure office, address and
    phone (what the directory holds), at most 300 characters (the decision's field)."""
    office = getattr(agency, "office", None)
    details = []
    if office is not None:
        details += [office.name] if office.name and office.name != agency.name else []
        details += [f"地址：{office.address}"] if office.address else []
        details += [f"电话：{office.phone}"] if office.phone else []
    text = agency.name + (f"（{'，'.join(details)}）" if details else "")
    return text[:300]


def managed_agencies(user) -> QuerySet:
    """The agencies whose divisions ``user`` keeps (office head or administrator there)."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=agencies_where(user, Role.OFFICE_HEAD, Role.ADMINISTRATOR))
