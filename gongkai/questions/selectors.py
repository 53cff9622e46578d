"""Reads of questions, interviews and topic proposals.

Public: published answers, interviews and responded proposals only, as masked text. Staff:
records of the agencies in the user's scope (agencies/access.py); one out of scope is answered
like one that does not exist. Lateness is derived on read from the stored answer date."""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document
from gongkai.consultations.masking import masked_name
from gongkai.consultations.selectors import ConsultationStatistics, consultation_statistics

from .models import Interview, Question, TopicProposal
from .rules import InterviewPhase, QuestionState, is_overdue
from .services import current_interview_phase

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- public ------------------------------------------------------------------------------------


def published_questions(*, q: str = "", agency_code: str = "") -> QuerySet:
    """Answered questions the agencies published, latest answer first, searchable by words."""
    qs = Question.objects.published().select_related("agency")
    for word in q.split():
        qs = qs.filter(
            Q(public_subject__icontains=word)
            | Q(public_body__icontains=word)
            | Q(public_answer__icontains=word)
        )
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    return qs.only(
        "tracking_no", "received_at", "answered_at", "public_subject", "public_body", "public_answer", "agency__name",
        "agency__code",
    ).order_by("-answered_at", "-pk")  # fmt: skip


def published_question(tracking_no: str) -> Question:
    question = published_questions().filter(tracking_no=tracking_no).first()
    if question is None:
        raise Http404
    return question


def decorate_interviews(interviews, now: datetime | None = None) -> list[Interview]:
    now = now or timezone.now()
    rows = list(interviews)
    for i in rows:
        i.phase = current_interview_phase(i, now)
        i.phase_label = InterviewPhase(i.phase).label
    return rows


def public_interviews() -> list[Interview]:
    return decorate_interviews(interviews_for_public()[:50])


def interviews_for_public(*, agency_code: str = "", phase: str = "", now: datetime | None = None) -> QuerySet:
    """Every announced interview (announcements are public from the start), latest first,
    filtered by agency and by phase (the phase's rule of rules.interview_phase, in SQL)."""
    now = now or timezone.now()
    qs = Interview.objects.select_related("agency").order_by("-starts_at", "-pk")
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    unpublished = Q(transcript_published_at__isnull=True)
    by_phase = {
        InterviewPhase.PUBLISHED: ~unpublished,
        InterviewPhase.UPCOMING: unpublished & Q(starts_at__gt=now),
        InterviewPhase.LIVE: unpublished & Q(starts_at__lte=now, ends_at__gte=now),
        InterviewPhase.ENDED: unpublished & Q(ends_at__lt=now),
    }
    if phase:
        qs = qs.filter(by_phase[phase])
    return qs


def public_interview(pk: int) -> Interview:
    interview = Interview.objects.select_related("agency").filter(pk=pk).first()
    if interview is None:
        raise Http404
    return decorate_interviews([interview])[0]


@dataclass(frozen=True)
class PublicProposal:
    tracking_no: str
    agency_code: str
    agency_name: str
    received_on: date
    author: str
    topic: str
    response: str
    response_label: str
    response_text: str
    publish_by: date | None
    link: str
    responded_on: date


def responded_proposals(*, agency_code: str = "") -> QuerySet:
    """Proposals the office answered, latest response first (only these are public)."""
    qs = TopicProposal.objects.exclude(response="").select_related("agency").order_by("-responded_at", "-pk")
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    return qs


def public_proposal_rows(proposals) -> list[PublicProposal]:
    """What the public sees of responded proposals: the masked topic and author, the response;
    never the contact, the reason as written or the address."""
    return [
        PublicProposal(
            tracking_no=p.tracking_no,
            agency_code=p.agency.code,
            agency_name=p.agency.name,
            received_on=timezone.localdate(p.received_at),
            author=masked_name(p.name),
            topic=p.public_topic,
            response=p.response,
            response_label=p.get_response_display(),
            response_text=p.response_text,
            publish_by=p.publish_by,
            link=p.link,
            responded_on=timezone.localdate(p.responded_at),
        )
        for p in proposals
    ]


def public_proposals() -> list[PublicProposal]:
    """Proposals with their public responses, latest response first."""
    return public_proposal_rows(responded_proposals()[:100])


def public_proposal(tracking_no: str) -> PublicProposal:
    rows = public_proposal_rows(responded_proposals().filter(tracking_no=tracking_no)[:1])
    if not rows:
        raise Http404
    return rows[0]


# --- staff -------------------------------------------------------------------------------------


def questions_in_scope(user) -> QuerySet:
    return Question.objects.filter(agency__in=agencies_in_scope(user)).select_related("agency")


def question_for_staff(user, pk: int) -> Question:
    question = questions_in_scope(user).filter(pk=pk).first()
    if question is None:
        raise Http404
    return decorate([question])[0]


def proposals_in_scope(user) -> QuerySet:
    return TopicProposal.objects.filter(agency__in=agencies_in_scope(user)).select_related("agency")


def proposal_for_staff(user, pk: int) -> TopicProposal:
    proposal = proposals_in_scope(user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return decorate([proposal], answered_field="responded_at")[0]


def interviews_in_scope(user) -> QuerySet:
    return (
        Interview.objects.filter(agency__in=agencies_in_scope(user))
        .select_related("agency")
        .annotate(question_count=Count("questions"))
    )


def interview_for_staff(user, pk: int) -> Interview:
    interview = interviews_in_scope(user).filter(pk=pk).first()
    if interview is None:
        raise Http404
    return decorate_interviews([interview])[0]


def by_due_date(qs: QuerySet, answered_field: str = "answered_at") -> QuerySet:
    """Open ones first by answer date; answered ones after, latest first."""
    from django.db.models import F

    return qs.order_by(F(answered_field).desc(nulls_first=True), "due_on", "-received_at", "-pk")


def decorate(rows, today: date | None = None, answered_field: str = "answered_at") -> list:
    """Derived lateness for list rows (no queries)."""
    today = today or timezone.localdate()
    rows = list(rows)
    for r in rows:
        r.is_overdue = is_overdue(
            answered=getattr(r, answered_field) is not None, due_on=r.due_on, today=today
        )
    return rows


@dataclass(frozen=True)
class InboxCounts:
    questions_open: int
    questions_overdue: int
    proposals_open: int
    proposals_overdue: int


def inbox_counts(user, today: date | None = None) -> InboxCounts:
    today = today or timezone.localdate()
    q = questions_in_scope(user).aggregate(
        open=Count("pk", filter=Q(state=QuestionState.RECEIVED)),
        overdue=Count("pk", filter=Q(state=QuestionState.RECEIVED, due_on__lt=today)),
    )
    p = proposals_in_scope(user).aggregate(
        open=Count("pk", filter=Q(responded_at__isnull=True)),
        overdue=Count("pk", filter=Q(responded_at__isnull=True, due_on__lt=today)),
    )
    return InboxCounts(q["open"], q["overdue"], p["open"], p["overdue"])


# --- statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionStatistics:
    questions: int
    answered: int
    answered_on_time: int
    published: int
    interviews: int
    proposals: int
    proposals_responded: int


def question_statistics(*, agency_ids=None, start: date, end: date) -> QuestionStatistics:
    """Questions asked, answered (on time) and published, interviews held and topic proposals,
    from ``start`` to ``end`` inclusive: for the statistics page and the annual report."""
    lo, hi = (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end, time.max, tzinfo=SHANGHAI),
    )
    questions = Question.objects.filter(received_at__gte=lo, received_at__lte=hi)
    interviews = Interview.objects.filter(starts_at__gte=lo, starts_at__lte=hi)
    proposals = TopicProposal.objects.filter(received_at__gte=lo, received_at__lte=hi)
    if agency_ids is not None:
        ids = list(agency_ids)
        questions, interviews, proposals = (
            questions.filter(agency_id__in=ids), interviews.filter(agency_id__in=ids), proposals.filter(agency_id__in=ids),
        )  # fmt: skip
    answered = [
        (timezone.localdate(at), due)
        for at, due in questions.filter(state=QuestionState.ANSWERED).values_list("answered_at", "due_on")
    ]
    return QuestionStatistics(
        questions=questions.count(),
        answered=len(answered),
        answered_on_time=sum(1 for day, due in answered if day <= due),
        published=questions.filter(public=True).count(),
        interviews=interviews.count(),
        proposals=proposals.count(),
        proposals_responded=proposals.exclude(response="").count(),
    )


def _per_agency(qs: QuerySet) -> Coalesce:
    """Rows of ``qs`` per agency, as a correlated count (0 when none)."""
    rows = qs.filter(agency=OuterRef("pk")).order_by().values("agency").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def question_statistics_by_agency(agency_ids, *, start: date, end: date) -> dict[int, QuestionStatistics]:
    """``question_statistics`` for each of ``agency_ids`` in one query (the assessment reads
    many agencies at once). On time: answered on or before the due date, the answer's day taken
    in the deployment's time zone (as ``timezone.localdate`` does)."""
    lo, hi = (
        datetime.combine(start, time.min, tzinfo=SHANGHAI),
        datetime.combine(end, time.max, tzinfo=SHANGHAI),
    )
    questions = Question.objects.filter(received_at__gte=lo, received_at__lte=hi)
    answered = questions.filter(state=QuestionState.ANSWERED)
    proposals = TopicProposal.objects.filter(received_at__gte=lo, received_at__lte=hi)
    names = ("questions", "answered", "on_time", "published", "interviews", "proposals", "responded")
    rows = Agency.objects.filter(pk__in=list(agency_ids)).annotate(
        questions=_per_agency(questions),
        answered=_per_agency(answered),
        on_time=_per_agency(answered.filter(answered_at__date__lte=F("due_on"))),
        published=_per_agency(questions.filter(public=True)),
        interviews=_per_agency(Interview.objects.filter(starts_at__gte=lo, starts_at__lte=hi)),
        proposals=_per_agency(proposals),
        responded=_per_agency(proposals.exclude(response="")),
    )
    out = {pk: QuestionStatistics(0, 0, 0, 0, 0, 0, 0) for pk in agency_ids}
    out.update((pk, QuestionStatistics(*figures)) for pk, *figures in rows.values_list("pk", *names))
    return out


@dataclass(frozen=True)
class ParticipationFigures:
    consultations: ConsultationStatistics
    questions: QuestionStatistics


def participation_figures(*, agency_ids, year: int) -> ParticipationFigures:
    """The year's consultation and question figures for the statistics page (one call)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    ids = list(agency_ids)
    return ParticipationFigures(
        consultations=consultation_statistics(agency_ids=ids, start=start, end=end),
        questions=question_statistics(agency_ids=ids, start=start, end=end),
    )


def interview_materials(interview: Interview):
    """The interview's materials that are public now (a withdrawn one drops out)."""
    return (
        Document.objects.public().filter(interviews=interview).select_related("agency").order_by("index_no")
    )
