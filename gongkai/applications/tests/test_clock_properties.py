"""Properties of the reply clock on any receipt date and any pauses, against a day-by-day
reference: a working day counts unless a pause [start, end] covers it (both ends excluded, the
one convention for pauses); an open pause stops the count; a consultation never excludes more
than its 15-working-day answer period, and one still open after it has ended by itself (TODAY is
long after every answer period); a correction notice after the 7-working-day window does not
restart the period. The calendar is the real one (2004-2026 notices, 2027 provisional)."""

from datetime import date, timedelta

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.applications.clock import ClockEvent, ClockRules, EventKind, compute_clock  # noqa: E402
from gongkai.core.calendar import HolidayCalendar, add_workdays, is_workday  # noqa: E402
from gongkai.core.calendar_seed import package_notices  # noqa: E402

CHINA = HolidayCalendar.from_notices(package_notices())
K = EventKind
TODAY = date(2030, 1, 1)
ONE = timedelta(days=1)

starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 3, 31))


def reference(start: date, n: int, pauses: list[tuple[date, date | None]]) -> tuple[date | None, int]:
    """(the n-th unpaused working day after start, 0), or (None, days left) at an open pause."""
    day, counted = start, 0
    while counted < n:
        day += ONE
        covering = [end for s, end in pauses if s <= day and (end is None or day <= end)]
        if None in covering:
            return None, n - counted
        if not covering:
            counted += is_workday(day, CHINA)
    return day, 0


@st.composite
def histories(draw, *, allow_open: bool = True, allow_correction: bool = True):
    """A receipt, maybe a correction, any consultations (overlapping freely), maybe a fee notice,
    maybe extensions on the day the period starts; the last consultation or the fee may stay open."""
    received = draw(starts)
    events = [ClockEvent(K.RECEIVED, received)]
    period_start = received
    if allow_correction and draw(st.booleans()):
        asked = received + timedelta(days=draw(st.integers(0, 10)))
        corrected = asked + timedelta(days=draw(st.integers(0, 15)))
        if asked <= add_workdays(received, 7, CHINA).date:  # in time: the period restarts
            period_start = corrected
        events += [
            ClockEvent(K.CORRECTION_REQUESTED, asked, days=draw(st.integers(1, 15))),
            ClockEvent(K.CORRECTION_RECEIVED, corrected),
        ]
    extensions = draw(st.lists(st.integers(1, 10), max_size=2).filter(lambda xs: sum(xs) <= 20))
    events += [ClockEvent(K.EXTENDED, period_start, days=d) for d in extensions]
    pauses: list[tuple[date, date | None]] = []
    spans = draw(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=4))
    for i, (offset, length) in enumerate(spans):
        start = received + timedelta(days=offset)
        end = start + timedelta(days=length)
        answer_due = add_workdays(start, 15, CHINA).date
        events.append(ClockEvent(K.CONSULTATION_STARTED, start, ref=f"c{i}"))
        if allow_open and i == len(spans) - 1 and draw(st.booleans()):
            pauses.append((start, answer_due))  # unanswered: ends with its answer period
        else:
            events.append(ClockEvent(K.CONSULTATION_ENDED, end, ref=f"c{i}"))
            pauses.append((start, min(end, answer_due)))
    if draw(st.booleans()):
        start = received + timedelta(days=draw(st.integers(0, 60)))
        end = start + timedelta(days=draw(st.integers(0, 40)))
        events.append(ClockEvent(K.FEE_NOTICE_SENT, start))
        if allow_open and draw(st.booleans()):
            pauses.append((start, None))
        else:
            events.append(ClockEvent(draw(st.sampled_from([K.FEE_PAID, K.FEE_WAIVED])), end))
            pauses.append((start, end))
    # Pauses that ended by the time a corrected application restarts the period do not count.
    return events, period_start, 20 + sum(extensions), pauses


@settings(max_examples=300, deadline=None)
@given(start=starts, extensions=st.lists(st.integers(1, 20), max_size=3).filter(lambda xs: sum(xs) <= 20))
def test_with_no_pause_the_due_date_is_add_workdays_of_twenty_plus_the_extensions(start, extensions):
    events = [ClockEvent(K.RECEIVED, start)] + [ClockEvent(K.EXTENDED, start, days=d) for d in extensions]
    state = compute_clock(events, CHINA, today=TODAY)
    expected = add_workdays(start, 20 + sum(extensions), CHINA)
    assert state.reply_due_on == expected.date
    assert state.original_due_on == add_workdays(start, 20, CHINA).date
    assert state.provisional == expected.provisional
    assert state.extension_days == sum(extensions)


@settings(max_examples=400, deadline=None)
@given(history=histories())
def test_the_clock_matches_the_day_by_day_reference(history):
    events, period_start, n, pauses = history
    state = compute_clock(events, CHINA, today=TODAY)
    due, left = reference(period_start, n, pauses)
    assert state.period_start == period_start
    assert state.reply_due_on == due
    assert state.days_remaining_when_paused == (left if due is None else None)
    assert state.paused == any(end is None for _s, end in pauses)
    # One step per event, and one more for each consultation that ran out unanswered.
    assert len(state.steps) == len(events) + len(state.consultations_lapsed)


@settings(max_examples=300, deadline=None)
@given(history=histories())
def test_the_due_date_is_always_a_working_day_after_the_period_start(history):
    events, period_start, _n, _pauses = history
    state = compute_clock(events, CHINA, today=TODAY)
    if state.reply_due_on is not None:
        assert is_workday(state.reply_due_on, CHINA)
        assert state.reply_due_on > period_start
    else:
        assert state.paused and 1 <= state.days_remaining_when_paused <= 40


@settings(max_examples=300, deadline=None)
@given(
    history=histories(allow_open=False),
    offset=st.integers(0, 60),
    length=st.integers(0, 30),
    kind=st.sampled_from(["consultation", "fee"]),
)
def test_adding_a_pause_never_makes_the_due_date_earlier(history, offset, length, kind):
    events, _period_start, _n, _pauses = history
    before = compute_clock(events, CHINA, today=TODAY).reply_due_on
    start = events[0].on + timedelta(days=offset)
    end = start + timedelta(days=length)
    if kind == "fee" and any(e.kind == K.FEE_NOTICE_SENT for e in events):
        kind = "consultation"  # one fee notice at a time: a consultation pauses the same way
    if kind == "fee":
        extra = [ClockEvent(K.FEE_NOTICE_SENT, start), ClockEvent(K.FEE_PAID, end)]
    else:
        extra = [
            ClockEvent(K.CONSULTATION_STARTED, start, ref="new"),
            ClockEvent(K.CONSULTATION_ENDED, end, ref="new"),
        ]
    after = compute_clock(events + extra, CHINA, today=TODAY).reply_due_on
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(history=histories(allow_open=False))
def test_a_fee_that_does_not_pause_leaves_the_due_date_as_without_it(history):
    events, _period_start, _n, _pauses = history
    without_fee = [e for e in events if e.kind not in (K.FEE_NOTICE_SENT, K.FEE_PAID, K.FEE_WAIVED)]
    rules = ClockRules(fee_pauses_clock=False)
    assert (
        compute_clock(events, CHINA, today=TODAY, rules=rules).reply_due_on
        == compute_clock(without_fee, CHINA, today=TODAY).reply_due_on
    )


@settings(max_examples=200, deadline=None)
@given(history=histories(), seed=st.randoms(use_true_random=False))
def test_the_order_of_events_on_different_dates_does_not_matter(history, seed):
    events, *_ = history
    # Shuffle the dates, keeping the given order among events of the same date (which matters).
    rank = {day: seed.random() for day in {e.on for e in events}}
    shuffled = sorted(events, key=lambda e: rank[e.on])
    assert compute_clock(shuffled, CHINA, today=TODAY) == compute_clock(events, CHINA, today=TODAY)
