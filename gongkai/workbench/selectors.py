"""Reads for the workbench: every query is limited to what the user may see (agencies in
scope), so a record out of scope is answered exactly like one that does not exist."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope, holds_role, roles_by_agency
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import Attachment, Document, Visibility
from gongkai.publishing import permissions
from gongkai.publishing.models import ReviewAction, Submission
from gongkai.publishing.rules import (
    APPROVER_ROLES,
    EDITABLE_STATES,
    OPEN_STATES,
    SECRECY_REFERRAL_STEP,
    SubmissionKind,
    SubmissionState,
)

DUE_SOON = timedelta(days=3)
DASHBOARD_LIST_SIZE = 10


def _with_related(qs: QuerySet) -> QuerySet:
    return qs.select_related("document", "agency")


def submissions_in_scope(user) -> QuerySet:
    """Every submission of an agency the user may read (supervisors: the agencies below)."""
    return _with_related(Submission.objects.filter(agency__in=agencies_in_scope(user)))


def submission_for_staff(user, pk: int) -> Submission:
    """One submission, or 404 when it does not exist or is out of the user's scope."""
    submission = (
        Submission.objects.select_related("document", "agency", "created_by", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if submission is None or not permissions.can_view(user, submission.agency):
        raise Http404
    return submission


def document_for_staff(user, pk: int) -> Document:
    document = Document.objects.select_related("agency").filter(pk=pk).first()
    if document is None or not permissions.can_view(user, document.agency):
        raise Http404
    return document


def attachment_for_staff(submission: Submission, pk: int) -> Attachment:
    """An attachment of the record's document (the record itself was checked for scope)."""
    attachment = Attachment.objects.filter(pk=pk, document_id=submission.document_id).first()
    if attachment is None:
        raise Http404
    return attachment


def drafting_agencies(user) -> QuerySet:
    """Agencies where the user drafts records (holds the clerk role on the agency itself)."""
    return agencies_in_scope(user, Role.CLERK)


def public_document_of(index_no: str, agencies: QuerySet | None = None) -> Document | None:
    """A published document found by its index number (of one of ``agencies`` when given)."""
    qs = Document.objects.select_related("agency").filter(
        visibility=Visibility.PUBLIC, index_no=index_no.strip()
    )
    if agencies is not None:
        qs = qs.filter(agency__in=agencies)
    return qs.first()


def awaiting_decision(user) -> list[Submission]:
    """Submissions in review whose current step this user may decide.

    The same rule as ``permissions.can_submission_decide`` (a test holds them equal), computed
    in three queries for the whole queue instead of two per submission."""
    if not user.is_authenticated:
        return []
    roles = roles_by_agency(user, *APPROVER_ROLES)
    if not roles:
        return []
    candidates = list(
        _with_related(
            Submission.objects.filter(state=SubmissionState.IN_REVIEW, agency_id__in=roles)
            .exclude(created_by=user)
            .exclude(submitted_by=user)
        ).order_by("due_at", "updated_at")
    )
    acted = set(
        ReviewAction.objects.filter(
            submission__in=[s.pk for s in candidates], actor=user, step__gte=1
        ).values_list("submission_id", "round")
    )
    queue = []
    for s in candidates:
        step = s.current_step
        if step is None or step.role not in roles[s.agency_id]:
            continue
        if step.key != SECRECY_REFERRAL_STEP.key and (s.pk, s.round) in acted:
            continue
        queue.append(s)
    return queue


@dataclass
class Dashboard:
    awaiting: list
    mine: list
    mine_count: int
    due_soon: list
    due_soon_count: int
    overdue: list
    overdue_count: int
    scheduled: list
    scheduled_count: int
    supervised: list
    now: datetime


def dashboard_for(user, now: datetime | None = None) -> Dashboard:
    """The workbench home: what waits on the user, and the clocks of the agencies in scope."""
    now = now or timezone.now()
    scoped = submissions_in_scope(user)
    mine = _with_related(Submission.objects.filter(created_by=user, state__in=EDITABLE_STATES)).order_by(
        "-updated_at"
    )
    due_soon = scoped.due_between(now, now + DUE_SOON).order_by("due_at")
    overdue = scoped.overdue(now).order_by("due_at")
    scheduled = scoped.filter(state=SubmissionState.SCHEDULED).order_by("publish_at")
    n = DASHBOARD_LIST_SIZE
    return Dashboard(
        awaiting=awaiting_decision(user),
        mine=list(mine[:n]),
        mine_count=mine.count(),
        due_soon=list(due_soon[:n]),
        due_soon_count=due_soon.count(),
        overdue=list(overdue[:n]),
        overdue_count=overdue.count(),
        scheduled=list(scheduled[:n]),
        scheduled_count=scheduled.count(),
        supervised=supervised_agencies(user, now),
        now=now,
    )


def supervised_agencies(user, now: datetime) -> list[Agency]:
    """For supervisors: the agencies below theirs, each with its open, in-review and overdue
    counts (one query)."""
    if not holds_role(user, Role.SUPERVISOR):
        return []
    clock = Q(
        submissions__kind=SubmissionKind.PUBLISH,
        submissions__due_at__isnull=False,
        submissions__state__in=OPEN_STATES,
    )
    return list(
        agencies_in_scope(user, Role.SUPERVISOR).annotate(
            open_count=Count("submissions", filter=Q(submissions__state__in=OPEN_STATES)),
            review_count=Count("submissions", filter=Q(submissions__state=SubmissionState.IN_REVIEW)),
            overdue_count=Count("submissions", filter=clock & Q(submissions__due_at__lt=now)),
        )
    )
