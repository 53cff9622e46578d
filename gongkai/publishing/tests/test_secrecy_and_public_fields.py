"""Issue 17: secrecy marks stop publication, every public field is scanned, refusals quote
nothing they protect, the second reader refuses what the redactor missed, and the review page
lists what sanitising removed."""

import io
import zipfile

import pytest
from django.urls import reverse

from gongkai.catalogue.models import Visibility
from gongkai.core.models import AuditEvent
from gongkai.publishing.models import FindingDecision, ScanFinding
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import (
    NotPermitted,
    PublishingError,
    finding_settle,
    record_attachment_add,
    submission_decide,
    submission_submit,
)

from . import hostile
from .factories import draft, make_office

ID = hostile.ID
MOBILE = hostile.MOBILE


@pytest.fixture
def office(db):
    return make_office()


def to_office_review(office, submission):
    """Submit and approve the unit head's step: the office head settles findings now."""
    submission = submission_submit(submission=submission, actor=office.clerk, opinion="拟主动公开")
    return submission_decide(submission=submission, actor=office.unit_head, decision=Decision.APPROVE)


def finish(office, submission):
    submission.refresh_from_db()
    submission = submission_decide(submission=submission, actor=office.office_head, decision=Decision.APPROVE)
    return submission_decide(submission=submission, actor=office.leader, decision=Decision.APPROVE)


# ---------------------------------------------------------------- secrecy marks


SECRET_BODY = "机密★5年\n关于2026年度重点工作安排的通知\n各单位：现将有关事项通知如下。"


def test_a_secrecy_mark_cannot_be_redacted_or_kept(office):
    submission = to_office_review(office, draft(office, body=SECRET_BODY))
    mark = submission.findings.get(kind="secrecy_mark")
    for decision, reason in ((FindingDecision.REDACT, ""), (FindingDecision.KEEP, "已核实")):
        with pytest.raises(PublishingError, match="不能以删除或保留处理"):
            finding_settle(finding=mark, actor=office.office_head, decision=decision, reason=reason)
    mark.refresh_from_db()
    assert mark.decision == FindingDecision.PENDING
    with pytest.raises(PublishingError):
        finish(office, submission)
    submission.document.refresh_from_db()
    assert submission.document.visibility != Visibility.PUBLIC


def test_only_the_secrecy_reviewer_records_a_declassification_with_its_record(office):
    submission = to_office_review(office, draft(office, body=SECRET_BODY))
    mark = submission.findings.get(kind="secrecy_mark")
    with pytest.raises(PublishingError, match="解密记录"):
        finding_settle(finding=mark, actor=office.office_head, decision=FindingDecision.DECLASSIFIED)
    finding_settle(
        finding=mark,
        actor=office.office_head,
        decision=FindingDecision.DECLASSIFIED,
        reason="江州市保密局解密通知〔2026〕3号，2026年3月1日",
    )
    event = AuditEvent.objects.filter(action="finding_settle").latest("pk")
    assert event.after["decision"] == "declassified" and "解密通知" in event.after["reason"]
    submission.refresh_from_db()
    submission = submission_decide(submission=submission, actor=office.office_head, decision=Decision.APPROVE)
    # The leader settles findings at the last step, but is not the secrecy reviewer.
    with pytest.raises(NotPermitted):
        finding_settle(finding=mark, actor=office.leader, decision=FindingDecision.NOT_OWN, reason="引用")
    submission = submission_decide(submission=submission, actor=office.leader, decision=Decision.APPROVE)
    submission.document.refresh_from_db()
    assert submission.document.visibility == Visibility.PUBLIC
    # Declassified, not blacked out: the published text is the document as it is.
    assert submission.document.body.startswith("机密★5年")


def test_a_mark_quoting_another_document_can_be_recorded_as_not_its_own(office):
    submission = to_office_review(office, draft(office, body=SECRET_BODY))
    mark = submission.findings.get(kind="secrecy_mark")
    finding_settle(
        finding=mark,
        actor=office.office_head,
        decision=FindingDecision.NOT_OWN,
        reason="引用省厅来文的密级标志，本通知本身不涉密",
    )
    submission = finish(office, submission)
    submission.document.refresh_from_db()
    assert submission.document.visibility == Visibility.PUBLIC


def test_a_secrecy_mark_settled_as_redact_before_this_rule_still_stops_publication(office):
    submission = to_office_review(office, draft(office, body=SECRET_BODY))
    # A decision recorded before secrecy marks had their own decisions (old data).
    ScanFinding.objects.filter(submission=submission).update(decision=FindingDecision.REDACT)
    with pytest.raises(PublishingError, match="密级或内部标志"):
        finish(office, submission)
    submission.document.refresh_from_db()
    assert submission.document.visibility != Visibility.PUBLIC


def test_a_personal_datum_cannot_be_settled_as_declassified(office):
    submission = to_office_review(office, draft(office, body=f"联系电话：{MOBILE}"))
    finding = submission.findings.get(kind="mobile")
    with pytest.raises(PublishingError, match="删除或保留"):
        finding_settle(
            finding=finding, actor=office.office_head, decision=FindingDecision.DECLASSIFIED, reason="x"
        )


# ---------------------------------------------------------------- public fields


def test_keywords_attachment_titles_and_file_names_are_scanned_and_redacted(office):
    submission = draft(office, body="各学校：现将名单公布如下。")
    document = submission.document
    document.keywords = f"补助 名单 {ID}"
    document.save(update_fields=["keywords"])
    record_attachment_add(
        submission=submission,
        data="名单见正文。".encode(),
        filename=f"名单{MOBILE}.txt",
        title=f"补助名单（联系人手机{MOBILE}）",
        actor=office.clerk,
    )
    submission = to_office_review(office, submission)
    fields = {(f.field, f.kind) for f in submission.findings.all()}
    assert {
        ("keywords", "id_number"),
        ("attachment_title", "mobile"),
        ("attachment_name", "mobile"),
    } <= fields
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = finish(office, submission)
    document.refresh_from_db()
    attachment = document.attachments.get()
    assert document.visibility == Visibility.PUBLIC
    assert (
        ID not in document.keywords
        and MOBILE not in attachment.title
        and MOBILE not in attachment.original_name
    )
    assert attachment.original_name.endswith(".txt") and "补助名单" in attachment.title
    assert submission.original_text["keywords"].endswith(ID)


def test_a_refusal_names_the_attachment_by_its_place_not_by_its_title(office):
    submission = draft(office, body="各学校：现将名单公布如下。")
    attachment = record_attachment_add(
        submission=submission,
        data=hostile.pdf_page_text(),
        filename="list.pdf",
        title=f"身份证号{ID}的名单",
        actor=office.clerk,
    )
    # The stored file becomes unreadable (a disk fault, a bad replacement).
    with open(attachment.file.path, "wb") as fh:
        fh.write(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    with pytest.raises(PublishingError) as exc:
        submission_submit(submission=submission, actor=office.clerk, opinion="拟主动公开")
    assert "第 1 个附件" in str(exc.value) and ID not in str(exc.value)


# ---------------------------------------------------------------- the second reader


def _docx_with_a_copy_in_a_font() -> bytes:
    """A DOCX whose body names a mobile, and an embedded font part (which no text
    extraction reads, and which neither the redactor nor the sanitiser touches) that carries
    the same number in its bytes."""
    data = hostile._docx(lambda d: d.add_paragraph(f"手机：{MOBILE}"))
    font = b"\x00\x01\x00\x00" + b"\x00" * 64 + f"Licensed to {MOBILE}".encode() + b"\x00" * 64
    return hostile._patch(
        data,
        parts={"word/fonts/font1.odttf": font},
        rels=[("rIdFont1", "font", "fonts/font1.odttf")],
        defaults={"odttf": "application/vnd.openxmlformats-officedocument.obfuscatedFont"},
    )


def test_the_second_reader_refuses_what_redaction_and_sanitising_left_naming_the_place(office):
    submission = draft(office, body="各学校：现将名单公布如下。")
    record_attachment_add(
        submission=submission,
        data=_docx_with_a_copy_in_a_font(),
        filename="list.docx",
        title="名单",
        actor=office.clerk,
    )
    submission = to_office_review(office, submission)
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    with pytest.raises(PublishingError) as exc:
        finish(office, submission)
    message = str(exc.value)
    assert "复核未通过" in message and "word/fonts/font1.odttf" in message and "手机号码" in message
    assert MOBILE not in message and MOBILE[-4:] not in message
    submission.document.refresh_from_db()
    assert submission.document.visibility != Visibility.PUBLIC
    attachment = submission.document.attachments.get()
    with attachment.file.open("rb") as fh:
        assert "word/fonts/font1.odttf" in zipfile.ZipFile(io.BytesIO(fh.read())).namelist()


def test_a_value_deleted_in_the_body_is_also_deleted_from_an_attachment_that_writes_it_otherwise(office):
    # The attachment writes the number with full-width digits and spaces: the second reader
    # finds it by its normalised form and the redactor removes it there too.
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((40, 80), hostile.KEPT, fontname="china-s", fontsize=11)
    page.insert_text((40, 110), "咨询请拨打１３９ １２３４ ５６７８。", fontname="china-s", fontsize=11)
    pdf = doc.tobytes()
    submission = draft(office, body=f"联系电话：{MOBILE}")
    record_attachment_add(
        submission=submission, data=pdf, filename="list.pdf", title="名单", actor=office.clerk
    )
    submission = to_office_review(office, submission)
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = finish(office, submission)
    submission.document.refresh_from_db()
    assert submission.document.visibility == Visibility.PUBLIC
    attachment = submission.document.attachments.get()
    with attachment.file.open("rb") as fh:
        text = pymupdf.open(stream=fh.read(), filetype="pdf")[0].get_text()
    squeezed = "".join(text.split()).translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})
    assert MOBILE not in squeezed and "咨询请拨打" in squeezed and hostile.KEPT in squeezed


# ---------------------------------------------------------------- the review page


def test_the_review_page_lists_what_sanitising_removed(office, client):
    submission = draft(office, body="各学校：现将名单公布如下。")
    record_attachment_add(
        submission=submission,
        data=hostile.docx_comment(),
        filename="list.docx",
        title="名单",
        actor=office.clerk,
    )
    submission = to_office_review(office, submission)
    finding = submission.findings.filter(field="attachment").first()
    assert "批注" in finding.source_label  # the finding says where in the file it is
    # Before approval: what publication will remove.
    client.force_login(office.office_head)
    page = client.get(reverse("workbench:record_detail", kwargs={"pk": submission.pk})).content.decode()
    assert "净化预览" in page and "批注及批注作者" in page
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = finish(office, submission)
    removed = submission.sanitise_report[0]["removed"]
    assert any("批注" in label for label in removed) and any("核心文档属性" in label for label in removed)
    page = client.get(reverse("workbench:record_detail", kwargs={"pk": submission.pk})).content.decode()
    assert "公开文件净化记录" in page and "批注及批注作者" in page
