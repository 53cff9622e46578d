"""The file format of a year's holiday notice, read by `gongkai calendar load FILE`.

One JSON object (UTF-8) per file::

    {
      "year": 2027,
      "source": "国务院办公厅关于2027年部分节假日安排的通知",
      "holidays": [
        {"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"name": "春节", "dates": ["2027-02-06", "2027-02-07", "..."]}
      ],
      "workdays": ["2027-02-14", {"name": "国庆节", "dates": ["2027-09-26"]}]
    }

- ``year``: the year the notice is for; ``source``: its document number or title.
- ``holidays``: every day off of each holiday period, weekends inside the period included,
  grouped by the holiday's name (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆节).
- ``workdays``: the Saturdays and Sundays made working days (调休上班), each a date or a group
  ``{"name": holiday, "dates": [...]}`` naming the holiday it makes up for; ``[]`` when none.
- Dates are ``YYYY-MM-DD`` within the year, or in the last week of December before it (the New
  Year's Day holiday may start there). No date may be listed twice, or as both kinds.

Errors name the field (``holidays[1].dates[0]: ...``) or, for broken JSON, the line and column.
Messages are English: they are read at the command line (STYLE.md, habit 7).
"""

import json
import re
from datetime import date

from .calendar import NEW_YEAR_REACH, Notice, in_notice_window

FIELDS = ("year", "source", "holidays", "workdays")
GROUP_FIELDS = ("name", "dates")
MIN_YEAR, MAX_YEAR = 1900, 9998
SOURCE_MAX, NAME_MAX = 200, 100
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NoticeInvalid(ValueError):
    """A notice that cannot be loaded; ``errors`` lists every problem, each naming its field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def read_notice_json(content: str | bytes):
    """Decode a notice file's content (UTF-8, a byte-order mark allowed) into JSON values."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoticeInvalid([f"not UTF-8 text (byte {exc.start})"]) from None
    try:
        return json.loads(content.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise NoticeInvalid([f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]) from None


def parse_notice_text(content: str | bytes) -> Notice:
    """Decode and check a notice file's content."""
    return parse_notice(read_notice_json(content))


def parse_notice(data) -> Notice:
    """Check a decoded notice and return it; raises NoticeInvalid listing every problem."""
    if not isinstance(data, dict):
        raise NoticeInvalid(["the notice must be a JSON object ({...})"])
    errors: list[str] = []
    errors += [f"unknown field {key!r} (expected {', '.join(FIELDS)})" for key in data if key not in FIELDS]
    errors += [f"{key}: missing" for key in FIELDS if key not in data]
    year = data.get("year")
    if "year" in data and (
        isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR
    ):
        errors.append(f"year: must be a whole number between {MIN_YEAR} and {MAX_YEAR}, not {year!r}")
        year = None
    source = data.get("source")
    if "source" in data and not _text_ok(source, SOURCE_MAX):
        errors.append(f"source: must be a non-empty text of at most {SOURCE_MAX} characters")
    reader = _DayReader(year, errors)
    holidays = data.get("holidays")
    if "holidays" in data:
        if not isinstance(holidays, list) or not holidays:
            errors.append('holidays: must be a non-empty list of {"name": ..., "dates": [...]} groups')
        else:
            for i, group in enumerate(holidays):
                reader.group(f"holidays[{i}]", group, kind="holiday")
    workdays = data.get("workdays")
    if "workdays" in data:
        if not isinstance(workdays, list):
            errors.append("workdays: must be a list of dates (use [] when there are none)")
        else:
            for i, item in enumerate(workdays):
                if isinstance(item, dict):
                    reader.group(f"workdays[{i}]", item, kind="workday")
                else:
                    reader.day(f"workdays[{i}]", item, kind="workday", name="")
    if errors:
        raise NoticeInvalid(errors)
    return Notice(year=year, source=source.strip(), holidays=reader.holidays, workdays=reader.workdays)


def notice_to_dict(notice: Notice) -> dict:
    """A notice in the file format (holidays and named workdays grouped by name, in date order)."""

    def grouped(days: dict[date, str]) -> list[dict]:
        groups: dict[str, list[str]] = {}
        for day in sorted(days):
            groups.setdefault(days[day], []).append(day.isoformat())
        return [{"name": name, "dates": dates} for name, dates in groups.items()]

    named = {d: n for d, n in notice.workdays.items() if n}
    unnamed = sorted(d.isoformat() for d, n in notice.workdays.items() if not n)
    return {
        "year": notice.year,
        "source": notice.source,
        "holidays": grouped(dict(notice.holidays)),
        "workdays": unnamed + grouped(named),
    }


def _text_ok(value, limit: int) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value.strip()) <= limit


class _DayReader:
    """Reads dates into holidays and workdays, recording where each was listed."""

    def __init__(self, year: int | None, errors: list[str]):
        self.year, self.errors = year, errors
        self.holidays: dict[date, str] = {}
        self.workdays: dict[date, str] = {}
        self.seen: dict[date, tuple[str, str]] = {}

    def group(self, where: str, group, *, kind: str) -> None:
        if not isinstance(group, dict):
            self.errors.append(f'{where}: must be an object {{"name": ..., "dates": [...]}}')
            return
        self.errors.extend(
            f"{where}: unknown field {key!r} (expected name, dates)"
            for key in group
            if key not in GROUP_FIELDS
        )
        name = group.get("name")
        if not _text_ok(name, NAME_MAX):
            self.errors.append(f"{where}.name: must be a non-empty text of at most {NAME_MAX} characters")
            name = ""
        dates = group.get("dates")
        if not isinstance(dates, list) or not dates:
            self.errors.append(f"{where}.dates: must be a non-empty list of dates (YYYY-MM-DD)")
            return
        for j, value in enumerate(dates):
            self.day(f"{where}.dates[{j}]", value, kind=kind, name=name.strip())

    def day(self, where: str, value, *, kind: str, name: str) -> None:
        day = _parse_date(value)
        if day is None:
            self.errors.append(f"{where}: {value!r} is not a date (YYYY-MM-DD)")
            return
        if self.year is not None and not in_notice_window(self.year, day):
            month, first = NEW_YEAR_REACH
            self.errors.append(
                f"{where}: {day} is outside the {self.year} notice ({self.year}-01-01 to {self.year}-12-31, "
                f"or from {self.year - 1}-{month:02d}-{first:02d} for the New Year's Day holiday)"
            )
            return
        if day in self.seen:
            other_where, other_kind = self.seen[day]
            if other_kind == kind:
                self.errors.append(f"{where}: {day} is listed twice (also at {other_where})")
            else:
                self.errors.append(
                    f"{where}: {day} is both a holiday and a working day (also at {other_where})"
                )
            return
        if kind == "workday" and day.weekday() < 5:
            self.errors.append(
                f"{where}: {day} is a {_WEEKDAY_NAMES[day.weekday()]}; only a Saturday or Sunday can be made a working day"
            )
            return
        self.seen[day] = (where, kind)
        (self.holidays if kind == "holiday" else self.workdays)[day] = name


def _parse_date(value) -> date | None:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
