"""Reads of complaints and suggestions.

Staff: every query is limited to complaints routed to an agency in the user's scope (its own
staff, and supervisors above it), so one out of scope is answered like one that does not exist.
The agency complained about does not see the complaint unless it answers it itself: the
complainant's identity stays with the body that investigates. Personal data is masked unless
the reader is staff of the routed agency.

Public: the complainant's own progress and the published answers, as plain values that name no
one (security.md), so templates and the API need no second filter.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope, holds_role_at
from gongkai.core.retention import ANONYMISED
from gongkai.core.scan.masking import mask

from .models import Complaint
from .rules import OPEN_STATES, State

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")

# --- masking -----------------------------------------------------------------------------------


def masked_name(name: str) -> str:
    if name == ANONYMISED:  # nothing left to hide (complaints/retention.py)
        return name
    return mask("person_name", name) if name else ""


def masked_contact(contact: str) -> str:
    """A phone number or e-mail address with its identifying part starred."""
    if not contact or contact == ANONYMISED:
        return contact
    if "@" in contact:
        return mask("email", contact)
    digits = re.sub(r"[^0-9+]", "", contact)
    if len(digits) < 5:
        return "*" * len(contact)
    return mask("mobile" if _MOBILE.match(digits) else "landline", contact)


# --- staff -------------------------------------------------------------------------------------


def complaints_in_scope(user) -> QuerySet:
    """Every complaint routed to an agency the user may read."""
    return Complaint.objects.filter(routed_to__in=agencies_in_scope(user)).select_related(
        "agency", "routed_to", "handled_by"
    )


def complaint_for_staff(user, pk: int) -> Complaint:
    """One complaint, or 404 when it does not exist or is out of the user's scope."""
    complaint = (
        Complaint.objects.select_related("agency", "routed_to", "handled_by", "answered_by")
        .filter(pk=pk, routed_to__in=agencies_in_scope(user))
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def is_routed_staff(user, complaint: Complaint) -> bool:
    """Staff of the routed agency itself (any role) see the complainant in full."""
    return holds_role_at(user, complaint.routed_to_id)


def is_overdue(complaint: Complaint, today: date) -> bool:
    return complaint.state in OPEN_STATES and complaint.due_on < today


def by_due_date(qs: QuerySet) -> QuerySet:
    """Open ones first, earliest answer date first; answered ones after, latest first."""
    return qs.order_by(F("answered_at").desc(nulls_first=True), "due_on", "-received_at", "-pk")


def decorate(complaints, today: date) -> list[Complaint]:
    """Masked name and contact and the derived lateness, for list rows (no queries)."""
    rows = list(complaints)
    for c in rows:
        c.masked_name = masked_name(c.name)
        c.masked_contact = masked_contact(c.contact)
        c.is_overdue = is_overdue(c, today)
    return rows


@dataclass
class ComplaintCounts:
    open: int
    overdue: int


def complaint_counts(user, today: date) -> ComplaintCounts:
    """For a dashboard card, in one query."""
    counts = complaints_in_scope(user).aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_on__lt=today)),
    )
    return ComplaintCounts(**counts)


# --- public ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintProgress:
    tracking_no: str
    kind_label: str
    agency_name: str
    routed_to_name: str
    status: str
    status_label: str
    received_on: date
    due_on: date
    due_provisional: bool
    overdue: bool
    answer: str
    answered_on: date | None
    answer_public: bool


def complaint_progress(complaint: Complaint, today: date | None = None) -> ComplaintProgress:
    """What the complainant sees with the query code: the state, the dates and the answer."""
    today = today or timezone.localdate()
    return ComplaintProgress(
        tracking_no=complaint.tracking_no,
        kind_label=complaint.get_kind_display(),
        agency_name=complaint.agency.name,
        routed_to_name=complaint.routed_to.name,
        status=complaint.state,
        status_label=complaint.get_state_display(),
        received_on=timezone.localdate(complaint.received_at),
        due_on=complaint.due_on,
        due_provisional=complaint.due_provisional,
        overdue=is_overdue(complaint, today),
        answer=complaint.answer if complaint.state == State.ANSWERED else "",
        answered_on=timezone.localdate(complaint.answered_at) if complaint.answered_at else None,
        answer_public=complaint.answer_public,
    )


@dataclass(frozen=True)
class PublicAnswer:
    pk: int
    kind: str
    kind_label: str
    agency_name: str
    routed_to_name: str
    received_on: date
    answered_on: date
    summary: str
    answer: str


def public_answers() -> QuerySet:
    """Published answers, latest first; only the columns a public page may show are read."""
    return (
        Complaint.objects.published()
        .select_related("agency", "routed_to")
        .only(
            "kind",
            "received_at",
            "answered_at",
            "public_summary",
            "public_answer",
            "agency__name",
            "routed_to__name",
        )  # fmt: skip
        .order_by("-answered_at", "-pk")
    )


def as_public(complaints) -> list[PublicAnswer]:
    """Rows of public_answers() as values that name no one."""
    return [
        PublicAnswer(
            pk=c.pk,
            kind=c.kind,
            kind_label=c.get_kind_display(),
            agency_name=c.agency.name,
            routed_to_name=c.routed_to.name,
            received_on=timezone.localdate(c.received_at),
            answered_on=timezone.localdate(c.answered_at),
            summary=c.public_summary,
            answer=c.public_answer,
        )
        for c in complaints
    ]


def upheld_counts(*, agency_ids, start: date, end: date) -> dict[int, int]:
    """Complaints about each agency found upheld (查实) and answered from ``start`` to ``end``
    (inclusive), for assessment."""
    tz = ZoneInfo("Asia/Shanghai")
    rows = (
        Complaint.objects.filter(
            agency_id__in=list(agency_ids),
            upheld=True,
            answered_at__gte=datetime.combine(start, time.min, tzinfo=tz),
            answered_at__lte=datetime.combine(end, time.max, tzinfo=tz),
        )
        .order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    return {row["agency_id"]: row["n"] for row in rows}
