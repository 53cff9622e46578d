"""Reads of consultations.

Public: only consultations whose draft passed review and is public; comments only as shown
(masked) text; commenters only as masked names. Staff: consultations of the agencies in the
user's scope (agencies/access.py); one out of scope is answered like one that does not exist.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope
from gongkai.catalogue.models import Visibility

from .masking import masked_name
from .models import Comment, CommentGroup, Consultation, Hearing
from .rules import CLOSING_SOON_DAYS, MIN_PERIOD_DAYS, Adoption, Moderation, Phase, adoption_rate, period_days
from .services import consultation_phase

_RELATED = ("agency", "draft", "report", "final_document", "interpretation", "draft_submission")


def _with_counts(qs: QuerySet) -> QuerySet:
    return qs.select_related(*_RELATED).annotate(
        comment_count=Count("comments", distinct=True),
        shown_count=Count("comments", filter=Q(comments__moderation=Moderation.SHOWN), distinct=True),
    )


def decorate(consultations, today: date | None = None) -> list[Consultation]:
    """Rows with their phase, period length and days left (no queries)."""
    today = today or timezone.localdate()
    rows = list(consultations)
    for c in rows:
        c.phase = consultation_phase(c, today)
        c.phase_label = Phase(c.phase).label
        c.period_days = period_days(c.opens_on, c.closes_on)
        c.short_period = c.period_days < MIN_PERIOD_DAYS
        c.days_left = (c.closes_on - today).days if c.phase == Phase.OPEN else None
        c.closing_soon = c.days_left is not None and c.days_left <= CLOSING_SOON_DAYS
    return rows


# --- public ------------------------------------------------------------------------------------


def public_consultations(
    *, q: str = "", agency_code: str = "", status: str = "", today: date | None = None
) -> QuerySet:
    """Consultations whose draft is public, newest first, filtered by words in the title or
    explanation, the agency and ``status`` (open / closed / concluded)."""
    today = today or timezone.localdate()
    qs = Consultation.objects.published().filter(cancelled_at__isnull=True)
    if q.strip():
        for word in q.split():
            qs = qs.filter(Q(draft__title__icontains=word) | Q(draft__summary__icontains=word))
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if status == "open":
        qs = qs.filter(opens_on__lte=today, closes_on__gte=today)
    elif status == "closed":
        qs = qs.filter(closes_on__lt=today).exclude(report__visibility=Visibility.PUBLIC)
    elif status == "concluded":
        qs = qs.filter(report__visibility=Visibility.PUBLIC)
    return _with_counts(qs).order_by("-opens_on", "-pk")


def public_consultation(pk: int) -> Consultation:
    """One consultation whose draft is public, or 404."""
    c = _with_counts(Consultation.objects.published()).filter(pk=pk).first()
    if c is None:
        raise Http404
    return decorate([c])[0]


@dataclass(frozen=True)
class PublicComment:
    tracking_no: str
    author: str
    received_at: datetime
    body: str


def shown_comments(consultation: Consultation) -> list[PublicComment]:
    """Comments shown on the public page: masked text and name, oldest first."""
    rows = consultation.comments.filter(moderation=Moderation.SHOWN).only(
        "tracking_no", "name", "received_at", "public_body"
    )
    return [PublicComment(c.tracking_no, masked_name(c.name), c.received_at, c.public_body) for c in rows]


def public_groups(consultation: Consultation) -> list[CommentGroup]:
    """The groups with their decisions, once the adoption report is public."""
    if consultation.report_id is None or consultation.report.visibility != Visibility.PUBLIC:
        return []
    return list(consultation.groups.annotate(n=Count("comments")))


def public_hearings(consultation: Consultation) -> list[Hearing]:
    return list(
        consultation.hearings.annotate(
            n_selected=Count("registrations", filter=Q(registrations__selected=True))
        )
    )


def linked_consultation(document) -> Consultation | None:
    """The consultation a public document belongs to as its draft, its report or its final
    decision (for a link on the document's page)."""
    return (
        Consultation.objects.published()
        .filter(Q(draft=document) | Q(report=document) | Q(final_document=document))
        .first()
    )


# --- staff -------------------------------------------------------------------------------------


def consultations_in_scope(user) -> QuerySet:
    return _with_counts(Consultation.objects.filter(agency__in=agencies_in_scope(user))).annotate(
        pending_count=Count("comments", filter=Q(comments__moderation=Moderation.PENDING), distinct=True),
        ungrouped_count=Count("comments", filter=Q(comments__group__isnull=True), distinct=True),
    )


def consultation_for_staff(user, pk: int) -> Consultation:
    c = consultations_in_scope(user).filter(pk=pk).first()
    if c is None:
        raise Http404
    return decorate([c])[0]


def staff_comments(consultation: Consultation) -> list[Comment]:
    """Every comment, with its group; the staff of the agency see them in full."""
    return list(consultation.comments.select_related("group").order_by("received_at", "pk"))


def staff_hearings(consultation: Consultation) -> list[Hearing]:
    return list(consultation.hearings.prefetch_related("registrations"))


@dataclass(frozen=True)
class WorkbenchCounts:
    open: int
    closing: int
    awaiting_report: int
    pending_comments: int


def workbench_counts(user, today: date | None = None) -> WorkbenchCounts:
    """For the list's summary line: open, closing within a week, closed without a public
    report, comments awaiting moderation."""
    today = today or timezone.localdate()
    base = Consultation.objects.filter(
        agency__in=agencies_in_scope(user), cancelled_at__isnull=True, draft__visibility=Visibility.PUBLIC
    )
    open_ = base.filter(opens_on__lte=today, closes_on__gte=today)
    return WorkbenchCounts(
        open=open_.count(),
        closing=open_.filter(closes_on__lte=today + timedelta(days=CLOSING_SOON_DAYS)).count(),
        awaiting_report=base.filter(closes_on__lt=today)
        .exclude(report__visibility=Visibility.PUBLIC)
        .count(),
        pending_comments=Comment.objects.filter(consultation__in=base, moderation=Moderation.PENDING).count(),
    )


# --- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationStatistics:
    consultations: int  # drafts published for comment in the period
    comments: int  # comments received on them
    groups_decided: int
    adopted: int
    partly_adopted: int
    not_adopted: int
    adoption_rate: float | None  # (adopted + partly) / decided groups; None when none decided
    hearings: int


def consultation_statistics(*, agency_ids=None, start: date, end: date) -> ConsultationStatistics:
    """Consultations opened from ``start`` to ``end`` (inclusive) by the given agencies (all when
    None), their comments and the adoption decisions: for the statistics page, the annual
    report's narrative and the assessment."""
    qs = Consultation.objects.published().filter(
        opens_on__gte=start, opens_on__lte=end, cancelled_at__isnull=True
    )
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    groups = CommentGroup.objects.filter(consultation__in=qs).exclude(decision="")
    by = dict(groups.order_by().values_list("decision").annotate(n=Count("pk")))
    decided = sum(by.values())
    adopted, partly = by.get(Adoption.ADOPTED, 0), by.get(Adoption.PARTLY, 0)
    return ConsultationStatistics(
        consultations=qs.count(),
        comments=Comment.objects.filter(consultation__in=qs).count(),
        groups_decided=decided,
        adopted=adopted,
        partly_adopted=partly,
        not_adopted=by.get(Adoption.NOT_ADOPTED, 0),
        adoption_rate=adoption_rate(adopted, partly, decided),
        hearings=Hearing.objects.filter(consultation__in=qs).count(),
    )


def _per_consultation(model, **conditions) -> Coalesce:
    """Rows of ``model`` per consultation, as a correlated count (0 when none)."""
    rows = (
        model.objects.filter(consultation=OuterRef("pk"), **conditions)
        .order_by()
        .values("consultation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def consultation_statistics_by_agency(
    agency_ids, *, start: date, end: date
) -> dict[int, ConsultationStatistics]:
    """``consultation_statistics`` for each of ``agency_ids`` in one grouped query (the
    assessment reads many agencies at once); an agency with no consultation gets zeros."""
    ids = list(agency_ids)
    rows = (
        Consultation.objects.published()
        .filter(agency_id__in=ids, opens_on__gte=start, opens_on__lte=end, cancelled_at__isnull=True)
        .order_by()
        .values("agency_id")
        .annotate(
            consultations=Count("pk"),
            comments=Sum(_per_consultation(Comment)),
            adopted=Sum(_per_consultation(CommentGroup, decision=Adoption.ADOPTED)),
            partly=Sum(_per_consultation(CommentGroup, decision=Adoption.PARTLY)),
            not_adopted=Sum(_per_consultation(CommentGroup, decision=Adoption.NOT_ADOPTED)),
            hearings=Sum(_per_consultation(Hearing)),
        )
    )
    out = {pk: ConsultationStatistics(0, 0, 0, 0, 0, 0, None, 0) for pk in ids}
    for r in rows:
        adopted, partly, not_adopted = r["adopted"] or 0, r["partly"] or 0, r["not_adopted"] or 0
        decided = adopted + partly + not_adopted
        out[r["agency_id"]] = ConsultationStatistics(
            consultations=r["consultations"],
            comments=r["comments"] or 0,
            groups_decided=decided,
            adopted=adopted,
            partly_adopted=partly,
            not_adopted=not_adopted,
            adoption_rate=adoption_rate(adopted, partly, decided),
            hearings=r["hearings"] or 0,
        )
    return out
