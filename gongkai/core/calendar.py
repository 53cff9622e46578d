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
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import groupby

from django.utils.translation import gettext as _

# The earliest day of December that a next year's notice may touch. The notices of 2004-2026
# reached back to 29 December at most; a few days' margin costs only a "provisional" flag.
NEW_YEAR_REACH = (12, 25)

_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """A request the calendar cannot answer (N below 1, a date past 9999-12-31)."""


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

    def holidays_between(self, start: date, end: date) -> list[date]:
        """Holidays in (start, end], in date order."""
        days = self._sorted_holidays
        return days[bisect_right(days, start) : bisect_right(days, end)]

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
    holiday. In a year without a notice only weekends are days off."""
    if day in calendar.workdays:
        return True
    return day.weekday() < 5 and day not in calendar.holidays


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
            for name, group in groupby(holidays, key=lambda d: calendar.holidays[d] or _("节假日"))
        ]
        parts.append(_("期间放假：%(holidays)s。") % {"holidays": "；".join(named)})
    adjusted = calendar.workdays_between(start, end)
    if adjusted:
        listed = "、".join(f"{_cn(d)}（{_WEEKDAYS[d.weekday()]}）" for d in adjusted)
        parts.append(_("调休上班：%(days)s。") % {"days": listed})
    if missing:
        years = "、".join(str(y) for y in missing)
        parts.append(
            _("%(years)s年的节假日安排尚未载入本平台，该期间仅按周六、周日休息计算，结果为暂定。")
            % {"years": years}
        )
    return "".join(parts)
