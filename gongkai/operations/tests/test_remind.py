"""`gongkai remind` puts what each person can move, whichever app it is in, into one e-mail."""

import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.applications.tests.test_services import register
from gongkai.publishing.tests.factories import draft, make_office

pytestmark = pytest.mark.django_db


def test_a_clerk_with_a_late_record_and_a_late_reply_gets_one_mail_naming_both(mailoutbox, capsys):
    office = make_office()
    office.clerk.email = "clerk@example.gov.cn"
    office.clerk.save()
    record = draft(office, title="逾期未公开的通知", written_on=date(2020, 1, 2))
    reply = register(
        {"agency": office.agency, "clerk": office.clerk},
        received_on=timezone.localdate() - timedelta(days=60),
    )
    assert Application.objects.get(pk=reply.pk).reply_due_on < timezone.localdate()  # overdue by now

    call_command("remind", "--json")

    out = json.loads(capsys.readouterr().out)
    assert out["sent"] == 1
    (mail,) = mailoutbox
    assert mail.to == ["clerk@example.gov.cn"]
    assert "逾期未公开的通知" in mail.body and reply.tracking_no in mail.body
    assert "1件已逾期" in mail.subject and "1件申请待答复" in mail.subject
    assert out["reminders"] == [{"email": "clerk@example.gov.cn", "overdue": [record.pk], "due_soon": []}]


def test_dry_run_closes_nothing_and_sends_nothing(mailoutbox, capsys):
    office = make_office()
    office.clerk.email = "clerk@example.gov.cn"
    office.clerk.save()
    draft(office, title="逾期未公开的通知", written_on=date(2020, 1, 2))

    call_command("remind", "--dry-run", "--json")

    out = json.loads(capsys.readouterr().out)
    assert out["sent"] == 0 and out["applications_closed_as_abandoned"] == []
    assert [r["email"] for r in out["reminders"]] == ["clerk@example.gov.cn"]
    assert mailoutbox == []
