"""A record through the workbench as staff use it: every step is a page and a form."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.models import Visibility
from gongkai.catalogue.tests.samples import make_pdf
from gongkai.publishing.models import FindingDecision, ReviewAction, Submission
from gongkai.publishing.rules import SubmissionKind, SubmissionState
from gongkai.publishing.tests.factories import approve_all, draft, make_office, make_staff

from .conftest import MOBILE, form_value

pytestmark = pytest.mark.django_db


def detail_url(submission) -> str:
    return reverse("workbench:record_detail", kwargs={"pk": submission.pk})


def decide(client, user, submission, decision: str, opinion: str = ""):
    """Open the record page as ``user`` and send the decision form shown there."""
    client.force_login(user)
    page = client.get(detail_url(submission))
    assert page.status_code == 200
    version = form_value(page, "decide-version")
    url = reverse("workbench:record_decide", kwargs={"pk": submission.pk})
    return client.post(
        url, {"decide-decision": decision, "decide-opinion": opinion, "decide-version": version}
    )


def submit(client, office, submission, opinion: str, publish_at: str = ""):
    client.force_login(office.clerk)
    version = form_value(client.get(detail_url(submission)), "submit-version")
    url = reverse("workbench:record_submit", kwargs={"pk": submission.pk})
    data = {"submit-opinion": opinion, "submit-version": version, "submit-publish_at": publish_at}
    return client.post(url, data)


def test_draft_submit_return_resubmit_and_publish_through_the_pages(client):
    office = make_office()
    client.force_login(office.clerk)
    response = client.post(
        reverse("workbench:record_new"),
        {
            "agency": office.agency.pk,
            "title": "关于做好2026年秋季学期开学工作的通知",
            "doc_no": "江教发〔2026〕12号",
            "written_on": timezone.localdate().isoformat(),
            "body": "各学校：现将有关事项通知如下。",
            "disclosure_attribute": "proactive",
            "info_type": "document",
        },
    )
    sub = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(sub)
    assert sub.state == SubmissionState.DRAFT and sub.document.doc_no == "江教发〔2026〕12号"

    upload = SimpleUploadedFile("附件一.pdf", make_pdf("Schedule"), content_type="application/pdf")
    response = client.post(
        reverse("workbench:attachment_upload", kwargs={"pk": sub.pk}),
        {"attachment-file": upload, "attachment-title": "校历"},
    )
    assert response.status_code == 302
    assert [a.title for a in sub.document.attachments.all()] == ["校历"]

    assert submit(client, office, sub, "拟主动公开").status_code == 302
    assert decide(client, office.unit_head, sub, "approve", "同意").status_code == 302
    response = decide(client, office.office_head, sub, "return", "请补充政策依据")
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.RETURNED

    # The clerk sees it waiting on them, with the reason, and edits it.
    client.force_login(office.clerk)
    dashboard = client.get(reverse("workbench:dashboard")).content.decode()
    assert sub.document.title in dashboard and "已退回" in dashboard
    assert "请补充政策依据" in client.get(detail_url(sub)).content.decode()
    edit_url = reverse("workbench:record_edit", kwargs={"pk": sub.pk})
    edit_page = client.get(edit_url)
    assert "江教发〔2026〕12号" in edit_page.content.decode()  # the form starts from the record
    response = client.post(
        edit_url,
        {
            "title": sub.document.title,
            "doc_no": "江教发〔2026〕12号",
            "written_on": timezone.localdate().isoformat(),
            "body": "依据《教育法》，现将有关事项通知如下。",
            "disclosure_attribute": "proactive",
            "info_type": "document",
            "version": form_value(edit_page, "version"),
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert "教育法" in sub.document.body

    assert submit(client, office, sub, "已补充依据").status_code == 302
    for approver in office.approvers():
        assert decide(client, approver, sub, "approve", "同意").status_code == 302

    sub.refresh_from_db()
    sub.document.refresh_from_db()
    assert sub.state == SubmissionState.DONE
    assert sub.document.visibility == Visibility.PUBLIC and sub.document.index_no
    assert [(a.round, a.step_key, a.decision) for a in sub.actions.all()] == [
        (1, "originator", "submit"),
        (1, "unit_head", "approve"),
        (1, "office_review", "return"),
        (2, "originator", "submit"),
        (2, "unit_head", "approve"),
        (2, "office_review", "approve"),
        (2, "leader_approval", "approve"),
    ]
    # The history on the record: step, who, when (Beijing time), decision, opinion.
    page = client.get(detail_url(sub)).content.decode()
    returned = sub.actions.get(decision="return")
    assert "政务公开办公室审查" in page and "请补充政策依据" in page and "已补充依据" in page
    assert timezone.localtime(returned.at).strftime("%Y-%m-%d %H:%M") in page
    assert returned.actor.get_username() in page
    assert sub.document.index_no in page


def test_scheduled_publication_is_chosen_at_submission_and_listed_as_waiting(client):
    office = make_office()
    client.force_login(office.clerk)
    client.post(
        reverse("workbench:record_new"),
        {
            "agency": office.agency.pk,
            "title": "定时发布的通知",
            "written_on": timezone.localdate().isoformat(),
            "body": "正文",
            "disclosure_attribute": "proactive",
            "info_type": "document",
        },
    )
    sub = Submission.objects.get()
    at = timezone.localtime() + timedelta(days=2)
    assert submit(client, office, sub, "拟定时发布", at.strftime("%Y-%m-%dT%H:%M")).status_code == 302
    for approver in office.approvers():
        decide(client, approver, sub, "approve")
    sub.refresh_from_db()
    assert sub.state == SubmissionState.SCHEDULED
    assert timezone.localtime(sub.publish_at).strftime("%Y-%m-%d %H:%M") == at.strftime("%Y-%m-%d %H:%M")
    client.force_login(office.office_head)
    board = client.get(reverse("workbench:dashboard")).content.decode()
    assert "待定时发布" in board and "定时发布的通知" in board and at.strftime("%Y-%m-%d %H:%M") in board
    # The office may still call it off.
    response = client.post(
        reverse("workbench:record_cancel", kwargs={"pk": sub.pk}),
        {
            "cancel-reason": "政策调整，暂缓发布",
            "cancel-version": form_value(client.get(detail_url(sub)), "cancel-version"),
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.state == SubmissionState.CANCELLED


def test_two_reviewers_on_one_step_one_wins_and_the_other_keeps_their_opinion(client, world):
    second = make_staff(world.a.agency, Role.REVIEWER)
    sub = world.in_review
    client.force_login(second)
    shown = form_value(client.get(detail_url(sub)), "decide-version")  # both have the page open

    assert decide(client, world.a.unit_head, sub, "approve", "同意").status_code == 302

    client.force_login(second)
    response = client.post(
        reverse("workbench:record_decide", kwargs={"pk": sub.pk}),
        {"decide-decision": "return", "decide-opinion": "标题不规范，请修改", "decide-version": shown},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "该事项已被他人处理" in page
    assert "当前状态：审查中（政务公开办公室审查）" in page
    assert "标题不规范，请修改" in page  # nothing typed is lost
    assert 'name="decide-decision"' not in page  # the step is no longer theirs to decide
    sub.refresh_from_db()
    assert sub.current_step.key == "office_review"
    assert not ReviewAction.objects.filter(submission=sub, decision="return").exists()


def test_findings_are_highlighted_and_must_be_settled_before_approval(client, world):
    sub, finding = world.at_office, world.finding
    body = f"<script>alert(1)</script>经核查，联系电话{MOBILE}。"
    sub.document.body = body
    sub.document.save()
    client.force_login(world.a.office_head)
    page = client.get(detail_url(sub)).content.decode()

    assert f'<mark class="finding finding--pending" id="mark-finding-{finding.pk}">{MOBILE}<a' not in page
    # The body changed after the scan: offsets no longer point at the value, nothing is marked.
    sub.document.body = f"联系电话{MOBILE}。<script>alert(1)</script>"
    sub.document.save()
    page = client.get(detail_url(sub)).content.decode()
    assert f'<mark class="finding finding--pending" id="mark-finding-{finding.pk}">{MOBILE}<a' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert finding.excerpt in page  # the list shows the masked excerpt
    assert page.count(MOBILE) == 1  # the full value only inside the highlighted text
    assert "还有 1 条未处理" in page

    response = decide(client, world.a.office_head, sub, "approve")
    assert response.status_code == 200 and "扫描发现未处理" in response.content.decode()

    settle_url = reverse("workbench:finding_settle", kwargs={"pk": sub.pk, "finding_pk": finding.pk})
    prefix = f"finding-{finding.pk}"
    response = client.post(settle_url, {f"{prefix}-decision": "keep", f"{prefix}-reason": ""})
    assert response.status_code == 200 and "保留须说明理由" in response.content.decode()
    finding.refresh_from_db()
    assert finding.decision == FindingDecision.PENDING

    response = client.post(
        settle_url, {f"{prefix}-decision": "keep", f"{prefix}-reason": "单位办公电话，应当公开"}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.decision == FindingDecision.KEEP and finding.decided_by == world.a.office_head
    page = client.get(detail_url(sub)).content.decode()
    assert "finding--keep" in page and "单位办公电话，应当公开" in page

    assert decide(client, world.a.office_head, sub, "approve", "同意").status_code == 302
    sub.refresh_from_db()
    assert sub.current_step.key == "leader_approval"


def test_other_staff_cannot_settle_findings(client, world):
    client.force_login(world.a.unit_head)  # approved the step before; not the office head
    page = client.get(detail_url(world.at_office)).content.decode()
    assert f'name="finding-{world.finding.pk}-decision"' not in page
    url = reverse(
        "workbench:finding_settle", kwargs={"pk": world.at_office.pk, "finding_pk": world.finding.pk}
    )
    assert client.post(url, {f"finding-{world.finding.pk}-decision": "redact"}).status_code == 403


def test_attachment_download_is_for_staff_in_scope(client, world):
    url = reverse(
        "workbench:attachment_download", kwargs={"pk": world.drafted.pk, "attachment_pk": world.attachment.pk}
    )
    client.force_login(world.a.leader)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    # An attachment of another record, asked for through this one, is not found.
    other = reverse(
        "workbench:attachment_download",
        kwargs={"pk": world.in_review.pk, "attachment_pk": world.attachment.pk},
    )
    assert client.get(other).status_code == 404


def test_bad_upload_is_refused_with_the_reason(client, world):
    client.force_login(world.a.clerk)
    upload = SimpleUploadedFile(
        "病毒.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream"
    )
    response = client.post(
        reverse("workbench:attachment_upload", kwargs={"pk": world.drafted.pk}), {"attachment-file": upload}
    )
    assert response.status_code == 200
    assert "wb-field__errors" in response.content.decode()
    assert world.drafted.document.attachments.count() == 1


def test_withdrawal_is_proposed_from_the_published_record_and_goes_through_review(client, world):
    doc = world.published
    done = Submission.objects.get(document=doc)
    client.force_login(world.a.clerk)
    page = client.get(detail_url(done)).content.decode()
    change_url = reverse("workbench:document_change", kwargs={"pk": doc.pk})
    assert change_url in page and f"?clarifies={doc.pk}" in page

    response = client.post(change_url, {"kind": "validity", "reason": "已被新文件废止"})
    assert response.status_code == 200 and "请选择新的有效性" in response.content.decode()
    assert "已被新文件废止" in response.content.decode()

    response = client.post(change_url, {"kind": "withdraw", "reason": "内容有误，需撤回"})
    change = Submission.objects.get(document=doc, kind=SubmissionKind.WITHDRAW)
    assert response.status_code == 302 and response["Location"] == detail_url(change)
    assert change.state == SubmissionState.IN_REVIEW
    for approver in world.a.approvers():
        assert decide(client, approver, change, "approve").status_code == 302
    doc.refresh_from_db()
    assert doc.visibility == Visibility.WITHDRAWN and doc.withdrawn_reason == "内容有误，需撤回"


def test_clarification_draft_starts_from_the_published_document(client, world):
    doc = world.published
    client.force_login(world.a.clerk)
    page = client.get(reverse("workbench:record_new") + f"?clarifies={doc.pk}").content.decode()
    assert f'value="{doc.index_no}"' in page and doc.title in page
    response = client.post(
        reverse("workbench:record_new"),
        {
            "agency": world.a.agency.pk,
            "title": "关于秋季学期校历的澄清说明",
            "written_on": timezone.localdate().isoformat(),
            "body": "经核实，校历中开学日期有误，特此澄清。",
            "disclosure_attribute": "proactive",
            "info_type": "document",
            "clarifies": doc.index_no,
        },
    )
    assert response.status_code == 302
    assert Submission.objects.get(document__title="关于秋季学期校历的澄清说明").document.clarifies == doc
    # Another agency's document cannot be clarified from here.
    client.force_login(world.outsider)
    assert client.get(reverse("workbench:record_new") + f"?clarifies={doc.pk}").status_code == 404


def test_validity_change_names_the_replacement_and_the_reviewers_see_it(client, world):
    new = approve_all(world.a, draft(world.a, title="关于2027年校历的通知")).document
    new.refresh_from_db()
    change_url = reverse("workbench:document_change", kwargs={"pk": world.published.pk})
    client.force_login(world.a.clerk)
    data = {
        "kind": "validity",
        "validity": "repealed",
        "replaced_by": "NO-SUCH-NUMBER",
        "reason": "已被新校历废止",
    }
    response = client.post(change_url, data)
    assert response.status_code == 200 and "未找到索引号" in response.content.decode()

    response = client.post(change_url, data | {"replaced_by": new.index_no})
    change = Submission.objects.get(document=world.published, kind=SubmissionKind.VALIDITY)
    assert response.status_code == 302
    client.force_login(world.a.unit_head)
    page = client.get(detail_url(change)).content.decode()
    assert "拟变更为" in page and "废止" in page and new.index_no in page and "已被新校历废止" in page
    for approver in world.a.approvers():
        assert decide(client, approver, change, "approve").status_code == 302
    world.published.refresh_from_db()
    assert world.published.validity == "repealed" and world.published.replaced_by == new
