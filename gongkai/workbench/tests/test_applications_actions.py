"""The application page's smaller actions, as staff use them: giving an application to another
clerk, linking an applicant's applications, recording the result of a reconsideration or lawsuit
later, and printing the receipt of an application just registered."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.publishing.tests.factories import make_office, make_staff

from .applications_world import ID_NUMBER, MOBILE, pdf_text, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate().isoformat()


def _url(name: str, application, **kwargs) -> str:
    return reverse(f"workbench:{name}", kwargs={"pk": application.pk, **kwargs})


def _post(client, name: str, application, data: dict, **kwargs):
    response = client.post(_url(name, application, **kwargs), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application.refresh_from_db()
    return response


@pytest.fixture
def office(db):
    office = make_office("江州市教育局")
    for user, name in (
        (office.clerk, "陈经办"),
        (office.office_head, "林主任"),
        (office.unit_head, "赵科长"),
    ):
        user.first_name = name
        user.save()
    return office


def _select(page: str, name: str) -> str:
    return re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)


def test_an_application_is_given_to_another_clerk_of_the_agency(client, office):
    colleague = make_staff(office.agency, Role.CLERK)
    colleague.first_name = "周经办"
    colleague.save()
    application = register(office)  # the registering clerk handles it at first
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", application)).content.decode()
    choices = _select(page, "assign-assignee")
    assert "周经办" in choices and "林主任" in choices and "陈经办" in choices
    assert "赵科长" not in choices  # a reviewer does not handle applications
    assert re.search(rf'value="{office.clerk.pk}" selected', choices)

    _post(client, "application_assign", application, {"assign-assignee": colleague.pk})
    assert application.assigned_to == colleague
    page = client.get(_url("application_detail", application)).content.decode()
    assert "<dt>承办人</dt><dd>周经办</dd>" in page


def test_a_closed_application_is_not_given_to_anyone(client, office):
    application = register(office)
    reply = services.application_decide(application=application, outcome="disclosed", actor=office.clerk)
    services.letter_deliver(letter=reply, method="email", on=timezone.localdate(), actor=office.clerk)
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", application)).content.decode()
    assert "已办结" in page and _url("application_assign", application) not in page


def test_linked_applications_are_listed_on_both_pages(client, office):
    earlier = register(office)
    later = register(office, description="江州市2025年义务教育阶段学校招生计划（补充）")
    client.force_login(office.clerk)
    page = client.get(_url("application_detail", later)).content.decode()
    suggestions = page.split('id="similar"')[1]
    assert f"关联 {earlier.tracking_no}" in suggestions  # a button for the suggestion

    _post(client, "application_link", later, {"link-other": earlier.tracking_no})
    for here, there in ((later, earlier), (earlier, later)):
        page = client.get(_url("application_detail", here)).content.decode()
        related = page.split("<h3>关联申请</h3>")[1].split("</ul>")[0]
        assert there.tracking_no in related
    page = client.get(_url("application_detail", later)).content.decode()
    assert f"关联 {earlier.tracking_no}" not in page and "已关联" in page


def test_an_application_of_another_agency_is_not_linked(client, office):
    other_office = make_office("江州市财政局")
    theirs = register(other_office)
    mine = register(office)
    client.force_login(office.clerk)
    response = client.post(_url("application_link", mine), {"link-other": theirs.tracking_no})
    assert response.status_code == 200 and "没有编号" in response.content.decode()
    assert not mine.related.exists()


def _cases(page: str) -> str:
    """The list of cases on the page (without the form to record a new one)."""
    return page.split('id="cases"')[1].split("<summary>登记复议诉讼案件")[0]


def test_the_result_of_a_reconsideration_is_recorded_when_it_is_decided(client, office):
    application = register(office)
    client.force_login(office.clerk)
    _post(client, "application_case", application, {"case-kind": "reconsideration", "case-filed_on": TODAY})
    case = application.cases.get()
    page = client.get(_url("application_detail", application)).content.decode()
    result_url = _url("application_case_result", application, case_pk=case.pk)
    assert "尚未审结" in _cases(page) and result_url in page

    _post(client, "application_case_result", application, {
        f"remedy-{case.pk}-decided_on": TODAY, f"remedy-{case.pk}-result": "corrected",
        f"remedy-{case.pk}-note": "复议机关责令重新答复",
    }, case_pk=case.pk)  # fmt: skip
    case.refresh_from_db()
    assert case.decided_on == timezone.localdate() and case.result == "corrected"
    page = client.get(_url("application_detail", application)).content.decode()
    assert "复议机关责令重新答复" in _cases(page) and "尚未审结" not in _cases(page)
    assert result_url not in page  # decided: nothing left to record


def test_a_case_of_another_application_is_not_found(client, office):
    first, second = register(office), register(office, description="另一件申请")
    client.force_login(office.clerk)
    _post(client, "application_case", first, {"case-kind": "reconsideration", "case-filed_on": TODAY})
    case = first.cases.get()
    url = _url("application_case_result", second, case_pk=case.pk)
    response = client.post(url, {f"remedy-{case.pk}-decided_on": TODAY, f"remedy-{case.pk}-result": "upheld"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert not case.result


def _register(client, office, name: str = "王五") -> tuple[Application, str]:
    response = client.post(
        reverse("workbench:application_register"),
        {
            "agency": office.agency.code, "channel": "in_person", "received_on": TODAY,
            "applicant_type": "natural_person", "name": name, "id_type": "resident_id", "id_number": ID_NUMBER,
            "phone": MOBILE, "address": "江州市江滨路2号", "description": "本区2026年老旧小区改造名单",
            "form": "paper", "delivery": "post",
        },
    )  # fmt: skip
    assert response.status_code == 302
    application = Application.objects.get(name=name)
    page = client.get(response["Location"]).content.decode()
    code = re.search(r"查询码 <strong>([A-Z0-9]{8})</strong>", page).group(1)
    assert _url("application_receipt", application) in page and "打印接收回执" in page
    return application, code


def test_the_receipt_of_a_registration_carries_the_query_code_in_that_session_only(client, office):
    client.force_login(office.clerk)
    application, code = _register(client, office)
    receipt = _url("application_receipt", application)

    response = client.get(receipt)
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response.content)
    assert application.tracking_no in text and code in text and "王五" in text

    again = client.get(_url("application_detail", application)).content.decode()
    assert code not in again and receipt in again  # the code once; the receipt for this session

    elsewhere = Client()  # the same clerk, signed in on another computer
    elsewhere.force_login(office.clerk)
    assert elsewhere.get(receipt).status_code == 404
    assert receipt not in elsewhere.get(_url("application_detail", application)).content.decode()
    other = register(office)
    assert client.get(_url("application_receipt", other)).status_code == 404


def test_registering_the_next_application_ends_the_previous_receipt(client, office):
    client.force_login(office.clerk)
    first, _code = _register(client, office, name="王五")
    second, _code = _register(client, office, name="赵六")
    assert client.get(_url("application_receipt", first)).status_code == 404
    assert client.get(_url("application_receipt", second)).status_code == 200


def test_the_header_names_the_workbench_of_government_disclosure(client, office):
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    brand = page.split('class="wb-brand"')[1].split("</a>")[0]
    assert "政务公开工作台" in brand and "主动公开" not in brand
