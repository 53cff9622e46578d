"""A complaint through the workbench pages: the list with answer dates and lateness, taking it
up, answering, publishing and taking the answer down; refusals keep what was typed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from gongkai.complaints.models import Complaint
from gongkai.complaints.rules import Kind, State
from gongkai.complaints.tests.factories import NAME, make_tree, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return make_tree()


def detail(pk: int) -> str:
    return reverse("workbench:complaint_detail", kwargs={"pk": pk})


def post(client, name: str, complaint: Complaint, **data):
    complaint.refresh_from_db()
    prefix = name.removeprefix("complaint_")
    payload = {f"{prefix}-version": complaint.version, **{f"{prefix}-{k}": v for k, v in data.items()}}
    return client.post(reverse(f"workbench:{name}", kwargs={"pk": complaint.pk}), payload)


def test_the_list_puts_overdue_complaints_first_and_marks_them(client, tree):
    late = submit(tree.bureau).complaint
    Complaint.objects.filter(pk=late.pk).update(due_on=late.due_on - timedelta(days=40))
    fresh = submit(tree.bureau).complaint
    client.force_login(tree.office_clerk)
    page = client.get(reverse("workbench:complaint_list")).content.decode()
    assert page.index(late.tracking_no) < page.index(fresh.tracking_no)
    assert page.count("wb-record--overdue") == 1
    overdue_only = client.get(reverse("workbench:complaint_list"), {"overdue": "on"}).content.decode()
    assert late.tracking_no in overdue_only and fresh.tracking_no not in overdue_only
    suggestions = client.get(reverse("workbench:complaint_list"), {"kind": Kind.SUGGESTION}).content.decode()
    assert late.tracking_no not in suggestions


def test_investigate_answer_and_publish_from_the_page(client, tree):
    complaint = submit(tree.bureau).complaint
    client.force_login(tree.office_clerk)
    page = client.get(detail(complaint.pk)).content.decode()
    assert "受理并开始调查" in page and "提交答复" not in page  # a complaint is investigated first

    assert post(client, "complaint_investigate", complaint, note="调取了网站发布记录")["Location"] == detail(
        complaint.pk
    )
    page = client.get(detail(complaint.pk)).content.decode()
    assert "调查处理中" in page and "调取了网站发布记录" in page and "提交答复" in page

    post(client, "complaint_answer", complaint, answer=f"{NAME}：经调查，已责令市教育局五个工作日内公开。")
    complaint.refresh_from_db()
    assert complaint.state == State.ANSWERED
    page = client.get(detail(complaint.pk)).content.decode()
    # The public version of the answer starts from the answer; the name must come out first.
    assert "公开答复" in page and f"{NAME}：经调查" in page

    refused = post(client, "complaint_publish", complaint, public="True", public_summary="反映招生计划未公开。",
                   public_answer=f"{NAME}：经调查，已责令公开。")  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 200 and "个人信息" in html and "反映招生计划未公开。" in html
    complaint.refresh_from_db()
    assert not complaint.answer_public

    post(client, "complaint_publish", complaint, public="True", public_summary="反映招生计划未公开。",
         public_answer="经调查，已责令市教育局五个工作日内公开。")  # fmt: skip
    complaint.refresh_from_db()
    assert complaint.answer_public and complaint.public_answer == "经调查，已责令市教育局五个工作日内公开。"
    assert "撤回公开" in client.get(detail(complaint.pk)).content.decode()

    post(client, "complaint_publish", complaint, public="False")
    complaint.refresh_from_db()
    assert not complaint.answer_public


def test_a_suggestion_is_answered_by_the_agency_itself_without_investigation(client, tree):
    suggestion = submit(tree.bureau, kind=Kind.SUGGESTION, name="", contact="").complaint
    client.force_login(tree.bureau_clerk)
    assert "提交答复" in client.get(detail(suggestion.pk)).content.decode()
    post(client, "complaint_answer", suggestion, answer="感谢建议，已按月更新公开目录。")
    suggestion.refresh_from_db()
    assert suggestion.state == State.ANSWERED


def test_an_empty_answer_is_refused_on_the_field(client, tree):
    complaint = submit(tree.bureau).complaint
    client.force_login(tree.office_clerk)
    post(client, "complaint_investigate", complaint)
    response = post(client, "complaint_answer", complaint, answer="")
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.INVESTIGATING


def test_a_stale_page_ends_in_a_conflict_message(client, tree):
    complaint = submit(tree.bureau).complaint
    stale_version = complaint.version
    client.force_login(tree.office_clerk)
    post(client, "complaint_investigate", complaint)
    url = reverse("workbench:complaint_answer", kwargs={"pk": complaint.pk})
    response = client.post(url, {"answer-answer": "已处理", "answer-version": stale_version})
    assert response.status_code == 409 and "已被他人处理" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.INVESTIGATING


def test_the_nav_links_to_complaints(client, tree):
    client.force_login(tree.office_clerk)
    page = client.get(reverse("workbench:complaint_list")).content.decode()
    assert 'href="/staff/complaints/" aria-current="page"' in page and "举报与建议" in page


def test_the_dashboard_counts_open_and_overdue_complaints(client, tree):
    late = submit(tree.bureau).complaint
    Complaint.objects.filter(pk=late.pk).update(due_on=late.due_on - timedelta(days=40))
    submit(tree.bureau)
    client.force_login(tree.office_clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    counts = page[page.index('id="complaint-counts"') :]
    assert '<span class="wb-count">2</span> 举报与建议：待答复' in counts
    assert '<span class="wb-count">1</span> 举报与建议：已逾期' in counts
    client.force_login(tree.bureau_clerk)  # complaints about the bureau are not its to count
    page = client.get(reverse("workbench:dashboard")).content.decode()
    assert '<span class="wb-count">0</span> 举报与建议：待答复' in page
