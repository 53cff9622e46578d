"""`gongkai remind`, composed: the daily housekeeping of applications, then one e-mail per
person with everything they can move that is due soon or overdue, whichever app it is in.

Each domain app selects its own records (`publishing.reminders.submissions_due`,
`applications.reminders.due_for_staff`, `applications.reminders.lapsed_close`,
`keyareas.reminders.obligations_due`); only this
module, above them, knows that they share one run and one e-mail. A new kind of deadline adds
its selection in its app and a field, a block of lines and a collecting step here.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from gongkai.applications.reminders import due_for_staff
from gongkai.keyareas.reminders import obligation_line, obligations_due
from gongkai.publishing.models import Submission
from gongkai.publishing.reminders import due_soon_days, submission_line, submissions_due


@dataclass
class Reminder:
    user_id: int
    email: str
    overdue: list[Submission] = field(default_factory=list)
    due_soon: list[Submission] = field(default_factory=list)
    applications: list = field(default_factory=list)  # replies to applications due soon or overdue
    keyareas: list = field(default_factory=list)  # key-area disclosures due soon or overdue


def reminders_collect(*, now=None) -> list[Reminder]:
    """The reminders of everyone active with an e-mail address, by user id."""
    users = {u.pk: u for u in get_user_model().objects.filter(is_active=True).exclude(email="")}
    out: dict[int, Reminder] = {}

    def reminder(user_id: int) -> Reminder:
        return out.setdefault(user_id, Reminder(user_id=user_id, email=users[user_id].email))

    for user_id, (overdue, due_soon) in submissions_due(now=now).items():
        if user_id in users:
            r = reminder(user_id)
            r.overdue, r.due_soon = overdue, due_soon
    for user_id, applications in due_for_staff(days=due_soon_days()).items():
        if user_id in users:
            reminder(user_id).applications = applications
    for user_id, rows in obligations_due(days=due_soon_days()).items():
        if user_id in users:
            reminder(user_id).keyareas = rows
    return sorted(out.values(), key=lambda r: r.user_id)


def _application_line(a) -> str:
    mark = "（暂定）" if a.due_provisional else ""
    return f"- 申请{a.tracking_no}（{a.agency.name}）答复期限 {a.reply_due_on:%Y-%m-%d}{mark}：{a.description[:40]}"


def reminders_send(reminders: list[Reminder]) -> int:
    """One e-mail per person through Django's mail settings; returns the number sent."""
    sent = 0
    for r in reminders:
        parts = []
        if r.overdue:
            parts += [f"已逾期（{len(r.overdue)}）：", *map(submission_line, r.overdue), ""]
        if r.due_soon:
            parts += [f"即将到期（{len(r.due_soon)}）：", *map(submission_line, r.due_soon), ""]
        if r.applications:
            parts += [
                f"依申请公开答复即将到期或已逾期（{len(r.applications)}）：",
                *map(_application_line, r.applications),
                "",
            ]
        if r.keyareas:
            parts += [
                f"重点领域信息即将到期或已逾期（{len(r.keyareas)}）：",
                *map(obligation_line, r.keyareas),
                "",
            ]
        parts.append("请登录政务公开工作台办理。")
        subject = f"政务公开提醒：{len(r.overdue)}件已逾期，{len(r.due_soon)}件即将到期"
        if r.applications:
            subject += f"，{len(r.applications)}件申请待答复"
        if r.keyareas:
            subject += f"，{len(r.keyareas)}项重点领域信息待公开"
        sent += send_mail(subject, "\n".join(parts), None, [r.email])
    return sent
