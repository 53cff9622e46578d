"""The pure rules: state machine, chain validation, deadline arithmetic."""

from datetime import date, datetime, timedelta

import pytest

from gongkai.core.calendar import HolidayCalendar, add_workdays
from gongkai.publishing.rules import (
    DEFAULT_CHAIN,
    SHANGHAI,
    TRANSITIONS,
    DeadlineUnit,
    SubmissionState,
    chain_from_data,
    chain_to_data,
    days_late,
    next_state,
    publication_due,
)


def weekends_only(start, n):
    return add_workdays(start, n, HolidayCalendar())


def test_only_the_last_approval_leaves_review():
    assert next_state(SubmissionState.DRAFT, "approve_final") is None
    assert next_state(SubmissionState.RETURNED, "approve_step") is None
    assert next_state(SubmissionState.IN_REVIEW, "approve_final") == SubmissionState.DONE
    assert next_state(SubmissionState.DONE, "cancel") is None
    reachable_done = {src for (src, _event), dst in TRANSITIONS.items() if dst == SubmissionState.DONE}
    assert reachable_done == {SubmissionState.IN_REVIEW, SubmissionState.SCHEDULED}


def test_chain_round_trip_and_validation():
    assert chain_from_data(chain_to_data(DEFAULT_CHAIN)) == DEFAULT_CHAIN
    with pytest.raises(ValueError, match="至少"):
        chain_from_data([])
    with pytest.raises(ValueError, match="重复"):
        chain_from_data(
            [{"key": "a", "label": "甲", "role": "leader"}, {"key": "a", "label": "乙", "role": "leader"}]
        )
    with pytest.raises(ValueError, match="角色"):
        chain_from_data([{"key": "a", "label": "甲", "role": "clerk"}])
    with pytest.raises(ValueError, match="缺少"):
        chain_from_data([{"key": "a"}])
    # Someone must settle findings: the last step when no step says so.
    chain = chain_from_data([{"key": "a", "label": "甲", "role": "leader"}])
    assert chain[-1].settles_findings


def test_workday_deadline_ends_at_the_end_of_the_day_and_skips_weekends():
    formed = datetime(2026, 11, 27, 16, 30, tzinfo=SHANGHAI)  # a Friday
    due, provisional, explanation = publication_due(formed, 3, DeadlineUnit.WORKDAYS, weekends_only)
    assert due == datetime(2026, 12, 2, 23, 59, 59, tzinfo=SHANGHAI)  # Mon, Tue, Wed
    assert provisional  # no notice loaded in this calendar
    assert "3个工作日" in explanation


def test_hour_deadline_runs_from_the_moment():
    formed = datetime(2026, 11, 27, 16, 30, tzinfo=SHANGHAI)
    due, provisional, _ = publication_due(formed, 24, DeadlineUnit.HOURS, weekends_only)
    assert due == formed + timedelta(hours=24) and not provisional
    with pytest.raises(ValueError):
        publication_due(formed, 0, DeadlineUnit.HOURS, weekends_only)


def test_days_late():
    due = datetime(2026, 11, 27, 23, 59, 59, tzinfo=SHANGHAI)
    assert days_late(due, due) == 0
    assert days_late(due, due + timedelta(seconds=2)) == 1
    assert days_late(due, datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI)) == 10
    assert date(2026, 11, 27) == due.date()
