"""Deadline reminders for proactive disclosure: who should hear about which records.

Pure selection plus one sending function; `gongkai remind` runs it daily from cron or a timer.
A record due within ``GONGKAI_DUE_SOON_DAYS`` (default 3) or already overdue is sent to the
people who can move it: the agency's clerks while it is a draft or returned, the holders of
the current step's role while it is in review.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone

from gongkai.agencies.models import Role, StaffRole

from .models import Submission
from .rules import SHANGHAI, SubmissionState


def due_soon_days() -> int:
    return int(getattr(settings, "GONGKAI_DUE_SOON_DAYS", 3))


@dataclass
class Reminder:
    user_id: int
    email: str
    overdue: list[Submission] = field(default_factory=list)
    due_soon: list[Submission] = field(default_factory=list)
    applications: list = field(default_factory=list)  # replies to applications due soon or overdue


def _roles_to_remind(submission: Submission) -> tuple[str, ...]:
    if submission.state == SubmissionState.IN_REVIEW:
        return (submission.current_step.role,)
    if submission.state == SubmissionState.SCHEDULED:
        return (Role.OFFICE_HEAD,)
    return (Role.CLERK,)


def reminders_collect(*, now=None) -> list[Reminder]:
    now = now or timezone.now()
    horizon = now + timedelta(days=due_soon_days())
    pending = (
        Submission.objects.with_clock()
        .filter(due_at__lt=horizon)
        .select_related("document", "agency")
        .order_by("due_at")
    )
    grants = defaultdict(set)  # (agency_id, role) -> user ids
    for user_id, agency_id, role in StaffRole.objects.values_list("user_id", "agency_id", "role"):
        grants[(agency_id, role)].add(user_id)
    users = {u.pk: u for u in get_user_model().objects.filter(is_active=True).exclude(email="")}
    out: dict[int, Reminder] = {}
    for submission in pending:
        for role in _roles_to_remind(submission):
            for user_id in grants[(submission.agency_id, role)]:
                if user_id not in users:
                    continue
                reminder = out.setdefault(user_id, Reminder(user_id=user_id, email=users[user_id].email))
                (reminder.overdue if submission.due_at < now else reminder.due_soon).append(submission)
    from gongkai.applications.reminders import due_for_staff

    for user_id, applications in due_for_staff(days=due_soon_days()).items():
        if user_id in users:
            out.setdefault(
                user_id, Reminder(user_id=user_id, email=users[user_id].email)
            ).applications = applications
    return sorted(out.values(), key=lambda r: r.user_id)


def _application_line(a) -> str:
    mark = "（暂定）" if a.due_provisional else ""
    return f"- 申请{a.tracking_no}（{a.agency.name}）答复期限 {a.reply_due_on:%Y-%m-%d}{mark}：{a.description[:40]}"


def _line(s: Submission) -> str:
    due = s.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    mark = "（暂定）" if s.due_provisional else ""
    return f"- {s.document.title}（{s.agency.name}，{s.get_state_display()}，公开期限 {due}{mark}）"


def reminders_send(reminders: list[Reminder]) -> int:
    """One e-mail per person through Django's mail settings; returns the number sent."""
    sent = 0
    for r in reminders:
        parts = []
        if r.overdue:
            parts += [f"已逾期（{len(r.overdue)}）：", *map(_line, r.overdue), ""]
        if r.due_soon:
            parts += [f"即将到期（{len(r.due_soon)}）：", *map(_line, r.due_soon), ""]
        if r.applications:
            parts += [
                f"依申请公开答复即将到期或已逾期（{len(r.applications)}）：",
                *map(_application_line, r.applications),
                "",
            ]
        parts.append("请登录政务公开工作台办理。")
        subject = f"政务公开提醒：{len(r.overdue)}件已逾期，{len(r.due_soon)}件即将到期"
        if r.applications:
            subject += f"，{len(r.applications)}件申请待答复"
        sent += send_mail(subject, "\n".join(parts), None, [r.email])
    return sent
