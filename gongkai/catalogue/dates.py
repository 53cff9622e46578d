"""Dates that keep their precision (interfaces.md, import-documents): ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``. Stored as the first day of the period with a precision (models.DatePrecision);
shown as 「2023年」, 「2023年5月」 or 「2023年5月17日」 and returned by the API as the same
strings that came in, so a year-only document never gains an invented 1 January."""

import re
from datetime import date

from django.utils.translation import gettext

from .derive import parse_chinese_date

YEAR, MONTH, DAY = "year", "month", "day"
ISO_PARTIAL_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
CN_PARTIAL_RE = re.compile(r"(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?")
MIN_YEAR, MAX_YEAR = 1900, 2100


class DateProblem(ValueError):
    """The text is not a date of any accepted precision; the message says why."""


def parse_partial_date(text: str) -> tuple[date, str]:
    """``(first day, precision)`` of ``2023``, ``2023-05``, ``2023-05-17`` (also 2023年,
    2023年5月, 2023年5月17日, 二〇二三年五月十七日). Raises DateProblem for anything else,
    including an impossible day (2023-02-30) or a year outside 1900-2100."""
    raw = str(text).strip()
    m = ISO_PARTIAL_RE.fullmatch(raw)
    if m:
        year, month, day = int(m[1]), m[2], m[3]
        precision = DAY if day else MONTH if month else YEAR
    else:
        found = parse_chinese_date(raw)
        if found is not None:
            year, month, day, precision = found.year, found.month, found.day, DAY
        elif m := CN_PARTIAL_RE.fullmatch(raw):
            year, month, day = int(m[1]), m[2], None
            precision = MONTH if month else YEAR
        else:
            raise DateProblem(f"{raw!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateProblem(f"{raw!r}: the year is not between {MIN_YEAR} and {MAX_YEAR}")
    try:
        return date(year, int(month or 1), int(day or 1)), precision
    except ValueError:
        raise DateProblem(f"{raw!r} is not a date (there is no such day)") from None


def precise_iso(value: date | None, precision: str) -> str | None:
    """The date as the API returns it: ``"2023"``, ``"2023-05"`` or ``"2023-05-17"``."""
    if value is None:
        return None
    if precision == YEAR:
        return f"{value.year:04d}"
    if precision == MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def precise_cn(value: date | None, precision: str) -> str:
    """The date as the portal shows it: 2023年, 2023年5月 or 2023年5月17日."""
    if value is None:
        return ""
    if precision == YEAR:
        return gettext("%(y)d年") % {"y": value.year}
    if precision == MONTH:
        return gettext("%(y)d年%(m)d月") % {"y": value.year, "m": value.month}
    return gettext("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def not_before(later: date, later_precision: str, earlier: date, earlier_precision: str) -> bool:
    """Whether ``later`` can be on or after ``earlier``, compared at the coarser precision."""
    coarse = YEAR if YEAR in (later_precision, earlier_precision) else MONTH
    if DAY == later_precision == earlier_precision:
        return later >= earlier
    if coarse == YEAR:
        return later.year >= earlier.year
    return (later.year, later.month) >= (earlier.year, earlier.month)
