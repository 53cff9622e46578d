"""The pure rules: due dates in each unit and the status derived from the stored facts."""

from datetime import date

import pytest

from gongkai.keyareas.rules import Status, due_date, status_of


def _weekdays(start: date, n: int) -> tuple[date, bool]:
    """A calendar with weekends only, for the pure tests (the services pass the real one)."""
    from datetime import timedelta

    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    return day, False


def test_working_days_skip_the_weekend_and_do_not_count_the_day_itself():
    # Friday 2026-03-06 + 2 working days: Monday 9th is the first, Tuesday 10th the second
    assert due_date(unit="workdays", n=2, occurred_on=date(2026, 3, 6), add_workdays=_weekdays).on == date(
        2026, 3, 10
    )


def test_zero_working_days_is_the_same_day():
    assert due_date(unit="workdays", n=0, occurred_on=date(2026, 3, 7), add_workdays=_weekdays).on == date(
        2026, 3, 7
    )


def test_budget_days_are_calendar_days_after_approval():
    # 预算法 Art. 14: "批复后二十日内", calendar days, across a month end
    assert due_date(unit="days", n=20, occurred_on=date(2026, 2, 20), add_workdays=_weekdays).on == date(
        2026, 3, 12
    )


def test_days_before_counts_back_from_the_start_of_procurement():
    assert due_date(
        unit="days_before", n=30, occurred_on=date(2026, 3, 31), add_workdays=_weekdays
    ).on == date(2026, 3, 1)


def test_unknown_unit_and_negative_numbers_are_refused():
    with pytest.raises(ValueError):
        due_date(unit="weeks", n=1, occurred_on=date(2026, 1, 1), add_workdays=_weekdays)
    with pytest.raises(ValueError):
        due_date(unit="days", n=-1, occurred_on=date(2026, 1, 1), add_workdays=_weekdays)


D = date(2026, 5, 10)


@pytest.mark.parametrize(
    ("occurred", "due", "published", "today", "expected"),
    [
        (None, None, None, D, Status.NOT_YET),
        (D, D, None, D, Status.OPEN),  # due today: not yet late
        (D, D, None, date(2026, 5, 11), Status.MISSING),
        (D, D, D, date(2026, 6, 1), Status.IN_TIME),
        (D, D, date(2026, 5, 11), date(2026, 6, 1), Status.LATE),
        (None, None, D, D, Status.IN_TIME),  # published before anyone recorded the date
    ],
)
def test_status_is_derived_from_the_facts(occurred, due, published, today, expected):
    assert status_of(occurred_on=occurred, due_on=due, published_on=published, today=today) == expected
