"""`gongkai remind` for applications: lapsed ones closed as abandoned, due ones mailed."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.applications.rules import ApplicationState, Outcome

from .test_services import office, register  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_remind_closes_lapsed_corrections_and_mails_due_replies(office, mailoutbox, capsys):  # noqa: F811
    from gongkai.applications import services

    office["clerk"].email = "clerk@example.gov.cn"
    office["clerk"].save()
    lapsed = register(office, received_on=date(2026, 3, 2))
    services.correction_request(application=lapsed, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 3))
    due = register(office, received_on=timezone.localdate() - timedelta(days=60))  # overdue by now
    call_command("remind", "--json")
    out = json.loads(capsys.readouterr().out)
    lapsed.refresh_from_db()
    assert lapsed.state == ApplicationState.CLOSED and lapsed.outcome == Outcome.OTHER_NO_CORRECTION
    assert out["applications_closed_as_abandoned"] == [lapsed.pk]
    assert [m.to for m in mailoutbox] == [["clerk@example.gov.cn"]]
    assert due.tracking_no in mailoutbox[0].body
    assert Application.objects.get(pk=due.pk).state == ApplicationState.RECEIVED
