"""Deadline reminders for proactive disclosure: who should hear about which records.

Selection only: `gongkai remind` (gongkai/operations/reminders.py) puts these records together
with the applications' replies into one e-mail per person, daily from cron or a timer.
A record due within ``GONGKAI_DUE_SOON_DAYS`` (default 3) or already overdue is sent to the
people who can move it: the agency's clerks while it is a draft or returned, the holders of
the current step's role while it is in review.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from gongkai.agencies.access import staff_by_grant
from gongkai.agencies.models import Role

from .models import Submission
from .rules import SHANGHAI, SubmissionState


def due_soon_days() -> int:
    return int(getattr(settings, "GONGKAI_DUE_SOON_DAYS", 3))


def _roles_to_remind(submission: Submission) -> tuple[str, ...]:
    if submission.state == SubmissionState.IN_REVIEW:
        return (submission.current_step.role,)
    if submission.state == SubmissionState.SCHEDULED:
        return (Role.OFFICE_HEAD,)
    return (Role.CLERK,)


def submissions_due(*, now=None) -> dict[int, tuple[list[Submission], list[Submission]]]:
    """user id -> (overdue, due soon): the records due within ``due_soon_days()`` or overdue,
    for each person who can move them. Every staff member with the role is listed, whether or
    not they can be mailed (the caller knows who has an address)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=due_soon_days())
    pending = (
        Submission.objects.with_clock()
        .filter(due_at__lt=horizon)
        .select_related("document", "agency")
        .order_by("due_at")
    )
    grants = defaultdict(set, staff_by_grant())  # (agency_id, role) -> user ids
    out: dict[int, tuple[list[Submission], list[Submission]]] = {}
    for submission in pending:
        for role in _roles_to_remind(submission):
            for user_id in grants[(submission.agency_id, role)]:
                overdue, due_soon = out.setdefault(user_id, ([], []))
                (overdue if submission.due_at < now else due_soon).append(submission)
    return out


def submission_line(s: Submission) -> str:
    """The line of one record in a reminder e-mail."""
    due = s.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    mark = "（暂定）" if s.due_provisional else ""
    return f"- {s.document.title}（{s.agency.name}，{s.get_state_display()}，公开期限 {due}{mark}）"
