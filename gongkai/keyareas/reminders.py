"""Key-area disclosures for `gongkai remind`: per staff member, the owed disclosures of their
agency due within the reminder horizon or already overdue (selection only; the e-mail is
composed in gongkai/operations/reminders.py). Lateness is derived from the stored due date."""

from collections import defaultdict
from datetime import date, timedelta

from django.utils import timezone

from gongkai.agencies.access import staff_by_agency
from gongkai.agencies.models import Agency

from .selectors import ObligationRow, due_within
from .services import ACTING_ROLES


def obligations_due(*, days: int, today: date | None = None) -> dict[int, list[ObligationRow]]:
    """user id -> owed disclosures due within ``days`` or overdue, for everyone who can link
    the document: the owning agency's clerks, office heads and administrators."""
    today = today or timezone.localdate()
    rows = due_within(Agency.objects.all(), today=today, until=today + timedelta(days=days))
    people = staff_by_agency(*ACTING_ROLES)
    out: dict[int, list[ObligationRow]] = defaultdict(list)
    for row in rows:
        for user_id in sorted(people.get(row.obligation.project.agency_id, ())):
            out[user_id].append(row)
    return dict(out)


def obligation_line(row: ObligationRow) -> str:
    """One line of the reminder e-mail."""
    o = row.obligation
    mark = "（暂定）" if o.due_provisional else ""
    state = "已逾期" if row.is_overdue else "即将到期"
    return f"- {o.project.title}·{o.item.matter}（{o.project.agency.name}，{state}，公开期限 {o.due_on:%Y-%m-%d}{mark}）"
