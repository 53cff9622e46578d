from datetime import date

from gongkai.consultations.rules import (
    Adoption,
    Phase,
    adoption_problem,
    adoption_rate,
    default_closes_on,
    period_days,
    period_problem,
    phase,
    report_body,
)


def test_the_default_period_is_thirty_days_counting_both_ends():
    assert period_days(date(2026, 1, 1), default_closes_on(date(2026, 1, 1))) == 30
    assert default_closes_on(date(2024, 2, 1)) == date(2024, 3, 1)  # leap year: 29 days of February


def test_a_period_under_thirty_days_needs_a_reason():
    assert period_problem(date(2026, 1, 1), date(2026, 1, 29), "") is not None
    assert period_problem(date(2026, 1, 1), date(2026, 1, 29), "应急管理需要，时间紧迫") is None
    assert period_problem(date(2026, 1, 1), date(2026, 1, 30), "") is None
    assert period_problem(date(2026, 1, 2), date(2026, 1, 1), "理由") is not None


def test_phase_follows_the_draft_the_dates_and_the_report():
    kw = dict(opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 30), report_public=False, cancelled=False)
    assert phase(draft_public=False, today=date(2026, 1, 5), **kw) == Phase.DRAFTING
    assert phase(draft_public=True, today=date(2025, 12, 31), **kw) == Phase.UPCOMING
    assert phase(draft_public=True, today=date(2026, 1, 30), **kw) == Phase.OPEN
    assert phase(draft_public=True, today=date(2026, 1, 31), **kw) == Phase.CLOSED
    kw["report_public"] = True
    assert phase(draft_public=True, today=date(2026, 1, 31), **kw) == Phase.CONCLUDED


def test_not_adopting_a_comment_needs_a_reason():
    assert adoption_problem(Adoption.ADOPTED, "") is None
    assert adoption_problem(Adoption.PARTLY, "") is not None
    assert adoption_problem(Adoption.NOT_ADOPTED, "与上位法不符") is None
    assert adoption_problem("maybe", "x") is not None


def test_adoption_rate_counts_partial_adoption():
    assert adoption_rate(1, 1, 4) == 0.5
    assert adoption_rate(0, 0, 0) is None


def test_report_lists_each_group_with_its_decision_and_reason():
    text = report_body(
        title="办法",
        received=3,
        groups=[("建议增加分类", "采纳", ""), ("建议取消罚款", "未采纳", "上位法有规定")],
    )
    assert "共收到意见3条，归纳为2类" in text
    assert "2. 建议取消罚款（未采纳）理由：上位法有规定" in text
