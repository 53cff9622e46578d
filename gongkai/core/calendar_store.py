"""The holiday calendar in the database: selectors that build a HolidayCalendar from the stored
notices, and the services that change them, each audited (STYLE.md, habit 3).

``actor=None`` is the operator at the command line (the audit trail records "system"); any other
actor must be a superuser: the notices are national and there is one calendar for all agencies.
"""

import threading
import uuid
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import audit_record
from .calendar import HolidayCalendar, Notice, WorkdayResult, add_workdays
from .calendar_notice import NoticeInvalid, notice_to_dict, parse_notice
from .models import CalendarDay, DayKind, HolidayNotice


class CalendarChangeError(Exception):
    """A user error in a calendar change; the message says what to fix."""


# The whole calendar, built once per process and rebuilt when any notice's version changes:
# versions are compared on every read, so a `gongkai calendar load` in another process is seen.
_cache_lock = threading.Lock()
_cache: tuple[frozenset, HolidayCalendar] | None = None


def _fingerprint() -> frozenset:
    return frozenset(HolidayNotice.objects.values_list("year", "version"))


def _build(notices) -> HolidayCalendar:
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.filter(notice__in=notices).values_list("date", "kind", "name"):
        (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
    years = frozenset(notices.values_list("year", flat=True))
    return HolidayCalendar(holidays=holidays, workdays=workdays, years=years)


def calendar_for(years: Iterable[int] | None = None) -> HolidayCalendar:
    """The calendar of the loaded notices: all of them, or those of ``years`` only."""
    global _cache
    if years is not None:
        return _build(HolidayNotice.objects.filter(year__in=list(years)))
    # The fingerprint is read before the rows: a change in between leaves a stale key, which
    # the next read notices, never a stale calendar under a current key.
    key = _fingerprint()
    with _cache_lock:
        if _cache is not None and _cache[0] == key:
            return _cache[1]
    calendar = _build(HolidayNotice.objects.all())
    with _cache_lock:
        _cache = (key, calendar)
    return calendar


def workday_add(start: date, n: int) -> WorkdayResult:
    """The Nth working day after ``start`` under the loaded notices (``start`` not counted)."""
    return add_workdays(start, n, calendar_for())


def _require_calendar_admin(actor) -> None:
    if actor is None or getattr(actor, "is_superuser", False):
        return
    raise CalendarChangeError(_("只有平台管理员可以维护节假日安排。"))


def _stored_notice(notice: HolidayNotice) -> Notice:
    days = list(notice.days.values_list("date", "kind", "name"))
    return Notice(
        year=notice.year,
        source=notice.source,
        holidays={d: n for d, k, n in days if k == DayKind.HOLIDAY},
        workdays={d: n for d, k, n in days if k == DayKind.WORKDAY},
    )


def notice_snapshot(notice: HolidayNotice) -> dict:
    """The audited view of a notice: the file format of its current content."""
    return notice_to_dict(_stored_notice(notice))


def _day_snapshot(day: CalendarDay) -> dict:
    return {"notice": day.notice.year, "date": day.date.isoformat(), "kind": day.kind, "name": day.name}


def _touch(*notice_ids: int) -> None:
    """Mark notices changed, so that every process rebuilds its calendar."""
    HolidayNotice.objects.filter(pk__in=notice_ids).update(version=uuid.uuid4())


@transaction.atomic
def calendar_load(*, notice: dict, actor) -> HolidayNotice:
    """Load a year's notice (the file format of calendar_notice.py), replacing the one stored
    for that year. Raises NoticeInvalid naming every problem; nothing is stored then."""
    _require_calendar_admin(actor)
    parsed = parse_notice(notice)
    dates = [*parsed.holidays, *parsed.workdays]
    clashes = (
        CalendarDay.objects.filter(date__in=dates)
        .exclude(notice__year=parsed.year)
        .select_related("notice")
        .order_by("date")
    )
    if clashes:
        raise NoticeInvalid(
            [f"{day.date} is already listed in the {day.notice.year} notice" for day in clashes]
        )
    row = HolidayNotice.objects.select_for_update().filter(year=parsed.year).first()
    before = notice_snapshot(row) if row else None
    if row is None:
        row = HolidayNotice(year=parsed.year)
    else:
        row.days.all().delete()
    row.source = parsed.source
    row.loaded_at = timezone.now()
    row.loaded_by = actor if getattr(actor, "pk", None) else None
    row.version = uuid.uuid4()
    row.save()
    CalendarDay.objects.bulk_create(
        CalendarDay(notice=row, date=day, kind=kind, name=name)
        for kind, entries in ((DayKind.HOLIDAY, parsed.holidays), (DayKind.WORKDAY, parsed.workdays))
        for day, name in sorted(entries.items())
    )
    audit_record(
        actor=actor, action="calendar_notice_load", obj=row, before=before, after=notice_to_dict(parsed)
    )
    return row


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, actor) -> CalendarDay:
    """Add or correct one day of a notice (the back office's edit): checked by the model's
    rules (within the notice's year, a working day only on a weekend, one entry per date)."""
    _require_calendar_admin(actor)
    old = CalendarDay.objects.select_related("notice").filter(pk=day.pk).first() if day.pk else None
    try:
        day.full_clean()
    except ValidationError as exc:
        raise CalendarChangeError("；".join(exc.messages)) from exc
    day.save()
    _touch(day.notice_id, *([old.notice_id] if old else []))
    audit_record(
        actor=actor,
        action="calendar_day_save",
        obj=day,
        before=_day_snapshot(old) if old else None,
        after=_day_snapshot(day),
    )
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor) -> None:
    """Remove one day from its notice (it becomes an ordinary day again)."""
    _require_calendar_admin(actor)
    audit_record(actor=actor, action="calendar_day_delete", obj=day, before=_day_snapshot(day))
    notice_id = day.notice_id
    day.delete()
    _touch(notice_id)


@transaction.atomic
def calendar_notice_delete(*, notice: HolidayNotice, actor) -> None:
    """Remove a year's notice: dates computed into that year become provisional again."""
    _require_calendar_admin(actor)
    audit_record(actor=actor, action="calendar_notice_delete", obj=notice, before=notice_snapshot(notice))
    notice.delete()
