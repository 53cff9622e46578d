"""Mainland-China working days: pure functions, no database (STYLE.md, habit 2).

Working days follow the State Council's yearly holiday notice (国务院办公厅关于XXXX年部分节假日
安排的通知): its holidays (放假, weekends inside a holiday period included) are days off, and the
weekend days it designates as working days (调休上班) are working days; otherwise Monday to
Friday are working days (regulation.md, "Clocks").

A period in working days starts the day after the triggering event: "within 20 working days of
receipt" (Regulation Art. 33) ends on the 20th working day after the receipt date, which is not
counted itself.

A notice for year Y may reach back into the last days of December of Y-1: the New Year's Day
holiday of 2019 ran from 2018-12-30, with 2018-12-29 (a Saturday) worked. So a day in the last
week of December is certain only when the next year's notice is loaded too.

Before a year's notice is loaded, the holidays whose dates the law itself fixes
(全国年节及纪念日放假办法, see ``fixed_holidays``) are already days off: only the 调休 arrangement
(weekend days moved, holidays bridged to a weekend) is unknown, so such results stay provisional.
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from itertools import groupby

from django.utils.translation import gettext as _
from lunar_python import Lunar, Solar

# The earliest day of December that a next year's notice may touch. The notices of 2004-2026
# reached back to 29 December at most; a few days' margin costs only a "provisional" flag.
NEW_YEAR_REACH = (12, 25)

_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A request the calendar cannot answer (N below 1, a date past 9999-12-31)."""


# The first year of each revision of 全国年节及纪念日放假办法 and what it fixes. 1999: 元旦, 春节
# 初一至初三, 劳动节 1-3 May, 国庆节 1-3 October. 2008 (国务院令第513号): 春节 除夕至初二, and 清明,
# 端午, 中秋 added; 劳动节 1 May only. 2014 (国务院令第644号): 春节 初一至初三 again. 2025 (国务院令
# 第795号): 春节 除夕至初三 and 劳动节 1-2 May, 13 days in all.
FIXED_HOLIDAY_RULES = (1999, 2008, 2014, 2025)
FIXED_HOLIDAY_LIBRARY = "lunar-python"  # lunar dates and the 清明 solar term
FIXED_HOLIDAY_YEARS = range(2000, 2101)  # published lunar tables reach 2100; outside, weekends only


def _lunar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the lunar year that begins in Gregorian ``year``."""
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> date:
    """The day of the 清明 solar term (4 or 5 April, in this era 3 April at the earliest)."""
    for day in range(3, 7):
        if Solar.fromYmd(year, 4, day).getLunar().getJieQi() == "清明":
            return date(year, 4, day)
    raise CalendarError(f"no 清明 solar term found in April {year}")  # pragma: no cover


@cache
def fixed_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of ``year`` whose dates 全国年节及纪念日放假办法 fixes, each mapped to
    its name; {} outside 2000-2100 (no earlier rules here, no trusted lunar tables later). These
    hold in every year before the State Council's notice adds the 调休 arrangement; a loaded notice
    replaces them."""
    if year not in FIXED_HOLIDAY_YEARS:
        return {}
    rule = max(first for first in FIXED_HOLIDAY_RULES if first <= year)
    new_year = _lunar(year, 1, 1)
    spring = [new_year + timedelta(days=i) for i in range(3)]
    may = [date(year, 5, 1)]
    if rule == 1999:
        may += [date(year, 5, 2), date(year, 5, 3)]
    if rule in (2008, 2025):
        spring.insert(0, new_year - _ONE_DAY)  # 除夕, the last day of the old lunar year
    if rule == 2008:
        spring.pop()
    if rule == 2025:
        may.append(date(year, 5, 2))
    days: dict[date, str] = {date(year, 1, 1): "元旦"}
    days.update(dict.fromkeys(spring, "春节"))
    if rule >= 2008:
        days[_qingming(year)] = "清明节"
    days.update(dict.fromkeys(may, "劳动节"))
    if rule >= 2008:
        days[_lunar(year, 5, 5)] = "端午节"
    national = {date(year, 10, d): "国庆节" for d in (1, 2, 3)}
    if rule >= 2008:
        mid_autumn = _lunar(year, 8, 15)
        if mid_autumn not in national:  # 2020: 1 October was both, one day off
            days[mid_autumn] = "中秋节"
    days.update(national)
    return dict(sorted(days.items()))


def notice_years(day: date) -> tuple[int, ...]:
    """The years whose holiday notice can decide ``day``: its own, and in the last week of
    December also the next one (whose New Year's Day holiday may start there)."""
    if (day.month, day.day) >= NEW_YEAR_REACH:
        return (day.year, day.year + 1)
    return (day.year,)


def in_notice_window(year: int, day: date) -> bool:
    """True when a notice for ``year`` may list ``day``: a day of that year, or of the last
    week of December before it."""
    return year in notice_years(day)


@dataclass(frozen=True)
class Notice:
    """One year's holiday notice: its holidays and adjusted working days, each mapped to a name
    (the holiday, e.g. 春节; "" when unknown), and where it comes from (its document number or title)."""

    year: int
    source: str
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]


@dataclass(frozen=True)
class HolidayCalendar:
    """The loaded holiday notices, merged: holidays and adjusted working days (each mapped to
    its name, e.g. 春节; "" when unknown) and the years whose notice is loaded."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    def covers(self, day: date) -> bool:
        """True when every notice that can decide ``day`` is loaded."""
        return all(year in self.years for year in notice_years(day))

    @cached_property
    def _sorted_holidays(self) -> list[date]:
        return sorted(self.holidays)

    @cached_property
    def _sorted_workdays(self) -> list[date]:
        return sorted(self.workdays)

    def holiday_name(self, day: date) -> str | None:
        """The name of the holiday on ``day`` ("" when the notice gives none), or None when it is
        no holiday: a loaded notice decides its year; a year without one has its fixed holidays."""
        if day in self.holidays:
            return self.holidays[day]
        if day.year not in self.years:
            return fixed_holidays(day.year).get(day)
        return None

    def holidays_between(self, start: date, end: date) -> list[date]:
        """Holidays in (start, end], in date order: those of the loaded notices, and the fixed
        holidays of the years in between that have none."""
        days = self._sorted_holidays
        found = set(days[bisect_right(days, start) : bisect_right(days, end)])
        for year in range(start.year, end.year + 1):
            if year not in self.years:
                found.update(d for d in fixed_holidays(year) if start < d <= end)
        return sorted(found)

    def workdays_between(self, start: date, end: date) -> list[date]:
        """Adjusted working days in (start, end], in date order."""
        days = self._sorted_workdays
        return days[bisect_right(days, start) : bisect_right(days, end)]

    @classmethod
    def from_notices(cls, notices: Iterable[Notice]) -> "HolidayCalendar":
        """Merge yearly notices into one calendar."""
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        years: set[int] = set()
        for notice in notices:
            years.add(notice.year)
            holidays.update(notice.holidays)
            workdays.update(notice.workdays)
        return cls(holidays=holidays, workdays=workdays, years=frozenset(years))


def is_workday(day: date, calendar: HolidayCalendar) -> bool:
    """True when agencies work on ``day``: an adjusted working day, or a weekday that is not a
    holiday. In a year without a notice, weekends and the fixed holidays are days off."""
    if day in calendar.workdays:
        return True
    return day.weekday() < 5 and calendar.holiday_name(day) is None


@dataclass(frozen=True)
class WorkdayResult:
    """The end of a period in working days, whether it is provisional (a year it crosses has
    no notice loaded) and how it was computed, in words for the people concerned."""

    date: date
    provisional: bool
    explanation: str
    missing_years: tuple[int, ...] = ()


def _next_day(day: date) -> date:
    try:
        return day + _ONE_DAY
    except OverflowError:
        raise CalendarError("the period ends after 9999-12-31, the last date the calendar knows") from None


def add_workdays(start: date, n: int, calendar: HolidayCalendar) -> WorkdayResult:
    """The Nth working day after ``start`` (``start`` itself is not counted; N ≥ 1)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise CalendarError(f"the number of working days must be a whole number of at least 1, not {n!r}")
    day, counted, crossed = start, 0, set()
    while counted < n:
        day = _next_day(day)
        crossed.update(notice_years(day))
        counted += is_workday(day, calendar)
    missing = tuple(sorted(crossed - calendar.years))
    return WorkdayResult(
        date=day,
        provisional=bool(missing),
        explanation=_explain(start, n, day, calendar, missing),
        missing_years=missing,
    )


def count_workdays(start: date, end: date, calendar: HolidayCalendar) -> int:
    """The number of working days in (start, end]: after ``start``, up to and including ``end``
    (0 when ``end`` is not after ``start``)."""
    total, day = 0, start
    while day < end:
        day += _ONE_DAY
        total += is_workday(day, calendar)
    return total


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _cn_span(days: list[date]) -> str:
    """Consecutive days as one span: 2024年2月10日至2月17日."""
    first, last = days[0], days[-1]
    if first == last:
        return _cn(first)
    tail = _cn(last) if last.year != first.year else f"{last.month}月{last.day}日"
    return f"{_cn(first)}至{tail}"


def _runs(days: list[date]) -> list[list[date]]:
    """Split sorted days into runs of consecutive days."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][-1] + _ONE_DAY == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _explain(start: date, n: int, end: date, calendar: HolidayCalendar, missing: tuple[int, ...]) -> str:
    parts = [
        _("自%(start)s的次日起计算（当日不计），第%(n)d个工作日为%(end)s（%(weekday)s）。")
        % {"start": _cn(start), "n": n, "end": _cn(end), "weekday": _WEEKDAYS[end.weekday()]}
    ]
    holidays = [d for d in calendar.holidays_between(start, end) if d not in calendar.workdays]
    if holidays:
        named = [
            f"{name}（{'、'.join(_cn_span(run) for run in _runs(list(group)))}）"
            for name, group in groupby(holidays, key=lambda d: calendar.holiday_name(d) or _("节假日"))
        ]
        parts.append(_("期间放假：%(holidays)s。") % {"holidays": "；".join(named)})
    adjusted = calendar.workdays_between(start, end)
    if adjusted:
        listed = "、".join(f"{_cn(d)}（{_WEEKDAYS[d.weekday()]}）" for d in adjusted)
        parts.append(_("调休上班：%(days)s。") % {"days": listed})
    if missing:
        years = "、".join(str(y) for y in missing)
        parts.append(
            _(
                "%(years)s年的节假日安排尚未载入本平台，该期间按周六、周日和《全国年节及纪念日放假办法》"
                "规定日期的法定节假日休息计算，调休安排未知，结果为暂定。"
            )
            % {"years": years}
        )
    return "".join(parts)
