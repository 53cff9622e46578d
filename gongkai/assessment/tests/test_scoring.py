"""The pure rules of assessment: periods, each indicator's formula, the weighted total, ranking."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.assessment.scoring import (
    DEFAULT_TARGETS,
    AgencyFacts,
    IndicatorKey,
    PeriodError,
    indicator_score,
    period_of,
    period_parse,
    periods_of_year,
    rank,
    weighted_total,
)

Q1 = period_parse("2026Q1")


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        (" 2026q1 ", date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_periods_are_calendar_quarters_and_years_with_both_ends_included(label, start, end):
    period = period_parse(label)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("label", ["", "2026Q5", "2026Q0", "26Q1", "2026-1", "Q1"])
def test_anything_else_is_not_a_period(label):
    with pytest.raises(PeriodError):
        period_parse(label)


def test_the_day_decides_the_quarter_at_its_boundaries():
    assert period_of(date(2026, 3, 31)).label == "2026Q1"
    assert period_of(date(2026, 4, 1)).label == "2026Q2"
    assert period_of(date(2026, 12, 31)).label == "2026Q4"
    assert period_of(date(2026, 12, 31), yearly=True).label == "2026"
    assert [p.label for p in periods_of_year(2026)] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026"]


def test_publication_and_reply_rates_scale_to_the_target_rate():
    facts = AgencyFacts(published_on_time=9, published_late=1, replies_on_time=3, replies_late=1)
    assert indicator_score(IndicatorKey.PUBLICATION_ON_TIME, facts, Q1) == 90.0
    assert indicator_score(IndicatorKey.PUBLICATION_ON_TIME, facts, Q1, target=Decimal(90)) == 100.0
    assert indicator_score(IndicatorKey.REPLY_ON_TIME, facts, Q1) == 75.0
    assert indicator_score(IndicatorKey.REPLY_ON_TIME, facts, Q1, target=Decimal(80)) == 93.75


def test_no_publications_or_replies_means_not_applicable_rather_than_zero():
    assert indicator_score(IndicatorKey.PUBLICATION_ON_TIME, AgencyFacts(), Q1) is None
    assert indicator_score(IndicatorKey.REPLY_ON_TIME, AgencyFacts(), Q1) is None


def test_each_overdue_reversed_or_upheld_case_deducts_the_target_down_to_zero():
    facts = AgencyFacts(overdue=2, reversed=1, complaints_upheld=3)
    assert indicator_score(IndicatorKey.OVERDUE, facts, Q1) == 60.0
    assert indicator_score(IndicatorKey.OVERDUE, facts, Q1, target=Decimal(60)) == 0.0
    assert indicator_score(IndicatorKey.REVERSED, facts, Q1) == 80.0
    assert indicator_score(IndicatorKey.COMPLAINTS_UPHELD, facts, Q1, target=Decimal(10)) == 70.0
    assert indicator_score(IndicatorKey.OVERDUE, AgencyFacts(), Q1) == 100.0


def test_complaints_not_tracked_leave_their_indicator_out():
    assert indicator_score(IndicatorKey.COMPLAINTS_UPHELD, AgencyFacts(complaints_upheld=None), Q1) is None


def test_catalogue_is_current_up_to_target_days_then_falls_to_zero_at_twice_the_target():
    end = Q1.end  # 2026-03-31

    def score(last, **kw):
        return indicator_score(IndicatorKey.CATALOGUE_CURRENT, AgencyFacts(last_published_on=last), Q1, **kw)

    assert score(date(2026, 3, 1)) == 100.0  # 30 days
    assert score(date(2026, 2, 14)) == 50.0  # 45 days: halfway between 30 and 60
    assert score(date(2026, 1, 30)) == 0.0  # 60 days
    assert score(None) is None  # nothing public yet: 不适用, left out of the total (issue 12 §5)
    assert score(end, target=Decimal(0)) == 100.0
    # A period still running is measured to today, not to its end.
    assert score(date(2026, 1, 1), today=date(2026, 1, 20)) == 100.0


def test_manual_score_is_taken_as_entered_and_missing_is_not_applicable():
    assert indicator_score(IndicatorKey.MANUAL, AgencyFacts(), Q1, manual=Decimal("87.5")) == 87.5
    assert indicator_score(IndicatorKey.MANUAL, AgencyFacts(), Q1) is None


def test_total_is_the_weighted_mean_of_the_indicators_that_apply():
    assert weighted_total([(100.0, Decimal(30)), (50.0, Decimal(70))]) == 65.0
    # Not applicable: the other weights scale up.
    assert weighted_total([(80.0, Decimal(30)), (None, Decimal(70))]) == 80.0
    assert weighted_total([(None, Decimal(30))]) is None
    assert weighted_total([(90.0, Decimal(0)), (60.0, Decimal(10))]) == 60.0
    assert weighted_total([(100.0, Decimal(1)), (0.0, Decimal(2))]) == 33.33


def test_ranking_shares_places_on_equal_totals_and_skips_the_next():
    assert rank({1: 90.0, 2: 95.0, 3: 90.0, 4: 70.0, 5: None}) == {1: 2, 2: 1, 3: 2, 4: 4, 5: None}


def test_guide_is_current_for_a_year_after_its_review_then_falls_to_zero_at_two_years():
    year = period_parse("2026")  # ends 2026-12-31

    def score(reviewed, period=year, **kw):
        return indicator_score(
            IndicatorKey.GUIDE_CURRENT, AgencyFacts(guide_reviewed_on=reviewed), period, **kw
        )

    assert score(date(2026, 12, 31)) == 100.0  # reviewed on the last day
    assert score(date(2026, 1, 1)) == 100.0  # 364 days
    assert score(date(2025, 12, 31)) == 100.0  # 365 days: the target itself
    assert score(date(2025, 12, 30)) == 99.73  # 366 days: (730 - 366) / 365
    assert score(date(2025, 7, 2)) == 50.14  # 547 days: about halfway between 365 and 730
    assert score(date(2024, 12, 31)) == 0.0  # 730 days: twice the target
    assert score(date(2020, 1, 1)) == 0.0
    assert score(None) == 0.0  # never reviewed, or no disclosure office: not left out
    assert score(date(2026, 3, 1), target=Decimal(10)) == 0.0
    assert score(date(2026, 12, 16), target=Decimal(10)) == 50.0  # 15 days of 10..20


def test_guide_review_of_a_running_period_is_measured_to_today():
    facts = AgencyFacts(guide_reviewed_on=date(2025, 1, 10))
    # Measured to the quarter's end (2026-03-31) it would be 445 days old; to today, 375.
    assert indicator_score(IndicatorKey.GUIDE_CURRENT, facts, Q1, today=date(2026, 1, 20)) == 97.26
    assert indicator_score(IndicatorKey.GUIDE_CURRENT, facts, Q1) == 78.08


def test_every_indicator_has_a_default_target():
    assert set(IndicatorKey) == set(DEFAULT_TARGETS)
