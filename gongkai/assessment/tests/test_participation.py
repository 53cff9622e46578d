"""Key-area compliance, consultations and questions feed the assessment (issue 16), and an
indicator with no data is 不适用 and left out of the total, never 0 (issue 12 §5)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongkai.assessment.facts import facts_for
from gongkai.assessment.scoring import (
    AgencyFacts,
    IndicatorKey,
    indicator_score,
    period_parse,
    weighted_total,
)
from gongkai.consultations import services as consultation_services
from gongkai.consultations.rules import Adoption
from gongkai.consultations.tests.factories import close, make_consultation
from gongkai.keyareas import services as keyarea_services
from gongkai.keyareas.tests.factories import make_procurement, make_world, publish_doc, stage
from gongkai.publishing.tests.factories import make_office
from gongkai.questions import services as question_services

pytestmark = pytest.mark.django_db
Y = period_parse("2026")


def test_new_indicators_score_rates_and_are_not_applicable_without_data():
    facts = AgencyFacts(
        keyarea_in_time=3, keyarea_late=0, keyarea_missing=1,
        consultation_adopted=1, consultation_not_adopted=1,
        questions_answered=4, questions_answered_on_time=3,
    )  # fmt: skip
    assert indicator_score(IndicatorKey.KEYAREA_ON_TIME, facts, Y) == 75.0
    assert indicator_score(IndicatorKey.CONSULTATION_ADOPTION, facts, Y) == 50.0
    assert indicator_score(IndicatorKey.QUESTION_ON_TIME, facts, Y) == 75.0
    empty = AgencyFacts()
    for key in (
        IndicatorKey.KEYAREA_ON_TIME, IndicatorKey.CONSULTATION_ADOPTION,
        IndicatorKey.QUESTION_ON_TIME, IndicatorKey.CATALOGUE_CURRENT,
    ):  # fmt: skip
        assert indicator_score(key, empty, Y) is None, key


def test_an_agency_that_never_published_is_not_tied_at_zero_on_catalogue_freshness():
    """Issue 12 §5: 目录更新及时 without any public document is 不适用; the total is the other
    indicators' alone, so agencies do not tie at a 0 they did not earn."""
    facts = AgencyFacts(published_on_time=9, published_late=1)
    scores = [
        (indicator_score(IndicatorKey.PUBLICATION_ON_TIME, facts, Y), Decimal(50)),
        (indicator_score(IndicatorKey.CATALOGUE_CURRENT, facts, Y), Decimal(50)),
    ]
    assert scores[1][0] is None
    assert weighted_total(scores) == 90.0


def test_facts_gather_key_area_compliance_consultations_and_questions():
    today = timezone.localdate()
    period = period_parse(str(today.year))

    world = make_world()
    project = make_procurement(world)
    occurred = today - timedelta(days=60)
    for code in ("announcement", "result", "contract"):
        keyarea_services.obligation_occur(
            obligation=stage(project, code), occurred_on=occurred, actor=world.clerk
        )
    on_time = publish_doc(world.bureau, "采购公告", occurred)
    late = publish_doc(world.bureau, "中标结果公告", occurred + timedelta(days=40))
    keyarea_services.obligation_fulfil(
        obligation=stage(project, "announcement"), document=on_time, actor=world.clerk
    )
    keyarea_services.obligation_fulfil(obligation=stage(project, "result"), document=late, actor=world.clerk)
    due_this_year = sum(
        stage(project, c).due_on.year == today.year for c in ("announcement", "result", "contract")
    )

    office = make_office("江州市生态环境局")
    c = make_consultation(office)
    a = consultation_services.comment_submit(consultation=c, body="建议增加分类投放点。")
    b = consultation_services.comment_submit(consultation=c, body="建议取消罚款条款。")
    c = close(c)
    g1 = consultation_services.group_create(
        consultation=c, summary="增加投放点", comment_ids=[a.pk], actor=office.clerk
    )
    g2 = consultation_services.group_create(
        consultation=c, summary="取消罚款", comment_ids=[b.pk], actor=office.clerk
    )
    consultation_services.group_decide(group=g1, decision=Adoption.ADOPTED, reason="", actor=office.clerk)
    consultation_services.group_decide(
        group=g2, decision=Adoption.NOT_ADOPTED, reason="罚则依据上位法设定", actor=office.clerk
    )

    ask = dict(agency=office.agency, subject="招生划片何时公布", body="今年义务教育招生划片方案何时公布？")
    prompt = question_services.question_submit(**ask)
    question_services.question_answer(
        question=prompt, answer="方案将于5月底公布。", publish=True, actor=office.clerk
    )
    tardy = question_services.question_submit(**ask, received_at=timezone.now() - timedelta(days=40))
    question_services.question_answer(question=tardy, answer="已公布。", publish=False, actor=office.clerk)
    question_services.question_submit(**ask)  # not answered yet

    facts = facts_for([world.bureau.pk, office.agency.pk], period, today=today)
    bureau, env = facts[world.bureau.pk], facts[office.agency.pk]
    if due_this_year == 3:
        assert (bureau.keyarea_in_time, bureau.keyarea_late, bureau.keyarea_missing) == (1, 1, 1)
        assert indicator_score(IndicatorKey.KEYAREA_ON_TIME, bureau, period) == 33.33
    assert indicator_score(IndicatorKey.KEYAREA_ON_TIME, env, period) is None  # owes nothing
    if c.opens_on.year == today.year:
        assert (env.consultations, env.consultation_comments) == (1, 2)
        assert (env.consultation_adopted, env.consultation_not_adopted) == (1, 1)
        assert indicator_score(IndicatorKey.CONSULTATION_ADOPTION, env, period) == 50.0
    assert indicator_score(IndicatorKey.CONSULTATION_ADOPTION, bureau, period) is None
    if (today - timedelta(days=40)).year == today.year:
        assert (env.questions, env.questions_answered, env.questions_answered_on_time) == (3, 2, 1)
        assert indicator_score(IndicatorKey.QUESTION_ON_TIME, env, period) == 50.0
    assert indicator_score(IndicatorKey.QUESTION_ON_TIME, bureau, period) is None
