"""Daily housekeeping of applications (run by `gongkai remind`): bring the stored due date of
paused applications up to date (a consultation nobody answered ends by itself when its answer
period runs out, and the case is due again), close those the applicant let lapse (no
correction, fee unpaid; only where the applicant's receipt of the notice is recorded and the
applicant's deadline has passed) and list, per staff member, the replies due soon or overdue.
Lateness is derived from the stored due date; nothing here changes a deadline."""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from gongkai.agencies.access import staff_by_agency
from gongkai.agencies.models import Role

from . import services
from .models import Application
from .rules import ApplicationState


def lapsed_close(*, today=None) -> list[int]:
    """Close every application whose applicant's time ran out; returns their ids."""
    today = today or timezone.localdate()
    for application in Application.objects.filter(
        state__in=[ApplicationState.AWAITING_CORRECTION, ApplicationState.RECEIVED], clock_paused=True
    ):
        services.clock_refresh(application=application, today=today)
    closed = []
    candidates = Application.objects.filter(
        state__in=[ApplicationState.AWAITING_CORRECTION, ApplicationState.RECEIVED], clock_paused=True
    ) | Application.objects.filter(state=ApplicationState.AWAITING_CORRECTION)
    for application in candidates.distinct():
        if services.clock_state(application, today=today).abandoned:
            services.application_abandon(application=application, today=today)
            closed.append(application.pk)
    return closed


def due_for_staff(*, days: int, today=None) -> dict[int, list[Application]]:
    """user id -> open applications due within ``days`` or overdue that they can move: the
    assigned clerk, else every clerk of the agency."""
    today = today or timezone.localdate()
    due = (
        Application.objects.filter(
            state=ApplicationState.RECEIVED, reply_due_on__lte=today + timedelta(days=days)
        )
        .select_related("agency")
        .order_by("reply_due_on")
    )
    clerks = defaultdict(set, staff_by_agency(Role.CLERK))
    out: dict[int, list[Application]] = defaultdict(list)
    for application in due:
        for user_id in (
            [application.assigned_to_id] if application.assigned_to_id else clerks[application.agency_id]
        ):
            out[user_id].append(application)
    return dict(out)
