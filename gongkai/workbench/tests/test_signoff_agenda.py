"""Issue 18 item 2 on the agenda: the letters waiting for the approver's sign-off (待我签发) are
on that approver's agenda, on the day the case's reply is due, and the dashboard counts them
from the same list; they leave it once signed."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.agencies.tests.clock import set_today
from gongkai.applications import services
from gongkai.publishing.tests.factories import make_office
from gongkai.workbench import agenda

from .applications_world import register

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # Wednesday; the week ends Sunday 14 June


def test_a_proposed_extension_is_on_the_office_heads_agenda_until_signed(client, monkeypatch):
    office = make_office("江州市教育局")
    set_today(monkeypatch, date(2026, 5, 14))
    # received Thu 14 May: the reply is due Thu 11 June (20 working days), this week
    application = register(office, received_on=date(2026, 5, 14), description="十年来的校舍安全档案")
    set_today(monkeypatch, TODAY)
    proposal = services.extension_propose(
        application=application, days=10, reason="需调取档案", actor=office.clerk
    )

    head_items = [i for i in agenda.agenda_for(office.office_head, TODAY) if i.kind == agenda.SIGNOFF]
    assert [(i.on, i.reference, i.assignee_id) for i in head_items] == [
        (date(2026, 6, 11), application.tracking_no, office.office_head.pk)
    ]
    assert head_items[0].kind_label == "待我签发" and proposal.title in head_items[0].summary
    assert not [i for i in agenda.agenda_for(office.clerk, TODAY) if i.kind == agenda.SIGNOFF]
    assert [i for i in agenda.agenda_for(office.office_head, TODAY, mine=True) if i.kind == agenda.SIGNOFF]

    # the dashboard counts the same list: the queued letter is one more this week, never overdue
    counts = agenda.agenda_counts(office.office_head, TODAY)
    week = [i for i in agenda.agenda_for(office.office_head, TODAY) if TODAY <= i.on <= date(2026, 6, 14)]
    assert counts.this_week == len(week) and counts.mine_this_week >= 1
    assert counts.overdue == sum(1 for i in agenda.agenda_for(office.office_head, TODAY) if i.overdue)
    client.force_login(office.office_head)
    page = client.get(reverse("workbench:agenda")).content.decode()
    assert "待我签发" in page and application.tracking_no in page

    services.letter_sign(letter=proposal, actor=office.office_head)
    assert not [i for i in agenda.agenda_for(office.office_head, TODAY) if i.kind == agenda.SIGNOFF]
