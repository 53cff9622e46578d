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
    notice = services.correction_request(
        application=lapsed, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 3)
    )
    services.letter_deliver(
        letter=notice, method="post", on=date(2026, 3, 5), proof="回执", actor=office["clerk"]
    )
    # A posted notice whose return receipt never came back: the applicant's period has not
    # started, so the case stays open however long ago it was sent.
    unknown = register(office, received_on=date(2026, 3, 2))
    services.correction_request(
        application=unknown, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 3)
    )
    due = register(office, received_on=timezone.localdate() - timedelta(days=60))  # overdue by now
    # A third party consulted long ago never answered: the pause ended with its answer period,
    # so the case is due (overdue) again and is in the reminder.
    silent = register(office, received_on=timezone.localdate() - timedelta(days=70))
    services.consultation_start(application=silent, party="third_party", party_name="某公司",
                                on=timezone.localdate() - timedelta(days=69), actor=office["clerk"])  # fmt: skip
    # As the lists saw it on the day it started (paused, no due date); time alone ended it since.
    Application.objects.filter(pk=silent.pk).update(clock_paused=True, reply_due_on=None)
    call_command("remind", "--json")
    out = json.loads(capsys.readouterr().out)
    lapsed.refresh_from_db()
    assert lapsed.state == ApplicationState.CLOSED and lapsed.outcome == Outcome.OTHER_NO_CORRECTION
    assert out["applications_closed_as_abandoned"] == [lapsed.pk]
    unknown.refresh_from_db()
    assert unknown.state == ApplicationState.AWAITING_CORRECTION and unknown.notice_receipt_missing
    silent.refresh_from_db()
    assert not silent.clock_paused and silent.reply_due_on < timezone.localdate()
    assert [m.to for m in mailoutbox] == [["clerk@example.gov.cn"]]
    assert due.tracking_no in mailoutbox[0].body and silent.tracking_no in mailoutbox[0].body
    assert Application.objects.get(pk=due.pk).state == ApplicationState.RECEIVED
