"""The assessment reads the participation figures of many agencies at once: one grouped query
per selector, however many agencies are assessed (issue 16), and the same figures as the
selectors the statistics page and the annual report use for one agency."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.assessment.facts import facts_for
from gongkai.assessment.scoring import period_parse
from gongkai.consultations import services as consultation_services
from gongkai.consultations.rules import Adoption
from gongkai.consultations.selectors import consultation_statistics, consultation_statistics_by_agency
from gongkai.consultations.tests.factories import close, make_consultation
from gongkai.publishing.tests.factories import make_office
from gongkai.questions import services as question_services
from gongkai.questions.selectors import question_statistics, question_statistics_by_agency

pytestmark = pytest.mark.django_db
LATE_DAYS = 10  # asked this long ago and answered today: past the 5 working days


def _busy_agency(name: str, n: int):
    """An agency with ``n`` comments on a concluded consultation, one decided group per
    comment (alternately adopted and not), ``n`` questions (one answered late) and a proposal."""
    office = make_office(name)
    c = make_consultation(office)
    comments = [consultation_services.comment_submit(consultation=c, body=f"意见{i}") for i in range(n)]
    c = close(c)
    for i, comment in enumerate(comments):
        group = consultation_services.group_create(
            consultation=c, summary=f"第{i}类", comment_ids=[comment.pk], actor=office.clerk
        )
        decision = Adoption.ADOPTED if i % 2 == 0 else Adoption.NOT_ADOPTED
        consultation_services.group_decide(group=group, decision=decision, reason="理由", actor=office.clerk)
    ask = dict(agency=office.agency, subject="办事时间", body="周六办公吗？")
    for i in range(n):
        earlier = {"received_at": timezone.now() - timedelta(days=LATE_DAYS)} if i == 0 else {}
        q = question_services.question_submit(**ask, **earlier)
        question_services.question_answer(
            question=q, answer="周六上午办公。", publish=i % 2 == 0, actor=office.clerk
        )
    question_services.question_submit(**ask)  # open
    question_services.proposal_submit(agency=office.agency, topic="公开学区划分")
    return office.agency


def test_participation_facts_cost_the_same_queries_for_one_agency_or_many(django_assert_max_num_queries):
    today = timezone.localdate()
    period = period_parse(str(today.year))
    agencies = [_busy_agency(f"江州市第{i}局", n=i + 2) for i in range(4)]

    with CaptureQueriesContext(connection) as one:
        facts_for([agencies[0].pk], period, today=today)
    with django_assert_max_num_queries(len(one.captured_queries)):
        facts = facts_for([a.pk for a in agencies], period, today=today)

    for i, agency in enumerate(agencies):
        n, f = i + 2, facts[agency.pk]
        assert (f.consultations, f.consultation_comments) == (1, n)
        assert (f.consultation_adopted, f.consultation_not_adopted) == ((n + 1) // 2, n // 2)
        late = int((today - timedelta(days=LATE_DAYS)).year == today.year)  # early January: last year's
        assert (f.questions, f.questions_answered, f.questions_answered_on_time) == (
            n + late,
            n - 1 + late,
            n - 1,
        )


def test_grouped_selectors_agree_with_the_one_agency_selectors(django_assert_num_queries):
    today = timezone.localdate()
    start, end = today - timedelta(days=60), today
    agencies = [_busy_agency(f"江州市第{i}局", n=i + 1) for i in range(3)]
    ids = [a.pk for a in agencies] + [999_999]  # an agency with nothing: zeros, not missing

    with django_assert_num_queries(1):
        consultations = consultation_statistics_by_agency(ids, start=start, end=end)
    with django_assert_num_queries(1):
        questions = question_statistics_by_agency(ids, start=start, end=end)

    for pk in ids:
        assert consultations[pk] == consultation_statistics(agency_ids=[pk], start=start, end=end)
        assert questions[pk] == question_statistics(agency_ids=[pk], start=start, end=end)
    assert consultations[999_999].consultations == questions[999_999].questions == 0
