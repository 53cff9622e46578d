"""The dashboard, the record list and the draft form: what staff see and what they keep."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.publishing import permissions
from gongkai.publishing.models import DeadlineRule, Submission
from gongkai.publishing.rules import Decision, InfoType, SubmissionState
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft, make_office, make_staff
from gongkai.workbench.highlight import Span, highlight
from gongkai.workbench.selectors import awaiting_decision

pytestmark = pytest.mark.django_db


def _busy_office(office, n: int):
    """``n`` records in each open state, due in the past and within the next days."""
    for i in range(n):
        draft(office, title=f"草稿{i}")
        returned = submission_submit(submission=draft(office, title=f"退回{i}"), actor=office.clerk)
        submission_decide(
            submission=returned, actor=office.unit_head, decision=Decision.RETURN, opinion="请修改"
        )
        submission_submit(
            submission=draft(office, title=f"待审{i}", written_on=timezone.localdate()), actor=office.clerk
        )
        submission_submit(
            submission=draft(office, title=f"定时{i}"),
            actor=office.clerk,
            publish_at=timezone.now() + timedelta(days=1),
        )


def test_dashboard_queries_do_not_grow_with_the_queue(client, django_assert_max_num_queries):
    office = make_office()
    client.force_login(office.unit_head)
    _busy_office(office, 1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("workbench:dashboard")).status_code == 200
    _busy_office(office, 6)
    # 25 + the agenda's fixed queries (workbench/agenda.py: 5 for its counts, 2 for the sign-off
    # queue, 2 for the casework tasks)
    assert len(few) <= 34
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("workbench:dashboard"))
    assert response.content.decode().count("待审") >= 7


def _section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"')[1].split("</section>")[0]


def test_dashboard_counts_and_flags(client):
    office = make_office()
    DeadlineRule.objects.create(agency=None, info_type=InfoType.MEETING, amount=24, unit="hours")
    draft(office, title="早已逾期的通知", written_on=date(2020, 1, 2))
    draft(
        office,
        title="即将到期的会议内容",
        info_type=InfoType.MEETING,
        formed_at=timezone.now() - timedelta(hours=2),
        written_on=timezone.localdate(),
    )
    draft(office, title="刚起草的通知", written_on=timezone.localdate())
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()

    overdue = _section(page, "overdue")
    assert "早已逾期的通知" in overdue and "wb-record--overdue" in overdue and "即将到期" not in overdue
    soon = _section(page, "due-soon")
    assert "即将到期的会议内容" in soon and "早已逾期" not in soon and "刚起草" not in soon
    assert '<span class="wb-count">3</span> 我的草稿和被退回' in page
    assert '<span class="wb-count">1</span> 已逾期' in page
    assert '<span class="wb-count">1</span> 三日内到期' in page


def test_provisional_due_date_is_marked(client):
    office = make_office()
    sub = draft(office, title="远期文件", written_on=timezone.localdate() + timedelta(days=900))
    Submission.objects.filter(pk=sub.pk).update(due_provisional=True)
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    item = page.split("远期文件")[1].split("</li>")[0]
    assert "暂定" in item


def test_awaiting_decision_matches_the_permission_rule():
    office = make_office()
    other = make_office("江州市财政局")
    both = make_staff(office.agency, Role.REVIEWER, Role.OFFICE_HEAD)
    second = make_staff(office.agency, Role.REVIEWER)
    subs = [submission_submit(submission=draft(office, title=f"件{i}"), actor=office.clerk) for i in range(4)]
    submission_decide(submission=subs[1], actor=both, decision=Decision.APPROVE)
    submission_decide(submission=subs[2], actor=office.unit_head, decision=Decision.APPROVE)
    subs[2].refresh_from_db()
    submission_decide(
        submission=subs[2], actor=office.office_head, decision=Decision.REFER, opinion="报保密局"
    )
    submission_decide(submission=subs[3], actor=office.unit_head, decision=Decision.RETURN, opinion="退回")
    subs.append(submission_submit(submission=draft(other), actor=other.clerk))
    users = [office.clerk, office.unit_head, office.office_head, office.leader, both, second, other.unit_head]
    for user in users:
        expected = {s.pk for s in Submission.objects.all() if permissions.can_submission_decide(user, s)}
        assert {s.pk for s in awaiting_decision(user)} == expected, user


def test_record_list_filters_and_pages_within_scope(client):
    office = make_office()
    other = make_office("江州市财政局")
    for i in range(23):
        draft(office, title=f"通知{i:02d}", written_on=date(2020, 1, 2))
    submission_submit(submission=draft(office, title="送审的通知"), actor=office.clerk)
    draft(other, title="财政局的通知")
    client.force_login(office.clerk)
    url = reverse("workbench:record_list")

    first = client.get(url).content.decode()
    assert "共 24 项" in first and "财政局的通知" not in first
    assert "第 1 / 2 页" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="wb-record__title"') == 4

    in_review = client.get(url, {"state": SubmissionState.IN_REVIEW}).content.decode()
    assert "送审的通知" in in_review and "共 1 项" in in_review
    overdue = client.get(url, {"overdue": "on", "q": "通知0"}).content.decode()
    assert "共 10 项" in overdue  # 通知00 … 通知09, long overdue
    # An agency out of scope is not a choice: the filter is ignored, never widened.
    leaked = client.get(url, {"agency": other.agency.pk}).content.decode()
    assert "财政局的通知" not in leaked


def test_draft_form_keeps_everything_typed_and_says_what_to_fix(client):
    office = make_office()
    client.force_login(office.clerk)
    data = {
        "agency": office.agency.pk,
        "title": "关于某事项的内部请示",
        "doc_no": "江教〔2026〕3号",
        "written_on": "2026-13-45",
        "summary": "请示概述",
        "body": "这是正文，<b>不应丢失</b>。",
        "disclosure_attribute": "not_disclosed",
        "non_disclosure_ground": "",
        "info_type": "meeting",
        "formed_at": "2026-09-01T15:30",
    }
    response = client.post(reverse("workbench:record_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "须选择一项理由" in page
    assert "有效的日期" in page  # Django's own messages, in Chinese
    for value in ("关于某事项的内部请示", "江教〔2026〕3号", "2026-13-45", "请示概述", "2026-09-01T15:30"):
        assert value in page
    assert "这是正文，&lt;b&gt;不应丢失&lt;/b&gt;。" in page
    assert 'value="not_disclosed" id="id_disclosure_attribute_2" required checked' in page
    assert '<option value="meeting" selected>' in page
    assert not Submission.objects.exists()

    data |= {"written_on": "2026-09-01", "non_disclosure_ground": "process_info"}
    assert client.post(reverse("workbench:record_new"), data).status_code == 302
    sub = Submission.objects.get()
    assert sub.document.non_disclosure_ground == "process_info" and sub.due_at is None
    assert timezone.localtime(sub.formed_at).strftime("%Y-%m-%d %H:%M") == "2026-09-01 15:30"


def test_edit_conflict_keeps_the_typed_changes(client):
    office = make_office()
    sub = draft(office, title="原标题")
    client.force_login(office.clerk)
    edit_url = reverse("workbench:record_edit", kwargs={"pk": sub.pk})
    stale = sub.version
    Submission.objects.filter(pk=sub.pk).update(version=stale + 1)  # someone saved meanwhile
    data = {
        "title": "我改的标题",
        "written_on": "2026-09-01",
        "body": "正文",
        "disclosure_attribute": "proactive",
        "info_type": "document",
        "version": stale,
    }
    response = client.post(edit_url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert "该事项已被他人处理或修改" in page and "我改的标题" in page
    sub.document.refresh_from_db()
    assert sub.document.title == "原标题"


def test_highlight_escapes_and_skips_stale_or_overlapping_spans():
    text = "<b>张三</b> 13812345678"
    spans = [
        Span(10, 21, "13812345678", 1, "finding-1", "手机号码", "pending"),
        Span(11, 18, "3812345", 2, "finding-2", "固定电话", "pending"),  # overlaps the first
        Span(0, 3, "xyz", 3, "finding-3", "姓名", "pending"),  # text changed since the scan
    ]
    html = highlight(text, spans)
    assert html.startswith("&lt;b&gt;张三&lt;/b&gt; <mark")
    assert html.count("<mark") == 1 and "finding-2" not in html and "finding-3" not in html
    assert html.endswith("</mark>")
