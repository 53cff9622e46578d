"""The holidays whose dates 全国年节及纪念日放假办法 fixes are days off before a year's notice is
loaded (regulation.md, "Holidays fixed in advance").

The dates of 2027 and 2028 below were looked up, not computed here: each agrees in two independent
sources, the `lunardate` package (0.3.0, a different lunar table from the `lunar-python` the
platform uses) and published calendars (春节 2027-02-06 and 2028-01-26, 端午 2027-06-09 and
2028-05-28, 中秋 2027-09-15 and 2028-10-03); the 清明 days agree with `chinese-calendar`'s solar terms.
"""

from datetime import date

import pytest

from gongkai.core.calendar import HolidayCalendar, Notice, add_workdays, fixed_holidays, is_workday
from gongkai.core.calendar_seed import package_notices
from gongkai.core.calendar_store import calendar_for

NOTICES = {notice.year: notice for notice in package_notices()}
SEEDED = HolidayCalendar.from_notices(NOTICES.values())


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- every loaded notice already contains the fixed days ---------------------------------------


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_every_seeded_notice_keeps_the_fixed_holidays_off(year):
    only_this_year = HolidayCalendar.from_notices([NOTICES[year]])
    for day, name in fixed_holidays(year).items():
        assert not is_workday(day, only_this_year), (day, name)
        # Listed by the notice, or a weekend (the package leaves out a few weekend days, e.g. the
        # Saturday 2012-06-23 of 端午节).
        assert day in NOTICES[year].holidays or day.weekday() >= 5, (day, name)


@pytest.mark.django_db
def test_the_stored_calendar_keeps_every_fixed_holiday_off_in_every_loaded_year():
    stored = calendar_for()
    assert stored.years >= set(range(2004, 2027))
    for year in sorted(stored.years):
        for day in fixed_holidays(year):
            assert not is_workday(day, stored), day


def test_the_rules_of_each_revision():
    # 2024 (2014 revision): 11 days, 春节 初一至初三 (2024-02-10..12), 劳动节 1 May only.
    days_2024 = fixed_holidays(2024)
    assert len(days_2024) == 11
    assert d("2024-02-09") not in days_2024 and d("2024-05-02") not in days_2024
    # 2025 (2024 revision): 13 days, 除夕 2025-01-28 and 2 May added.
    days_2025 = fixed_holidays(2025)
    assert len(days_2025) == 13
    assert days_2025[d("2025-01-28")] == "春节" and days_2025[d("2025-05-02")] == "劳动节"
    # 2010 (2008 revision): 春节 除夕至初二 (2010-02-13..15).
    assert [day for day, name in fixed_holidays(2010).items() if name == "春节"] == [
        d("2010-02-13"),
        d("2010-02-14"),
        d("2010-02-15"),
    ]


# --- provisional years ----------------------------------------------------------------------------


def test_2027_before_its_notice_has_the_fixed_holidays():
    assert fixed_holidays(2027) == {
        d("2027-01-01"): "元旦",
        d("2027-02-05"): "春节",  # 除夕
        d("2027-02-06"): "春节",  # 正月初一
        d("2027-02-07"): "春节",
        d("2027-02-08"): "春节",
        d("2027-04-05"): "清明节",
        d("2027-05-01"): "劳动节",
        d("2027-05-02"): "劳动节",
        d("2027-06-09"): "端午节",
        d("2027-09-15"): "中秋节",
        d("2027-10-01"): "国庆节",
        d("2027-10-02"): "国庆节",
        d("2027-10-03"): "国庆节",
    }


def test_2028_before_its_notice_has_the_fixed_holidays():
    assert fixed_holidays(2028) == {
        d("2028-01-01"): "元旦",
        d("2028-01-25"): "春节",  # 除夕
        d("2028-01-26"): "春节",  # 正月初一
        d("2028-01-27"): "春节",
        d("2028-01-28"): "春节",
        d("2028-04-04"): "清明节",
        d("2028-05-01"): "劳动节",
        d("2028-05-02"): "劳动节",
        d("2028-05-28"): "端午节",
        # 中秋节 falls on 3 October, a day of 国庆节 already: 12 days, the notice will say more.
        d("2028-10-01"): "国庆节",
        d("2028-10-02"): "国庆节",
        d("2028-10-03"): "国庆节",
    }


def test_a_reply_period_across_the_2028_spring_festival_skips_it_and_stays_provisional():
    # Received Thu 2028-01-20: Fri 1/21 (1), Mon 1/24 (2), Tue-Fri 1/25-28 春节 (除夕 to 初三),
    # Mon 1/31 (3), Tue 2/1 (4), Wed 2/2 (5).
    result = add_workdays(d("2028-01-20"), 5, SEEDED)
    assert result.date == d("2028-02-02")
    assert result.provisional and result.missing_years == (2028,)
    assert "春节（2028年1月25日至1月28日）" in result.explanation
    assert "调休安排未知" in result.explanation


def test_the_fixed_holidays_of_2027_count_in_a_reply_period_from_december_2026():
    # Received Tue 2026-12-15: 12/16-18 (3), 12/21-25 (8), 12/28-31 (12), Fri 1/1 元旦, 1/4-8 (17),
    # 1/11-13 (20).
    result = add_workdays(d("2026-12-15"), 20, SEEDED)
    assert result.date == d("2027-01-13") and result.provisional


def test_a_loaded_notice_decides_its_year_alone():
    # A notice (made up for this test) that gives only New Year's Day: the other fixed days of 2027
    # are working days, because once loaded the notice is the whole truth of its year.
    made_up = Notice(year=2027, source="test", holidays={d("2027-01-01"): "元旦"}, workdays={})
    loaded = HolidayCalendar.from_notices([*NOTICES.values(), made_up])
    assert is_workday(d("2027-02-08"), loaded)
    assert not is_workday(d("2027-02-08"), SEEDED)
    result = add_workdays(d("2027-09-30"), 1, loaded)
    assert result.date == d("2027-10-01") and not result.provisional


def test_years_outside_the_lunar_tables_fall_back_to_weekends():
    assert fixed_holidays(1999) == {} and fixed_holidays(2101) == {}
    assert add_workdays(d("2100-12-30"), 1, HolidayCalendar()).date == d("2100-12-31")
