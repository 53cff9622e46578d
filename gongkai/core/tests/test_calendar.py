"""Working days on real dates (regulation.md, "Clocks"): pure functions, no database.

The notices are the ones the pinned `chinese-calendar` package carries; the first tests check
the holiday periods used below against that data, so a wrong date in a test cannot hide.
"""

import itertools
from datetime import date, timedelta

import chinese_calendar
import pytest

from gongkai.core.calendar import (
    CalendarError,
    HolidayCalendar,
    Notice,
    add_workdays,
    count_workdays,
    in_notice_window,
    is_workday,
    notice_years,
)
from gongkai.core.calendar_seed import package_notices

NOTICES = {notice.year: notice for notice in package_notices()}
CHINA = HolidayCalendar.from_notices(NOTICES.values())


def days(first: str, last: str) -> set[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return {start + timedelta(days=i) for i in range((end - start).days + 1)}


def only(*years: int) -> HolidayCalendar:
    return HolidayCalendar.from_notices(NOTICES[y] for y in years)


def add(start: str, n: int, calendar: HolidayCalendar = CHINA):
    return add_workdays(date.fromisoformat(start), n, calendar)


# --- the data the tests rely on ---------------------------------------------------------------


def test_the_package_carries_the_notices_of_2004_to_2026():
    assert sorted(NOTICES) == list(range(2004, 2027))


def test_spring_festival_2024_is_10_to_17_february_with_two_sundays_worked():
    notice = NOTICES[2024]
    assert {d for d, name in notice.holidays.items() if name == "春节"} == days("2024-02-10", "2024-02-17")
    assert {d for d, name in notice.workdays.items() if name == "春节"} == {
        date(2024, 2, 4),
        date(2024, 2, 18),
    }
    assert {date(2024, 2, 4).weekday(), date(2024, 2, 18).weekday()} == {6}


def test_national_day_2024_is_1_to_7_october_with_29_september_and_12_october_worked():
    notice = NOTICES[2024]
    assert {d for d, name in notice.holidays.items() if name == "国庆节"} == days("2024-10-01", "2024-10-07")
    assert {d for d, name in notice.workdays.items() if name == "国庆节"} == {
        date(2024, 9, 29),
        date(2024, 10, 12),
    }


def test_spring_festival_2025_is_28_january_to_4_february_with_26_january_and_8_february_worked():
    notice = NOTICES[2025]
    assert {d for d, name in notice.holidays.items() if name == "春节"} == days("2025-01-28", "2025-02-04")
    assert {d for d, name in notice.workdays.items() if name == "春节"} == {
        date(2025, 1, 26),
        date(2025, 2, 8),
    }


def test_national_day_2025_runs_1_to_8_october_including_mid_autumn():
    notice = NOTICES[2025]
    assert {d for d, name in notice.holidays.items() if name in ("国庆节", "中秋")} == days(
        "2025-10-01", "2025-10-08"
    )
    assert notice.holidays[date(2025, 10, 6)] == "中秋"
    assert {d for d, name in notice.workdays.items() if name == "国庆节"} == {
        date(2025, 9, 28),
        date(2025, 10, 11),
    }


def test_the_new_year_holiday_of_2019_belongs_to_the_2019_notice_though_it_starts_in_december():
    assert NOTICES[2019].holidays[date(2018, 12, 31)] == "元旦"
    assert NOTICES[2019].workdays[date(2018, 12, 29)] == "元旦"
    assert date(2018, 12, 31) not in NOTICES[2018].holidays


# --- is_workday -------------------------------------------------------------------------------


def test_every_day_from_2004_to_2026_agrees_with_the_package():
    day = date(2004, 1, 1)
    while day <= date(2026, 12, 31):
        assert is_workday(day, CHINA) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    assert not is_workday(date(2024, 10, 2), CHINA)


def test_an_adjusted_sunday_is_a_working_day():
    assert is_workday(date(2024, 9, 29), CHINA)


def test_without_a_notice_weekends_and_the_fixed_holidays_are_days_off():
    empty = HolidayCalendar()
    assert not is_workday(date(2024, 10, 2), empty)  # 国庆节 is 1-3 October by law
    assert is_workday(date(2024, 10, 7), empty)  # the notice's 4-7 October are 调休: unknown
    assert is_workday(date(2024, 10, 8), empty)
    assert not is_workday(date(2024, 9, 29), empty)  # a Sunday the notice made a working day
    assert not is_workday(date(2024, 9, 28), empty)


# --- add_workdays on real dates ---------------------------------------------------------------


def test_twenty_working_days_after_25_september_2024_skip_national_day():
    result = add("2024-09-25", 20)
    assert result.date == date(2024, 10, 28)
    assert not result.provisional
    assert result.missing_years == ()


def test_the_start_date_itself_is_not_counted():
    assert add("2024-09-26", 1).date == date(2024, 9, 27)


def test_an_adjusted_sunday_counts_as_a_working_day():
    assert add("2024-09-28", 1).date == date(2024, 9, 29)


def test_spring_festival_2024_is_skipped_and_its_adjusted_sunday_counts():
    assert add("2024-02-08", 1).date == date(2024, 2, 9)
    assert add("2024-02-08", 2).date == date(2024, 2, 18)
    assert add("2024-02-08", 3).date == date(2024, 2, 19)


def test_the_sunday_before_spring_festival_2024_counts():
    assert add("2024-02-02", 1).date == date(2024, 2, 4)


def test_spring_festival_2025_is_skipped():
    assert add("2025-01-24", 1).date == date(2025, 1, 26)
    assert add("2025-01-24", 2).date == date(2025, 1, 27)
    assert add("2025-01-24", 3).date == date(2025, 2, 5)
    assert add("2025-02-07", 1).date == date(2025, 2, 8)


def test_national_day_2025_with_mid_autumn_is_skipped():
    result = add("2025-09-30", 1)
    assert result.date == date(2025, 10, 9)
    assert "国庆节" in result.explanation and "中秋" in result.explanation


def test_a_start_date_on_a_holiday_counts_from_the_next_working_day():
    assert add("2024-10-03", 1).date == date(2024, 10, 8)
    assert add("2024-10-03", 5).date == date(2024, 10, 12)


def test_a_start_date_on_an_adjusted_working_day_is_not_counted_either():
    assert add("2024-02-04", 1).date == date(2024, 2, 5)


def test_29_february_of_a_leap_year_is_a_working_day():
    assert add("2024-02-28", 1).date == date(2024, 2, 29)
    assert add("2024-02-29", 1).date == date(2024, 3, 1)
    assert add("2023-02-28", 1).date == date(2023, 3, 1)


def test_a_period_across_new_year_follows_both_notices():
    # 2025-12-31 Wed; 2026-01-01..03 off; Sunday 2026-01-04 worked (notice of 2026).
    assert add("2025-12-30", 1).date == date(2025, 12, 31)
    assert add("2025-12-30", 2).date == date(2026, 1, 4)
    assert not add("2025-12-30", 2).provisional


def test_a_new_year_holiday_starting_in_december_is_skipped():
    # 2018-12-29 (Sat) worked; 2018-12-30..2019-01-01 off (notice of 2019).
    assert add("2018-12-28", 1).date == date(2018, 12, 29)
    assert add("2018-12-28", 2).date == date(2019, 1, 2)


def test_the_result_agrees_with_the_package_from_every_working_day():
    # The package's find_workday(n, d) is the nth working day after d when d is a working day.
    # One n per start, in turn (the package's lookups are slow).
    day, lengths = date(2004, 1, 1), itertools.cycle((1, 2, 7, 15, 20))
    while day <= date(2026, 10, 31):
        if chinese_calendar.is_workday(day):
            n = next(lengths)
            assert add_workdays(day, n, CHINA).date == chinese_calendar.find_workday(n, day), (day, n)
        day += timedelta(days=1)


# --- provisional ------------------------------------------------------------------------------


def test_a_period_into_a_year_without_a_notice_is_provisional():
    result = add("2026-12-10", 20)
    assert result.provisional
    assert result.missing_years == (2027,)
    # 12/11 (1), 12/14-18 (6), 12/21-25 (11), 12/28-31 (15); Fri 2027-01-01 is 元旦 by law, notice
    # or not; 1/4-8 (20).
    assert result.date == date(2027, 1, 8)
    assert "元旦（2027年1月1日）" in result.explanation
    assert "2027年的节假日安排尚未载入" in result.explanation
    assert "暂定" in result.explanation


def test_a_period_is_certain_once_the_next_notice_is_loaded():
    notice_2027 = Notice(
        year=2027,
        source="测试用通知（非真实数据）",
        holidays={d: "元旦" for d in days("2027-01-01", "2027-01-03")},
        workdays={},
    )
    calendar = HolidayCalendar.from_notices([NOTICES[2026], notice_2027])
    result = add_workdays(date(2026, 12, 10), 20, calendar)
    assert not result.provisional
    assert result.date == date(2027, 1, 8)


def test_the_last_week_of_december_waits_for_the_next_notice():
    calendar = only(2026)
    assert add("2026-12-01", 17, calendar).date == date(2026, 12, 24)
    assert not add("2026-12-01", 17, calendar).provisional
    assert add("2026-12-01", 18, calendar).date == date(2026, 12, 25)
    assert add("2026-12-01", 18, calendar).missing_years == (2027,)


def test_a_period_starting_in_a_year_without_a_notice_is_provisional():
    result = add("2003-12-10", 5)
    assert result.provisional and result.missing_years == (2003,)


def test_a_period_inside_a_loaded_year_is_not_provisional_whatever_other_years_miss():
    assert not add("2024-09-25", 20, only(2024)).provisional


def test_with_no_notice_at_all_every_period_is_provisional_and_skips_the_fixed_holidays():
    result = add_workdays(date(2024, 9, 30), 1, HolidayCalendar())
    assert result.date == date(2024, 10, 4)  # Tue-Thu 1-3 October are 国庆节 by law
    assert result.provisional and result.missing_years == (2024,)


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, -1, -20])
def test_n_below_one_is_refused(n):
    with pytest.raises(CalendarError, match="at least 1"):
        add("2024-09-25", n)


@pytest.mark.parametrize("n", [True, 1.5, "20"])
def test_n_must_be_a_whole_number(n):
    with pytest.raises(CalendarError):
        add("2024-09-25", n)


def test_a_period_past_the_last_representable_date_is_refused():
    with pytest.raises(CalendarError, match="9999-12-31"):
        add_workdays(date(9999, 12, 29), 5, CHINA)


# --- explanation ------------------------------------------------------------------------------


def test_the_explanation_names_the_start_the_holidays_and_the_adjusted_days():
    text = add("2024-09-25", 20).explanation
    assert text.startswith(
        "自2024年9月25日的次日起计算（当日不计），第20个工作日为2024年10月28日（星期一）。"
    )
    assert "国庆节（2024年10月1日至10月7日）" in text
    assert "调休上班：2024年9月29日（星期日）、2024年10月12日（星期六）。" in text
    assert "暂定" not in text


def test_the_explanation_of_a_plain_week_mentions_no_holiday():
    text = add("2024-03-04", 5).explanation
    assert "放假" not in text and "调休" not in text


# --- helpers ----------------------------------------------------------------------------------


def test_count_workdays_counts_after_the_start_up_to_the_end():
    assert count_workdays(date(2024, 9, 25), date(2024, 10, 28), CHINA) == 20
    assert count_workdays(date(2024, 9, 25), date(2024, 9, 25), CHINA) == 0
    assert count_workdays(date(2024, 9, 25), date(2024, 9, 1), CHINA) == 0


def test_the_last_week_of_december_may_belong_to_two_notices():
    assert notice_years(date(2026, 12, 24)) == (2026,)
    assert notice_years(date(2026, 12, 25)) == (2026, 2027)
    assert in_notice_window(2027, date(2026, 12, 31))
    assert not in_notice_window(2027, date(2026, 12, 24))
    assert not in_notice_window(2026, date(2027, 1, 1))


def test_covers_needs_every_notice_that_can_decide_the_day():
    assert only(2026).covers(date(2026, 6, 1))
    assert not only(2026).covers(date(2026, 12, 28))
    assert not only(2026).covers(date(2025, 6, 1))
