"""Complaints and suggestions on the portal: the form and its errors, the bot trap, a double
submit, the confirmation with the query code shown once, progress with the tracking number and
query code, and the public list of answers that names no one."""

import re
import uuid

import pytest
from django.test import Client

from gongkai.complaints import services
from gongkai.complaints.models import Complaint
from gongkai.complaints.rules import Kind, State
from gongkai.complaints.tests.factories import MOBILE, NAME, make_tree

pytestmark = pytest.mark.django_db

NEW = "/complaints/new/"
PROGRESS = "/complaints/progress/"
ANSWERS = "/complaints/answers/"


@pytest.fixture
def tree():
    return make_tree()


def form_data(agency, **overrides):
    values = {
        "token": str(uuid.uuid4()),
        "kind": "complaint",
        "agency": agency.code,
        "name": NAME,
        "contact": MOBILE,
        "content": "江州市教育局未按规定主动公开2026年招生计划。",
        "website": "",
    }
    values.update(overrides)
    return values


def submit(client, agency, remote_addr="192.0.2.1", **overrides):
    return client.post(NEW, form_data(agency, **overrides), REMOTE_ADDR=remote_addr)


def credentials(client) -> tuple[str, str]:
    page = client.get("/complaints/done/").content.decode()
    tracking_no = re.search(r"data-tracking-no>([^<]+)<", page).group(1)
    query_code = re.search(r"data-query-code>([^<]+)<", page).group(1)
    return tracking_no, query_code


def answer(complaint, tree, text="经调查，已责令市教育局公开招生计划。"):
    services.complaint_investigate(complaint=complaint, actor=tree.office_clerk)
    return services.complaint_answer(complaint=complaint, answer=text, actor=tree.office_clerk)


def test_the_form_preselects_the_agency_and_kind(client, tree):
    page = client.get(NEW, {"agency": tree.bureau.code, "kind": "suggestion"}).content.decode()
    assert f'<option value="{tree.bureau.code}" selected>' in page
    assert re.search(r'value="suggestion"[^>]*checked', page)


def test_a_complaint_is_routed_and_confirmed_with_tracking_number_and_query_code(client, tree):
    response = submit(client, tree.bureau)
    assert response.status_code == 302 and response["Location"] == "/complaints/done/"
    page = client.get("/complaints/done/").content.decode()
    complaint = Complaint.objects.get()
    assert complaint.routed_to == tree.office and complaint.client_ip == "192.0.2.1"
    assert complaint.tracking_no in page and tree.office.name in page
    assert "data-query-code" in page
    # The code is shown once: the page again keeps the number, not the code.
    again = client.get("/complaints/done/").content.decode()
    assert complaint.tracking_no in again and "data-query-code" not in again


def test_errors_are_in_chinese_and_keep_what_was_typed(client, tree):
    response = submit(client, tree.bureau, name="", contact="不是电话")
    page = response.content.decode()
    assert response.status_code == 200 and not Complaint.objects.exists()
    assert "举报投诉请填写姓名或名称" in page
    assert "电话号码或电子邮箱格式有误" in page and "请填写有效" not in page
    assert "江州市教育局未按规定主动公开2026年招生计划。" in page  # the content is kept
    assert 'value="不是电话"' in page


def test_a_suggestion_needs_neither_name_nor_contact(client, tree):
    assert submit(client, tree.bureau, kind="suggestion", name="", contact="").status_code == 302
    assert Complaint.objects.get().routed_to == tree.bureau


def test_the_honeypot_refuses_a_robot(client, tree):
    response = submit(client, tree.bureau, website="http://spam.example")
    assert response.status_code == 200 and "提交失败" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_double_submit_makes_one_complaint_and_shows_the_first_result(client, tree):
    data = form_data(tree.bureau)
    client.post(NEW, data)
    second = client.post(NEW, data)
    assert second["Location"] == "/complaints/done/"
    assert Complaint.objects.count() == 1


def test_submissions_are_limited_per_address(client, tree):
    for _ in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        assert submit(client, tree.bureau, kind="suggestion", name="", contact="").status_code == 302
    response = submit(client, tree.bureau, remote_addr="192.0.2.1")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert "江州市教育局未按规定主动公开2026年招生计划。" in response.content.decode()


def test_the_form_is_protected_against_cross_site_posts(tree):
    client = Client(enforce_csrf_checks=True)
    assert client.post(NEW, form_data(tree.bureau)).status_code == 403


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, tree):
    submit(client, tree.bureau)
    tracking_no = Complaint.objects.get().tracking_no
    wrong_code = client.post(PROGRESS, {"tracking_no": tracking_no, "query_code": "WRONG234"})
    unknown = client.post(PROGRESS, {"tracking_no": "JB20260101000000", "query_code": "WRONG234"})
    message = "编号或查询码不正确"
    assert message in wrong_code.content.decode() and message in unknown.content.decode()
    assert "data-status" not in wrong_code.content.decode()


def test_progress_shows_the_state_and_then_the_answer(client, tree):
    submit(client, tree.bureau)
    tracking_no, query_code = credentials(client)
    page = client.post(PROGRESS, {"tracking_no": tracking_no.lower(), "query_code": query_code.lower()})
    html = page.content.decode()
    assert "已收到" in html and tree.office.name in html and "data-answer" not in html
    assert query_code not in html  # not written back into the page
    answer(Complaint.objects.get(), tree)
    html = client.post(PROGRESS, {"tracking_no": tracking_no, "query_code": query_code}).content.decode()
    assert "已答复" in html and "经调查，已责令市教育局公开招生计划。" in html


def test_progress_lookups_are_throttled_per_address(client, tree):
    from gongkai.applications import services as application_services

    for _ in range(application_services.LOOKUPS_PER_ADDRESS):
        client.post(PROGRESS, {"tracking_no": "JB1", "query_code": "AAAA2222"})
    response = client.post(PROGRESS, {"tracking_no": "JB1", "query_code": "AAAA2222"})
    assert "查询过于频繁" in response.content.decode()


def test_pages_with_personal_data_are_never_cached(client, tree):
    for url in (NEW, PROGRESS):
        assert "no-cache" in client.get(url)["Cache-Control"]
    submit(client, tree.bureau)
    assert "no-cache" in client.get("/complaints/done/")["Cache-Control"]


def test_published_answers_are_listed_without_personal_data(client, tree):
    complaint = answer(services.complaint_submit(data={
        "kind": Kind.COMPLAINT, "agency": tree.bureau, "name": NAME, "contact": MOBILE,
        "content": f"我是{NAME}，电话{MOBILE}，市教育局未公开招生计划。",
    }).complaint, tree)  # fmt: skip
    unpublished = answer(services.complaint_submit(data={
        "kind": Kind.COMPLAINT, "agency": tree.bureau, "name": "李四", "contact": "lisi@example.com",
        "content": "另一件尚未公开的事项",
    }).complaint, tree, text="另一件事项的答复")  # fmt: skip
    services.complaint_publish(
        complaint=complaint, public=True, actor=tree.office_head,
        public_summary="反映市教育局未主动公开2026年招生计划。", public_answer="经调查，已责令市教育局公开招生计划。",
    )  # fmt: skip
    response = client.get(ANSWERS)
    html = response.content.decode()
    assert "public" in response["Cache-Control"]
    assert "反映市教育局未主动公开2026年招生计划。" in html and "经调查，已责令市教育局公开招生计划。" in html
    assert tree.bureau.name in html and tree.office.name in html
    for private in (NAME, MOBILE, complaint.tracking_no, complaint.content, "另一件事项的答复", "李四"):
        assert private not in html
    assert unpublished.state == State.ANSWERED and not unpublished.answer_public


def test_an_answer_taken_down_leaves_the_list(client, tree):
    submitted = services.complaint_submit(data={
        "kind": Kind.COMPLAINT, "agency": tree.bureau, "name": NAME, "contact": MOBILE, "content": "未公开",
    })  # fmt: skip
    complaint = answer(submitted.complaint, tree)
    services.complaint_publish(
        complaint=complaint,
        public=True,
        actor=tree.office_clerk,
        public_summary="反映未公开。",
        public_answer="已整改。",
    )
    assert "已整改。" in client.get(ANSWERS).content.decode()
    services.complaint_publish(complaint=complaint, public=False, actor=tree.office_clerk)
    assert "已整改。" not in client.get(ANSWERS).content.decode()


def test_a_replayed_form_from_another_session_makes_no_second_complaint(client, tree):
    data = form_data(tree.bureau)
    client.post(NEW, data)
    replay = Client().post(NEW, data)
    assert replay.status_code == 200 and "该事项已提交" in replay.content.decode()
    assert Complaint.objects.count() == 1
