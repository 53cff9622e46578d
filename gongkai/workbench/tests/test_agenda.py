"""Issue 18 item 1: one agenda of every deadline, sorted by date, with assignee, "mine", search
(the phone only where it may be read) and a week view; the dashboard counts the same list; bulk
assignment through the audited service."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.agencies.tests.clock import set_today
from gongkai.applications import services
from gongkai.applications.models import Application, Consultation
from gongkai.applications.rules import Outcome
from gongkai.applications.services import ApplicationError, NotPermitted
from gongkai.catalogue.tests.factories import make_agency
from gongkai.complaints.rules import Kind
from gongkai.complaints.services import complaint_investigate, complaint_submit
from gongkai.complaints.tests.factories import complaint_data
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_office, make_staff
from gongkai.workbench import agenda

from .applications_world import register

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 10)  # a Wednesday; the week runs Mon 8 June to Sun 14 June 2026
AGENDA = "/staff/agenda/"


@pytest.fixture
def week(monkeypatch):
    """A clerk's week, every case made through the services on the day it happened. Working
    days counted by hand (no holiday between 12 May and 18 June 2026):

    - fresh: received Wed 3 June; the 7 working days for a correction notice run 4, 5, 8-12 June:
      Fri 12 June (this week); its reply (20 working days) is in July.
    - due: received Thu 14 May; 15 May, 18-22, 25-29 May, 1-5, 8-11 June: reply Thu 11 June.
    - late: received Tue 12 May; 13-15, 18-22, 25-29 May, 1-5, 8, 9 June: reply Tue 9 June,
      overdue (not "this week": the count runs from today to Sunday).
    - awaiting: received Mon 1 June, correction asked on 2 June with 5 working days, the
      applicant received the notice on 3 June: 4, 5, 8, 9, 10 June, due today; the reply clock
      is paused, so no reply date.
    - decided: received Fri 15 May, reply due 18-22, 25-29 May, 1-5, 8-12 June: Fri 12 June;
      decided, its letter not delivered: "已决定待送达" on 12 June.
    - extended: received Thu 14 May (original reply date 11 June), extended by 10 working days on
      8 June: the extension notice must reach the applicant by Thu 11 June; the reply moves 10
      working days on, over the Dragon Boat Festival (Fri 19 June): 12, 15-18, 22-26 June, so
      Fri 26 June (not this week).
    - consulting: received Mon 1 June, a third party consulted on 2 June (the notice received
      the same day): its answer is due 15 working days on: 3-5, 8-12, 15-18, 22-24 June.
    - a suggestion received by the agency on Wed 20 May, taken up by the clerk: its answer is due
      15 working days on: 21, 22, 25-29 May, 1-5, 8-10 June, today.
    """
    city = make_agency("江州市人民政府")
    office = make_office("江州市教育局", parent=city)
    supervisor = make_staff(city, Role.SUPERVISOR)
    head = office.office_head
    clerk = office.clerk

    def on(day):
        set_today(monkeypatch, day)

    on(date(2026, 5, 12))
    late = register(office, received_on=date(2026, 5, 12), description="校车采购合同")
    on(date(2026, 5, 14))
    due = register(office, received_on=date(2026, 5, 14), description="学区划分方案", phone="13900001111")
    extended = register(office, received_on=date(2026, 5, 14), description="十年来的校舍安全档案")
    on(date(2026, 5, 15))
    decided = register(office, received_on=date(2026, 5, 15), description="2026年教育经费预算")
    suggestion = complaint_submit(
        data=complaint_data(office.agency, kind=Kind.SUGGESTION, content="建议公开招生政策的依据"),
        received_at=datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
    ).complaint
    on(date(2026, 6, 1))
    awaiting = register(office, received_on=date(2026, 6, 1), description="关于某小学扩建的批复")
    on(date(2026, 6, 2))
    services.correction_request(application=awaiting, items=["请写明文号"], days=5, actor=clerk)
    consulting = register(office, received_on=date(2026, 6, 1), description="某公司中标合同")
    consultation = services.consultation_start(
        application=consulting, party=Consultation.Party.THIRD_PARTY, party_name="江州某某科技有限公司",
        on=date(2026, 6, 2), actor=clerk,
    )  # fmt: skip
    on(date(2026, 6, 3))
    services.notice_receipt_record(
        application=awaiting, notice="correction", on=date(2026, 6, 3), method="post", actor=clerk
    )
    fresh = register(office, received_on=date(2026, 6, 3), description="全市学校食堂检查记录")
    on(date(2026, 6, 8))
    services.application_decide(application=decided, outcome=Outcome.DISCLOSED, actor=clerk)
    services.extension_grant(application=extended, days=10, reason="需调取档案", actor=head)
    on(TODAY)
    for a in (fresh, late, awaiting, decided, extended, consulting):
        services.application_assign(application=a, assignee=clerk, actor=clerk)
    services.application_assign(application=due, assignee=head, actor=clerk)
    complaint_investigate(complaint=suggestion, actor=clerk)
    office.suggestion = suggestion
    office.supervisor = supervisor
    office.consultation = consultation
    return office, {
        "fresh": fresh, "due": due, "late": late, "awaiting": awaiting, "decided": decided, "extended": extended,
        "consulting": consulting,
    }  # fmt: skip


def _row(items, application):
    return [(i.on, i.kind) for i in items if i.reference == application.tracking_no]


def test_the_week_by_hand_on_the_agenda_and_the_dashboard(client, week, monkeypatch):
    office, c = week
    set_today(monkeypatch, TODAY)
    items = agenda.agenda_for(office.clerk, TODAY)
    assert [(i.on, i.kind, i.reference) for i in items] == [
        (date(2026, 6, 9), "reply", c["late"].tracking_no),
        (date(2026, 6, 10), "applicant_correction", c["awaiting"].tracking_no),
        (date(2026, 6, 10), "complaint", office.suggestion.tracking_no),
        (date(2026, 6, 10), "correction_notice", c["consulting"].tracking_no),  # 2-5, 8-10 June
        (date(2026, 6, 11), "extension_notice", c["extended"].tracking_no),
        (date(2026, 6, 11), "reply", c["due"].tracking_no),
        (date(2026, 6, 12), "correction_notice", c["fresh"].tracking_no),
        (date(2026, 6, 12), "undelivered", c["decided"].tracking_no),
        (date(2026, 6, 24), "consultation", c["consulting"].tracking_no),
        (date(2026, 6, 26), "reply", c["extended"].tracking_no),
        (date(2026, 7, 2), "reply", c["fresh"].tracking_no),
    ]
    assert [i.overdue for i in items] == [True] + [False] * 10
    assert "江州某某科技有限公司" in items[8].summary
    # This week from today: 7 deadlines (10-12 June), 6 of them the clerk's; one overdue.
    counts = agenda.agenda_counts(office.clerk, TODAY)
    assert (counts.this_week, counts.mine_this_week, counts.overdue) == (7, 6, 1)
    assert agenda.agenda_counts(office.office_head, TODAY).mine_this_week == 1

    client.force_login(office.clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    card = page.split('id="agenda-counts"')[1].split("</ul>")[0]
    assert '<span class="wb-count">7</span> 本周到期' in card
    assert '<span class="wb-count">6</span> 本周到期（我承办的）' in card
    assert '<span class="wb-count">1</span> 期限已过' in card
    # The week view, Monday to Sunday, day by day: the same seven and Tuesday's overdue reply.
    week_page = client.get(AGENDA, {"week": "2026-06-10"}).content.decode()
    assert week_page.count('<li class="wb-record') == 8 and "共 8 项期限" in week_page
    assert week_page.count("wb-record--overdue") == 1 and c["late"].tracking_no in week_page
    assert 'datetime="2026-06-08"' in week_page and 'datetime="2026-06-14"' in week_page
    assert c["extended"].tracking_no in week_page and "2026-06-26" not in week_page
    whole = client.get(AGENDA).content.decode()
    assert whole.count('<li class="wb-record') == 11 and "wb-record--overdue" in whole
    assert "举报与建议答复期限" in whole
    assert "延期告知送达期限" in whole and "已决定待送达" in whole and "征求意见答复期限" in whole


def test_mine_and_search_by_text_and_phone_masked_as_the_access_rules_say(client, week, monkeypatch):
    office, c = week
    set_today(monkeypatch, TODAY)
    client.force_login(office.office_head)
    mine = client.get(AGENDA, {"mine": "on"}).content.decode()
    assert mine.count('<li class="wb-record') == 1 and c["due"].tracking_no in mine
    found = client.get(AGENDA, {"q": "学区划分"}).content.decode()
    assert found.count('<li class="wb-record') == 1 and c["due"].tracking_no in found
    by_phone = client.get(AGENDA, {"q": "13900001111"}).content.decode()
    assert c["due"].tracking_no in by_phone and by_phone.count('<li class="wb-record') == 1
    rows = by_phone.split('class="wb-records wb-agenda"')[1]
    assert "13900001111" not in rows and "139****1111" in rows  # shown masked
    listed = client.get("/staff/applications/", {"q": "13900001111"}).content.decode()
    assert c["due"].tracking_no in listed and c["fresh"].tracking_no not in listed
    assert c["fresh"].tracking_no in client.get("/staff/applications/", {"q": "食堂检查"}).content.decode()
    mine_list = client.get("/staff/applications/", {"mine": "on"}).content.decode()
    assert c["due"].tracking_no in mine_list and c["late"].tracking_no not in mine_list
    # A supervisor of the parent agency reads the cases with the phone masked: finding a case by
    # the phone would tell it; the request text still finds it.
    client.force_login(office.supervisor)
    assert c["due"].tracking_no not in client.get(AGENDA, {"q": "13900001111"}).content.decode()
    assert (
        c["due"].tracking_no not in client.get("/staff/applications/", {"q": "13900001111"}).content.decode()
    )
    assert c["due"].tracking_no in client.get(AGENDA, {"q": "学区划分"}).content.decode()
    assert "张三" not in client.get(AGENDA).content.decode()  # the applicant's name masked too
    # Another agency's clerk sees none of it.
    other = make_office("江州市财政局")
    client.force_login(other.clerk)
    assert "没有符合条件的期限" in client.get(AGENDA).content.decode()
    assert agenda.agenda_counts(other.clerk, TODAY).this_week == 0


def test_bulk_assign_from_the_list_is_checked_and_audited(client, week, monkeypatch):
    office, c = week
    set_today(monkeypatch, TODAY)
    picked = [c["fresh"], c["late"]]
    before = AuditEvent.objects.filter(action="application_assign").count()
    client.force_login(office.clerk)
    page = client.get("/staff/applications/").content.decode()
    assert 'id="bulk-assign"' in page and f'name="ids" value="{c["fresh"].pk}"' in page
    response = client.post(
        reverse("workbench:application_bulk_assign"),
        {"ids": [a.pk for a in picked], "bulk-assignee": office.office_head.pk, "next": "mine=on"},
    )
    assert response.status_code == 302 and response["Location"] == "/staff/applications/?mine=on"
    for a in picked:
        a.refresh_from_db()
        assert a.assigned_to == office.office_head
    events = AuditEvent.objects.filter(action="application_assign").order_by("pk")
    assert events.count() == before + 2
    assert {e.object_id for e in events.reverse()[:2]} == {str(a.pk) for a in picked}
    assert agenda.agenda_counts(office.office_head, TODAY).mine_this_week == 2  # due, fresh
    assert len(agenda.agenda_for(office.office_head, TODAY, mine=True)) == 4

    # A reviewer of the agency reads the list but may not assign: refused, nothing changes.
    client.force_login(office.unit_head)
    assert 'id="bulk-assign"' not in client.get("/staff/applications/").content.decode()
    response = client.post(
        reverse("workbench:application_bulk_assign"),
        {"ids": [c["due"].pk], "bulk-assignee": office.clerk.pk},
    )
    assert response.status_code == 302  # the assignee is not offered to a non-handler
    c["due"].refresh_from_db()
    assert c["due"].assigned_to == office.office_head
    # Another agency's clerk cannot reach these cases: nothing chosen, nothing assigned.
    other = make_office("江州市财政局")
    client.force_login(other.clerk)
    client.post(
        reverse("workbench:application_bulk_assign"), {"ids": [c["due"].pk], "bulk-assignee": other.clerk.pk}
    )
    c["due"].refresh_from_db()
    assert c["due"].assigned_to == office.office_head
    assert AuditEvent.objects.filter(action="application_assign").count() == before + 2


def test_the_assignment_service_refuses_outsiders_and_is_all_or_nothing(week):
    office, c = week
    other = make_office("江州市财政局")
    with pytest.raises(NotPermitted):
        services.applications_assign(applications=[c["due"]], assignee=other.clerk, actor=other.clerk)
    with pytest.raises(NotPermitted):  # a reviewer reads, does not handle
        services.applications_assign(applications=[c["due"]], assignee=office.clerk, actor=office.unit_head)
    with pytest.raises(ApplicationError):  # the handler must belong to the agency
        services.applications_assign(
            applications=[c["fresh"], c["due"]], assignee=other.clerk, actor=office.clerk
        )
    with pytest.raises(ApplicationError):
        services.applications_assign(applications=[], assignee=office.clerk, actor=office.clerk)
    # Mixed agencies: the clerk handles only one of them, so neither is assigned.
    theirs = register(other)
    with pytest.raises(NotPermitted):
        services.applications_assign(
            applications=[c["due"], theirs], assignee=office.clerk, actor=office.clerk
        )
    assert Application.objects.get(pk=c["due"].pk).assigned_to == office.office_head
