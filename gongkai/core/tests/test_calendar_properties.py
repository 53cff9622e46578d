"""Properties of add_workdays on any start date, any N and any calendar: the result is a
working day strictly after the start, with exactly N working days in (start, result]."""

from datetime import date, timedelta

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.core.calendar import HolidayCalendar, add_workdays, count_workdays, is_workday  # noqa: E402
from gongkai.core.calendar_seed import package_notices  # noqa: E402

CHINA = HolidayCalendar.from_notices(package_notices())

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
lengths = st.integers(min_value=1, max_value=250)


@st.composite
def calendars(draw) -> HolidayCalendar:
    """Random notices for 2023-2025: any days off, weekend days made working days, some years
    loaded. A calendar where nothing is a working day cannot arise: the weekdays of unloaded
    years always work."""
    span = st.dates(min_value=date(2022, 12, 25), max_value=date(2025, 12, 31))
    holidays = draw(st.sets(span, max_size=60))
    weekend = draw(st.sets(span.filter(lambda d: d.weekday() >= 5), max_size=20))
    return HolidayCalendar(
        holidays={d: "节日" for d in holidays - weekend},
        workdays={d: "节日" for d in weekend},
        years=frozenset(draw(st.sets(st.sampled_from([2023, 2024, 2025])))),
    )


def check(start: date, n: int, calendar: HolidayCalendar) -> None:
    result = add_workdays(start, n, calendar)
    assert result.date > start
    assert is_workday(result.date, calendar)
    assert count_workdays(start, result.date, calendar) == n
    assert count_workdays(start, result.date - timedelta(days=1), calendar) == n - 1


@settings(max_examples=300, deadline=None)
@given(start=starts, n=lengths)
def test_on_the_chinese_calendar_the_result_is_the_nth_working_day_after_the_start(start, n):
    check(start, n, CHINA)


@settings(max_examples=300, deadline=None)
@given(
    start=st.dates(min_value=date(2022, 11, 1), max_value=date(2025, 12, 31)), n=lengths, calendar=calendars()
)
def test_on_any_calendar_the_result_is_the_nth_working_day_after_the_start(start, n, calendar):
    check(start, n, calendar)


@settings(max_examples=200, deadline=None)
@given(start=starts, n=lengths)
def test_a_result_is_provisional_exactly_when_a_day_counted_lacks_its_notice(start, n):
    result = add_workdays(start, n, CHINA)
    counted = [start + timedelta(days=i) for i in range(1, (result.date - start).days + 1)]
    assert result.provisional == (not all(CHINA.covers(day) for day in counted))


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=60), m=st.integers(min_value=1, max_value=60))
def test_periods_add_up(start, n, m):
    first = add_workdays(start, n, CHINA).date
    assert add_workdays(first, m, CHINA).date == add_workdays(start, n + m, CHINA).date
