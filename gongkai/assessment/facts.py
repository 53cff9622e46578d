"""The figures each indicator needs, for many agencies at once (one grouped query per figure,
not one per agency), read from the apps that record them."""

from datetime import date

from django.db.models import Count, F, Max, Q, Sum

from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import guide_reviews_as_of
from gongkai.applications.models import Application, RemedyCase
from gongkai.applications.rules import OPEN_STATES
from gongkai.catalogue.models import Document
from gongkai.complaints.selectors import upheld_counts
from gongkai.consultations.selectors import consultation_statistics_by_agency
from gongkai.keyareas.selectors import compliance
from gongkai.publishing.models import TimelinessFigure
from gongkai.questions.selectors import question_statistics_by_agency

from .scoring import AgencyFacts, Period


def facts_for(agency_ids: list[int], period: Period, *, today: date) -> dict[int, AgencyFacts]:
    """Each agency's facts for ``period``; what has not happened yet (after ``today``) is not counted."""
    facts = {pk: AgencyFacts() for pk in agency_ids}
    end = min(period.end, today)

    for row in (
        TimelinessFigure.objects.filter(agency_id__in=agency_ids, month__range=(period.start, period.end))
        .values("agency_id")
        .annotate(on_time=Sum("on_time"), late=Sum("late"))
    ):
        facts[row["agency_id"]].published_on_time = row["on_time"] or 0
        facts[row["agency_id"]].published_late = row["late"] or 0

    # A reply counts in the period in which it was decided; it is on time when decided by the due date.
    replied = Application.objects.filter(
        agency_id__in=agency_ids, decided_on__range=(period.start, end), reply_due_on__isnull=False
    )
    for row in replied.values("agency_id").annotate(
        on_time=Count("pk", filter=Q(decided_on__lte=F("reply_due_on"))),
        late=Count("pk", filter=Q(decided_on__gt=F("reply_due_on"))),
    ):
        facts[row["agency_id"]].replies_on_time = row["on_time"]
        facts[row["agency_id"]].replies_late = row["late"]

    # Overdue: due in the period (and already past), and answered late or not at all.
    due = Application.objects.filter(agency_id__in=agency_ids, reply_due_on__range=(period.start, end))
    late_or_open = Q(decided_on__gt=F("reply_due_on")) | Q(
        decided_on__isnull=True, state__in=OPEN_STATES, reply_due_on__lt=today
    )
    for row in due.filter(late_or_open).values("agency_id").annotate(n=Count("pk")):
        facts[row["agency_id"]].overdue = row["n"]

    for row in (
        RemedyCase.objects.filter(
            agency_id__in=agency_ids,
            result=RemedyCase.Result.CORRECTED,
            decided_on__range=(period.start, end),
        )
        .values("agency_id")
        .annotate(n=Count("pk"))
    ):
        facts[row["agency_id"]].reversed = row["n"]

    for row in (
        Document.objects.public()
        .filter(agency_id__in=agency_ids, published_on__lte=end)
        .values("agency_id")
        .annotate(last=Max("published_on"))
    ):
        facts[row["agency_id"]].last_published_on = row["last"]

    # A review after ``end`` says nothing about the period: the one in force on ``end`` counts.
    for pk, reviewed in guide_reviews_as_of(agency_ids, end).items():
        facts[pk].guide_reviewed_on = reviewed

    # Complaints found upheld: the complaints app's own selector, never a reach into its models.
    upheld = upheld_counts(agency_ids=agency_ids, start=period.start, end=end)
    for pk in agency_ids:
        facts[pk].complaints_upheld = upheld.get(pk, 0)

    _participation_facts(facts, agency_ids, period, end)
    return facts


def _participation_facts(
    facts: dict[int, AgencyFacts], agency_ids: list[int], period: Period, end: date
) -> None:
    """Key-area compliance, consultations and questions, through those apps' selectors.

    Key areas: owed disclosures due in the period's year, with their status as of ``end`` (one
    query; what falls due after ``end`` is still open and not counted). Consultations and
    questions: the apps' statistics for all the agencies at once (one grouped query each)."""
    for row in compliance(Agency.objects.filter(pk__in=agency_ids), today=end, year=period.year):
        f = facts[row.agency.pk]
        f.keyarea_in_time += row.figures.in_time
        f.keyarea_late += row.figures.late
        f.keyarea_missing += row.figures.missing
    consultations = consultation_statistics_by_agency(agency_ids, start=period.start, end=end)
    questions = question_statistics_by_agency(agency_ids, start=period.start, end=end)
    for pk in agency_ids:
        f, c, q = facts[pk], consultations[pk], questions[pk]
        f.consultations, f.consultation_comments = c.consultations, c.comments
        f.consultation_adopted = c.adopted + c.partly_adopted
        f.consultation_not_adopted = c.not_adopted
        f.questions, f.questions_answered, f.questions_answered_on_time = (
            q.questions,
            q.answered,
            q.answered_on_time,
        )
