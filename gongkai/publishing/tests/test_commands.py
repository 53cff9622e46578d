"""The cron commands and the reading-point package."""

import csv
import io
import json
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.models import Visibility
from gongkai.catalogue.tests.samples import make_docx
from gongkai.publishing.rules import Decision, SubmissionState
from gongkai.publishing.services import submission_decide, submission_submit

from .factories import approve_all, draft, make_office

pytestmark = pytest.mark.django_db


def test_publish_scheduled_command(capsys):
    office = make_office()
    sub = submission_submit(
        submission=draft(office), actor=office.clerk, publish_at=timezone.now() + timedelta(seconds=1)
    )
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    assert sub.state == SubmissionState.SCHEDULED
    sub.publish_at = timezone.now() - timedelta(seconds=1)  # the time has come
    sub.save(update_fields=["publish_at"])
    call_command("publish_scheduled", "--json")
    assert json.loads(capsys.readouterr().out) == {"published": [sub.pk]}
    sub.document.refresh_from_db()
    assert sub.document.visibility == Visibility.PUBLIC


def test_remind_mails_the_people_who_can_move_the_record(mailoutbox, capsys):
    office = make_office()
    for user in (office.clerk, office.unit_head, office.office_head, office.leader):
        user.email = f"{user.username}@example.gov.cn"
        user.save()
    overdue = draft(office, title="逾期未公开的通知", written_on=date(2020, 1, 2))
    in_review = submission_submit(
        submission=draft(office, title="审查中的通知", written_on=timezone.localdate()), actor=office.clerk
    )
    in_review.due_at = timezone.now() + timedelta(days=1)  # due tomorrow
    in_review.save(update_fields=["due_at"])
    draft(office, title="时间充裕的通知", written_on=timezone.localdate())  # not due soon: nobody hears
    call_command("remind", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["sent"] == 2
    by_email = {m.to[0]: m for m in mailoutbox}
    clerk_mail = by_email[office.clerk.email]
    assert "逾期未公开的通知" in clerk_mail.body and "已逾期" in clerk_mail.subject
    head_mail = by_email[office.unit_head.email]  # the current step of the one in review
    assert "审查中的通知" in head_mail.body and "逾期未公开" not in head_mail.body
    assert not any("时间充裕" in m.body for m in mailoutbox)
    assert {r["email"]: r["overdue"] for r in out["reminders"]}[office.clerk.email] == [overdue.pk]


def test_reading_point_package(tmp_path):
    office = make_office()
    sub = draft(office, title='=HYPERLINK("x")关于公布名录的通知', body="名录如附件。")
    attachment_add(
        document=sub.document, data=make_docx("名录正文"), filename="名录.docx", actor=office.clerk
    )
    doc = approve_all(office, sub).document
    approve_all(
        office,
        draft(
            office,
            title="内部事项",
            disclosure_attribute="not_disclosed",
            non_disclosure_ground="internal_affairs",
        ),
    )
    doc.refresh_from_db()
    out = tmp_path / "pkg.zip"
    today = timezone.localdate()
    call_command(
        "export_reading_points",
        "--agency",
        office.agency.code,
        "--from",
        str(today),
        "--to",
        str(today),
        "-o",
        str(out),
    )
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        rows = list(csv.reader(io.StringIO(zf.read("目录.csv").decode("utf-8-sig"))))
        wb = openpyxl.load_workbook(io.BytesIO(zf.read("目录.xlsx")))
    assert rows[0][0] == "索引号" and len(rows) == 2  # the internal record is not exported
    assert rows[1][0] == doc.index_no and rows[1][1].startswith("'=")  # formula neutralised
    assert wb.active.cell(row=2, column=2).value.startswith("'=")
    folder = rows[1][10]
    assert f"{folder}/正文.txt" in names
    assert any(n.startswith(f"{folder}/附件1_") and n.endswith(".docx") for n in names)
