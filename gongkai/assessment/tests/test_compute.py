"""Computing, ranking and storing results from what the platform recorded; who may do it."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.applications.models import RemedyCase
from gongkai.assessment import services
from gongkai.assessment.facts import facts_for
from gongkai.assessment.models import AssessmentResult, ManualScore
from gongkai.assessment.scoring import period_parse
from gongkai.catalogue.tests.factories import make_document
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import TimelinessFigure

from .factories import make_area, make_scheme, recorded_application

pytestmark = pytest.mark.django_db
AFTER_Q1 = date(2026, 5, 1)


@pytest.fixture
def area():
    return make_area()


def test_facts_come_from_timeliness_replies_overdue_reversals_and_the_catalogue(area):
    edu = area.education
    TimelinessFigure.objects.create(agency=edu, month=date(2026, 1, 1), on_time=8, late=1)
    TimelinessFigure.objects.create(agency=edu, month=date(2026, 3, 1), on_time=1, late=0)
    TimelinessFigure.objects.create(agency=edu, month=date(2026, 4, 1), on_time=0, late=5)  # Q2
    recorded_application(edu, due=date(2026, 2, 10), decided=date(2026, 2, 9))  # on time
    recorded_application(edu, due=date(2026, 2, 10), decided=date(2026, 2, 12))  # late: also overdue
    recorded_application(edu, due=date(2026, 3, 20))  # never answered: overdue
    recorded_application(edu, due=date(2026, 4, 20))  # due in Q2: not Q1's
    case_app = recorded_application(edu, due=date(2026, 1, 20), decided=date(2026, 1, 19))
    RemedyCase.objects.create(agency=edu, application=case_app, kind="reconsideration", filed_on=date(2026, 2, 1),
                              decided_on=date(2026, 3, 1), result=RemedyCase.Result.CORRECTED)  # fmt: skip
    RemedyCase.objects.create(agency=edu, kind="reconsideration", filed_on=date(2026, 2, 1),
                              decided_on=date(2026, 3, 2), result=RemedyCase.Result.UPHELD)  # fmt: skip
    make_document(edu, published_on=date(2026, 3, 10))
    make_document(edu, published_on=date(2026, 4, 10))  # after Q1

    facts = facts_for([edu.pk, area.finance.pk], period_parse("2026Q1"), today=AFTER_Q1)[edu.pk]
    assert (facts.published_on_time, facts.published_late) == (9, 1)
    assert (facts.replies_on_time, facts.replies_late) == (2, 1)
    assert facts.overdue == 2
    assert facts.reversed == 1
    assert facts.last_published_on == date(2026, 3, 10)


def test_quarter_boundaries_decide_where_a_reply_counts(area):
    recorded_application(area.education, due=date(2026, 4, 10), decided=date(2026, 3, 31))
    recorded_application(area.education, due=date(2026, 4, 10), decided=date(2026, 4, 1))
    q1 = facts_for([area.education.pk], period_parse("2026Q1"), today=AFTER_Q1)[area.education.pk]
    q2 = facts_for([area.education.pk], period_parse("2026Q2"), today=date(2026, 7, 1))[area.education.pk]
    year = facts_for([area.education.pk], period_parse("2026"), today=date(2027, 1, 1))[area.education.pk]
    assert (q1.replies_on_time, q2.replies_on_time, year.replies_on_time) == (1, 1, 2)


def test_an_open_application_is_overdue_only_once_its_due_date_has_passed(area):
    recorded_application(area.education, due=date(2026, 3, 20))
    period = period_parse("2026Q1")
    assert facts_for([area.education.pk], period, today=date(2026, 3, 20))[area.education.pk].overdue == 0
    assert facts_for([area.education.pk], period, today=date(2026, 3, 21))[area.education.pk].overdue == 1


def test_supervisor_computes_weighted_ranked_results_for_the_agencies_under_the_authority(area):
    scheme = make_scheme(reply_on_time=60, overdue=40)
    recorded_application(area.education, due=date(2026, 2, 10), decided=date(2026, 2, 9))
    recorded_application(area.finance, due=date(2026, 2, 10), decided=date(2026, 2, 9))
    recorded_application(area.finance, due=date(2026, 2, 10), decided=date(2026, 2, 20))

    results = services.assessment_compute(
        scheme=scheme, authority=area.authority, period="2026q1", actor=area.supervisor, today=AFTER_Q1
    )
    by_agency = {r.agency: r for r in results}
    assert set(by_agency) == {area.education, area.finance}  # not the authority, not the other county
    reply, overdue = scheme.indicators.order_by("sort_order")
    assert by_agency[area.education].scores == {str(reply.pk): 100.0, str(overdue.pk): 100.0}
    assert by_agency[area.finance].scores == {str(reply.pk): 50.0, str(overdue.pk): 80.0}
    assert by_agency[area.finance].total == Decimal("62.00")  # 0.6 * 50 + 0.4 * 80
    assert [(r.agency, r.rank) for r in results] == [(area.education, 1), (area.finance, 2)]
    assert by_agency[area.education].period == "2026Q1"
    event = AuditEvent.objects.get(action="assessment.compute")
    assert event.after["period"] == "2026Q1" and event.actor == area.supervisor


def test_recomputing_replaces_the_stored_results(area):
    scheme = make_scheme(reply_on_time=100)

    def compute():
        return services.assessment_compute(
            scheme=scheme, authority=area.authority, period="2026Q1", actor=area.supervisor, today=AFTER_Q1
        )

    compute()
    recorded_application(area.finance, due=date(2026, 2, 10), decided=date(2026, 2, 20))
    compute()
    assert AssessmentResult.objects.count() == 2
    assert AssessmentResult.objects.get(agency=area.finance).total == Decimal("0.00")
    assert AssessmentResult.objects.get(agency=area.education).total is None  # nothing to score: no rank
    assert AssessmentResult.objects.get(agency=area.education).rank is None


def test_manual_scores_enter_the_total_with_their_weight(area):
    scheme = make_scheme(reply_on_time=50, manual=50)
    manual = scheme.indicators.get(key="manual")
    recorded_application(area.education, due=date(2026, 2, 10), decided=date(2026, 2, 9))
    services.manual_score_set(indicator=manual, agency=area.education, period="2026Q1", score=Decimal(70),
                              note="现场检查", actor=area.supervisor)  # fmt: skip
    results = services.assessment_compute(
        scheme=scheme, authority=area.authority, period="2026Q1", actor=area.supervisor, today=AFTER_Q1
    )
    assert {r.agency: r.total for r in results}[area.education] == Decimal("85.00")
    assert AuditEvent.objects.filter(action="assessment.manual_score").count() == 1


def test_only_manual_indicators_take_scores_between_0_and_100(area):
    scheme = make_scheme(reply_on_time=50, manual=50)
    with pytest.raises(services.AssessmentError):
        services.manual_score_set(indicator=scheme.indicators.get(key="reply_on_time"), agency=area.education,
                                  period="2026Q1", score=Decimal(70), actor=area.supervisor)  # fmt: skip
    with pytest.raises(services.AssessmentError):
        services.manual_score_set(indicator=scheme.indicators.get(key="manual"), agency=area.education,
                                  period="2026Q1", score=Decimal(101), actor=area.supervisor)  # fmt: skip
    assert not ManualScore.objects.exists()


@pytest.mark.parametrize("who", ["clerk", "other_supervisor"])
def test_only_supervisors_of_the_authority_compute_or_score(area, who):
    scheme = make_scheme(reply_on_time=50, manual=50)
    actor = getattr(area, who)
    with pytest.raises(services.NotPermitted):
        services.assessment_compute(scheme=scheme, authority=area.authority, period="2026Q1", actor=actor)
    with pytest.raises(services.NotPermitted):
        services.manual_score_set(indicator=scheme.indicators.get(key="manual"), agency=area.education,
                                  period="2026Q1", score=Decimal(70), actor=actor)  # fmt: skip
    assert not AssessmentResult.objects.exists()


def test_period_must_belong_to_the_schemes_year(area):
    scheme = make_scheme(year=2026)
    with pytest.raises(services.AssessmentError):
        services.assessment_compute(
            scheme=scheme, authority=area.authority, period="2025Q4", actor=area.supervisor
        )
