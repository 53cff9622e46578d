"""The bridge between the stored clock events and the pure clock engine (clock.py): record an
event with its legal basis and keep the stored due date the lists sort by up to date.
"""

from datetime import date

from django.db import transaction

from .. import clock as clock_engine
from ..models import (
    Application,
    ClockEventRecord,
)
from ..selectors import clock_state
from .base import ApplicationError, _lock, _save, _snapshot


def _event(application: Application, kind, on: date, *, actor, basis: str, note: str = "", **extra) -> None:
    """Record a clock event and refresh the stored due date (refused if the engine refuses)."""
    ClockEventRecord.objects.create(
        application=application, kind=str(kind), on=on, basis=basis, note=note, actor=actor, **extra
    )
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    _store_clock(application, state)


def _store_clock(application: Application, state) -> None:
    """Copy what the lists sort and filter by from the clock onto the application."""
    application.reply_due_on = state.reply_due_on
    application.due_provisional = state.provisional
    application.clock_paused = state.paused
    application.notice_receipt_missing = bool(state.notices_awaiting_receipt)


def clock_refresh(*, application: Application, today: date | None = None) -> bool:
    """Bring the stored due date up to date when time alone changed the clock (a consultation
    whose answer period ran out ends by itself, regulation.md "A consultation without an
    answer"); run daily by `gongkai remind`. True when something changed (audited)."""
    with transaction.atomic():
        application = _lock(application)
        try:
            state = clock_state(application, today=today)
        except clock_engine.ClockError:
            return False
        stored = (application.reply_due_on, application.due_provisional, application.clock_paused,
                  application.notice_receipt_missing)  # fmt: skip
        _store_clock(application, state)
        if stored == (application.reply_due_on, application.due_provisional, application.clock_paused,
                      application.notice_receipt_missing):  # fmt: skip
            return False
        before = _snapshot(application) | {"reply_due_on": stored[0].isoformat() if stored[0] else None}
        _save(application, None, "clock_refresh", before)
        return True
