"""The agenda (期限日程): every deadline the platform knows for the agencies in the user's scope,
one list sorted by date. The domain apps say what is due (applications.deadlines from the
statutory clock, publishing's scheduled records, complaints' answer dates); this module only
composes them, filters (mine, search, dates) and counts, so the dashboard and the agenda page
read the same source and cannot disagree."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope, roles_by_agency
from gongkai.agencies.models import Role
from gongkai.applications.deadlines import OPTIONAL_KINDS, application_deadlines
from gongkai.applications.models import Application
from gongkai.applications.personal_data import masked_phone
from gongkai.applications.services import letters_awaiting
from gongkai.casework.selectors import agenda_tasks
from gongkai.complaints import rules as complaint_rules
from gongkai.complaints.models import Complaint
from gongkai.complaints.selectors import masked_name
from gongkai.publishing.models import Submission
from gongkai.publishing.rules import SubmissionState

from .selectors_applications import search_applications

COMPLAINT = "complaint"
SCHEDULED = "scheduled_publication"
CASEWORK = "casework_task"
SIGNOFF = "signoff"
KIND_LABELS = {
    COMPLAINT: _("举报与建议答复期限"),
    SCHEDULED: _("定时发布"),
    SIGNOFF: _("待我签发"),
    CASEWORK: _("交办协办期限"),
}


@dataclass
class AgendaItem:
    on: date
    kind: str
    kind_label: str
    area: str  # "application", "complaint", "publishing"
    reference: str  # tracking number or index/title
    summary: str
    url: str
    agency_name: str
    assignee_id: int | None
    assignee_name: str
    person: str  # the applicant or complainant, masked unless the user is the agency's staff
    phone: str  # masked the same way
    overdue: bool


def _name_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _application_items(user, today: date, q: str, scope, own: set[int]) -> list[AgendaItem]:
    applications = Application.objects.filter(agency__in=scope).select_related("agency", "assigned_to")
    if q:
        applications = search_applications(applications, user, q)
    items = []
    for d in application_deadlines(applications, today):
        a = d.application
        full = a.agency_id in own
        summary = a.description[:60] + (f"（{d.detail}）" if d.detail else "")
        items.append(
            AgendaItem(
                on=d.on,
                kind=str(d.kind),
                kind_label=d.kind_label,
                area="application",
                reference=a.tracking_no,
                summary=summary,
                url=reverse("workbench:application_detail", args=[a.pk]),
                agency_name=a.agency.name,
                assignee_id=a.assigned_to_id,
                assignee_name=_name_of(a.assigned_to),
                person=a.name if full else masked_name(a.name),
                phone=masked_phone(a.phone),
                overdue=d.on < today and d.kind not in OPTIONAL_KINDS,
            )
        )
    return items


def _complaint_items(user, today: date, q: str, scope, own: set[int]) -> list[AgendaItem]:
    complaints = Complaint.objects.filter(
        routed_to__in=scope, state__in=complaint_rules.OPEN_STATES
    ).select_related("routed_to", "handled_by")
    if q:
        complaints = complaints.filter(
            Q(tracking_no__icontains=q)
            | Q(content__icontains=q)
            | ((Q(name__icontains=q) | Q(contact__icontains=q)) & Q(routed_to_id__in=own))
        )
    return [
        AgendaItem(
            on=c.due_on,
            kind=COMPLAINT,
            kind_label=str(KIND_LABELS[COMPLAINT]),
            area="complaint",
            reference=c.tracking_no,
            summary=c.content[:60],
            url=reverse("workbench:complaint_detail", args=[c.pk]),
            agency_name=c.routed_to.name,
            assignee_id=c.handled_by_id,
            assignee_name=_name_of(c.handled_by),
            person=c.name if c.routed_to_id in own else masked_name(c.name),
            phone="",
            overdue=c.due_on < today,
        )
        for c in complaints
    ]


def _publication_items(user, today: date, q: str, scope, own: set[int]) -> list[AgendaItem]:
    scheduled = Submission.objects.filter(
        agency__in=scope, state=SubmissionState.SCHEDULED, publish_at__isnull=False
    ).select_related("document", "agency", "created_by")
    if q:
        scheduled = scheduled.filter(document__title__icontains=q)
    items = []
    for s in scheduled:
        on = timezone.localtime(s.publish_at).date()
        items.append(
            AgendaItem(
                on=on,
                kind=SCHEDULED,
                kind_label=str(KIND_LABELS[SCHEDULED]),
                area="publishing",
                reference=s.document.index_no or "",
                summary=s.document.title[:60],
                url=reverse("workbench:record_detail", args=[s.pk]),
                agency_name=s.agency.name,
                assignee_id=s.created_by_id,
                assignee_name=_name_of(s.created_by),
                person="",
                phone="",
                overdue=False,  # published by `gongkai remind` when due
            )
        )
    return items


def _casework_items(user, today: date, q: str, own: set[int]) -> list[AgendaItem]:
    """Tasks routed to a division or another agency (交办/协办), for those who answer them and
    for the staff of the case's agency; "mine" is the user's own to answer, else the case's."""
    tasks, answering = agenda_tasks(user, q)
    items = []
    for t in tasks:
        a = t.application
        mine = t.pk in answering
        items.append(
            AgendaItem(
                on=t.due_on,
                kind=CASEWORK,
                kind_label=str(KIND_LABELS[CASEWORK]),
                area="casework",
                reference=a.tracking_no,
                summary=f"{t.get_kind_display()}：{t.assignee_label}（{t.part[:40]}）",
                url=reverse("workbench:casework_task", args=[t.pk]),
                agency_name=a.agency.name,
                assignee_id=user.pk if mine else a.assigned_to_id,
                assignee_name=t.assignee_label if mine else _name_of(a.assigned_to),
                person=a.name if a.agency_id in own else masked_name(a.name),
                phone="",
                overdue=t.due_on < today,
            )
        )
    return items


def _signoff_items(user, today: date, q: str, scope, own: set[int]) -> list[AgendaItem]:
    """The letters waiting for the user's sign-off (the approver's 待我签发 queue, issue 18 item
    2), each on the day its case's reply is due (an extension before the original deadline),
    else the day it was drafted; the user is its assignee. The case's own deadline is listed
    apart, so a queued letter is never counted overdue a second time."""
    items = []
    for letter in letters_awaiting(user):
        a = letter.application
        if q and q not in a.tracking_no and q not in a.description and q not in letter.title:
            continue
        items.append(
            AgendaItem(
                on=a.reply_due_on or timezone.localdate(letter.created_at),
                kind=SIGNOFF,
                kind_label=str(KIND_LABELS[SIGNOFF]),
                area="application",
                reference=a.tracking_no,
                summary=f"{letter.title}：{a.description[:40]}",
                url=reverse("workbench:application_signoff_queue"),
                agency_name=a.agency.name,
                assignee_id=user.pk,
                assignee_name=_name_of(user),
                person=a.name if a.agency_id in own else masked_name(a.name),
                phone=masked_phone(a.phone),
                overdue=False,
            )
        )
    return items


def agenda_for(
    user,
    today: date | None = None,
    *,
    mine: bool = False,
    q: str = "",
    start: date | None = None,
    end: date | None = None,
    overdue_only: bool = False,
) -> list[AgendaItem]:
    """The deadlines in the user's scope, earliest first; ``mine``: those assigned to the user;
    ``start``/``end``: due in that range (inclusive); ``q``: request text, number, applicant or
    phone (the last two only where the user may read them)."""
    today = today or timezone.localdate()
    q = q.strip()
    scope = agencies_in_scope(user)  # a subquery, read by each list below
    own = set(roles_by_agency(user, *Role.values))  # staff of the agency itself read in full
    items = [
        *_application_items(user, today, q, scope, own),
        *_complaint_items(user, today, q, scope, own),
        *_publication_items(user, today, q, scope, own),
        *_signoff_items(user, today, q, scope, own),
        *_casework_items(user, today, q, own),
    ]
    if mine:
        items = [i for i in items if i.assignee_id == user.pk]
    if start is not None:
        items = [i for i in items if i.on >= start]
    if end is not None:
        items = [i for i in items if i.on <= end]
    if overdue_only:
        items = [i for i in items if i.overdue]
    items.sort(key=lambda i: (i.on, i.kind, i.reference))
    return items


def week_of(day: date) -> tuple[date, date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass
class AgendaCounts:
    this_week: int  # due from today to Sunday
    overdue: int
    mine_this_week: int
    week_end: date


def agenda_counts(user, today: date | None = None) -> AgendaCounts:
    """The dashboard's numbers, from the same list the agenda page shows."""
    today = today or timezone.localdate()
    _monday, sunday = week_of(today)
    items = agenda_for(user, today)
    week = [i for i in items if today <= i.on <= sunday]
    return AgendaCounts(
        this_week=len(week),
        overdue=sum(1 for i in items if i.overdue),
        mine_this_week=sum(1 for i in week if i.assignee_id == user.pk),
        week_end=sunday,
    )
