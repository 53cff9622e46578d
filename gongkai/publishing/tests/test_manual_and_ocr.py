"""A reviewer can redact anything; pictures are reviewed, not trusted (issue 17, items 3-4).

Runs the real services end to end: the pre-scan (with Debian's tesseract reading pictures),
manual redactions by the office head (the step that settles findings), publication, and then
reads the published file back with PyMuPDF, pypdf's verifier and tesseract again."""

import shutil

import pymupdf
import pytest
from django.test import override_settings

from gongkai.core.files.redaction import PDF_CONTENT_TYPE
from gongkai.core.models import AuditEvent
from gongkai.publishing.manual import (
    image_page_confirm,
    manual_area_add,
    manual_redaction_remove,
    manual_value_add,
)
from gongkai.publishing.models import FindingDecision, ImagePage, ManualRedaction
from gongkai.publishing.ocr import Region, read_region
from gongkai.publishing.rules import Decision, NonDisclosureGround, SubmissionState
from gongkai.publishing.services import (
    NotPermitted,
    PublishingError,
    attachment_public_preview,
    finding_settle,
    record_attachment_add,
    submission_decide,
    submission_submit,
)
from gongkai.publishing.verify import find_values, normalise

from . import hostile
from .factories import draft, make_office

pytestmark = pytest.mark.django_db

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract-ocr is not installed (scripts/install-system-deps.sh)",
)

SECRET_NAME = "欧阳青禾"  # a name no detector finds on its own (no label before it)


@pytest.fixture
def office(db):
    return make_office()


def scanned_pdf(*lines: str, dpi: int = 150) -> bytes:
    """A PDF whose page is only a picture of text (a scan): no text layer at all."""
    source = pymupdf.open()
    page = source.new_page(width=420, height=60 + 40 * len(lines))
    for i, line in enumerate(lines):
        page.insert_text((20, 40 + 40 * i), line, fontname="china-s", fontsize=14)
    png = page.get_pixmap(dpi=dpi).tobytes("png")
    doc = pymupdf.open()
    scan = doc.new_page(width=page.rect.width, height=page.rect.height)
    scan.insert_image(scan.rect, stream=png)
    source.close()
    data = doc.tobytes()
    doc.close()
    return data


def text_pdf(*lines: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, line in enumerate(lines):
        page.insert_text((40, 80 + 30 * i), line, fontname="china-s", fontsize=12)
    data = doc.tobytes()
    doc.close()
    return data


def submitted(office, data: bytes, *, body: str = "各学校：现将补助名单公布如下。", title: str = "补助名单"):
    submission = draft(office, title="关于公布补助名单的通知", body=body)
    record_attachment_add(
        submission=submission, data=data, filename="名单.pdf", title=title, actor=office.clerk
    )
    return submission_submit(submission=submission, actor=office.clerk, opinion="拟主动公开")


def to_office(office, submission):
    return submission_decide(
        submission=submission, actor=office.unit_head, decision=Decision.APPROVE, opinion="同意"
    )


def approve_rest(office, submission):
    for approver in (office.office_head, office.leader):
        submission = submission_decide(
            submission=submission, actor=approver, decision=Decision.APPROVE, opinion="同意"
        )
    return submission


def published_bytes(submission) -> bytes:
    attachment = submission.document.attachments.get()
    with attachment.file.open("rb") as fh:
        return fh.read()


def reread(data: bytes) -> str:
    """The published first page read again by tesseract, normalised."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return normalise(read_region(doc, Region(1, tuple(doc[0].rect), "")).text)


# ---------------------------------------------------------------- pictures


@needs_tesseract
def test_a_scanned_page_is_read_by_ocr_and_the_values_pixels_are_gone_after_publication(office):
    data = scanned_pdf(f"身份证号 {hostile.ID}", f"手机 {hostile.MOBILE}", "各学校要认真做好资助工作")
    assert normalise(hostile.ID) in reread(data)  # the picture really carries the values
    submission = to_office(office, submitted(office, data))
    page = submission.image_pages.get()
    assert page.method == ImagePage.OCR and page.page == 1
    ocr_findings = {f.kind: f for f in submission.findings.filter(part="page 1 OCR")}
    assert {"id_number", "mobile"} <= set(ocr_findings)
    for finding in ocr_findings.values():
        assert finding.boxes and finding.boxes[0][0] == 1  # placed on page 1
        assert "图片文字识别" in finding.source_label
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = approve_rest(office, submission)
    assert submission.state == SubmissionState.DONE

    out = published_bytes(submission)
    again = reread(out)
    assert normalise(hostile.ID) not in again and normalise(hostile.MOBILE) not in again
    assert "资助" in again  # the rest of the page is still there
    assert find_values(out, PDF_CONTENT_TYPE, [hostile.ID, hostile.MOBILE]) == []
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        assert hostile.ID not in doc[0].get_text() and hostile.MOBILE not in doc[0].get_text()


@override_settings(GONGKAI_TESSERACT="/nonexistent/bin/tesseract")
def test_without_ocr_a_scan_is_held_until_a_reviewer_confirms_it(office):
    submission = to_office(office, submitted(office, scanned_pdf("各学校要认真做好资助工作")))
    page = submission.image_pages.get()
    assert page.method == ImagePage.HELD and page.pending and "tesseract" in page.note
    with pytest.raises(PublishingError, match="图像页待确认"):
        submission_decide(submission=submission, actor=office.office_head, decision=Decision.APPROVE)
    with pytest.raises(NotPermitted):
        image_page_confirm(image_page=page, actor=office.clerk)
    image_page_confirm(image_page=page, actor=office.office_head)
    assert AuditEvent.objects.filter(action="image_page_confirm").count() == 1
    submission = approve_rest(office, submission)
    assert submission.state == SubmissionState.DONE


@override_settings(GONGKAI_TESSERACT="/nonexistent/bin/tesseract")
def test_drawing_an_area_on_a_held_page_confirms_it_and_removes_the_pixels(office):
    data = scanned_pdf(f"手机 {hostile.MOBILE}", "各学校要认真做好资助工作")
    submission = to_office(office, submitted(office, data))
    attachment = submission.document.attachments.get()
    # The first line of the picture: y from 20 to 50 points.
    manual_area_add(
        submission=submission,
        actor=office.office_head,
        attachment_id=attachment.pk,
        page=1,
        box=[0, 15, 420, 52],
        ground="personal_data",
    )
    assert not submission.image_pages.get().pending
    submission = approve_rest(office, submission)
    with override_settings(GONGKAI_TESSERACT="tesseract"):
        if shutil.which("tesseract"):
            again = reread(published_bytes(submission))
            assert normalise(hostile.MOBILE) not in again and "资助" in again


# ---------------------------------------------------------------- search and redact


def test_a_value_the_scanner_missed_is_removed_everywhere_with_its_ground(office):
    data = text_pdf(f"项目负责人{SECRET_NAME}已到岗", hostile.KEPT)
    submission = to_office(
        office, submitted(office, data, body=f"本项目由{SECRET_NAME}牵头。", title=f"{SECRET_NAME}项目名单")
    )
    redaction = manual_value_add(
        submission=submission,
        actor=office.office_head,
        value=SECRET_NAME,
        ground=NonDisclosureGround.THIRD_PARTY,
    )
    assert any("正文" in p for p in redaction.places) and any("第 1 个附件" in p for p in redaction.places)
    entry = AuditEvent.objects.get(action="manual_redaction_add")
    assert SECRET_NAME not in str(entry.after)  # the audit trail does not quote it either

    preview = attachment_public_preview(
        submission=submission, attachment=submission.document.attachments.get(), actor=office.office_head
    )
    assert find_values(preview, PDF_CONTENT_TYPE, [SECRET_NAME]) == []
    assert find_values(published_bytes(submission), PDF_CONTENT_TYPE, [SECRET_NAME])  # not yet published

    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = approve_rest(office, submission)
    document = submission.document
    document.refresh_from_db()
    assert SECRET_NAME not in document.body and "■■■■" in document.body
    attachment = document.attachments.get()
    assert SECRET_NAME not in attachment.title
    out = published_bytes(submission)
    assert find_values(out, PDF_CONTENT_TYPE, [SECRET_NAME]) == []
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        assert hostile.KEPT in doc[0].get_text()


def test_a_value_found_nowhere_is_refused_and_a_clerk_cannot_redact(office):
    submission = to_office(office, submitted(office, text_pdf(hostile.KEPT)))
    with pytest.raises(PublishingError, match="没有找到"):
        manual_value_add(
            submission=submission, actor=office.office_head, value="不存在的名字", ground="personal_data"
        )
    with pytest.raises(PublishingError, match="理由"):
        manual_value_add(submission=submission, actor=office.office_head, value="资助", ground="nonsense")
    with pytest.raises(NotPermitted):
        manual_value_add(submission=submission, actor=office.clerk, value="资助", ground="personal_data")
    assert not ManualRedaction.objects.exists()


def test_a_wrong_manual_redaction_is_taken_back_and_the_text_stays(office):
    submission = to_office(office, submitted(office, text_pdf(hostile.KEPT, "资助工作联络人")))
    redaction = manual_value_add(
        submission=submission, actor=office.office_head, value="资助工作联络人", ground="personal_data"
    )
    with pytest.raises(PublishingError, match="撤销理由"):
        manual_redaction_remove(redaction=redaction, actor=office.office_head, reason=" ")
    manual_redaction_remove(redaction=redaction, actor=office.office_head, reason="误加，不是个人信息")
    redaction.refresh_from_db()
    assert redaction.removed_at is not None
    assert AuditEvent.objects.filter(action="manual_redaction_remove").count() == 1
    submission = approve_rest(office, submission)
    with pymupdf.open(stream=published_bytes(submission), filetype="pdf") as doc:
        assert "资助工作联络人" in doc[0].get_text()


def test_an_area_drawn_on_a_text_page_removes_that_line_and_keeps_the_next(office):
    secret = "内部联络表编号甲乙丙"
    submission = to_office(office, submitted(office, text_pdf(secret, hostile.KEPT)))
    attachment = submission.document.attachments.get()
    with pytest.raises(PublishingError, match="页码"):
        manual_area_add(
            submission=submission, actor=office.office_head, attachment_id=attachment.pk, page=3,
            box=[0, 0, 10, 10], ground="personal_data",
        )  # fmt: skip
    # Line 1 has its baseline at y=80 (12 pt type), line 2 at y=110.
    manual_area_add(
        submission=submission, actor=office.office_head, attachment_id=attachment.pk, page=1,
        box=[30, 66, 400, 84], ground=NonDisclosureGround.INTERNAL_AFFAIRS,
    )  # fmt: skip
    submission = approve_rest(office, submission)
    out = published_bytes(submission)
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        text = doc[0].get_text()
    assert "甲乙丙" not in text and "联络表" not in text
    assert hostile.KEPT in text
    assert find_values(out, PDF_CONTENT_TYPE, [secret]) == []


def picture_of(*lines: str, dpi: int = 150) -> bytes:
    source = pymupdf.open()
    page = source.new_page(width=300, height=20 + 30 * len(lines))
    for i, line in enumerate(lines):
        page.insert_text((10, 30 + 30 * i), line, fontname="china-s", fontsize=14)
    png = page.get_pixmap(dpi=dpi).tobytes("png")
    source.close()
    return png


@needs_tesseract
def test_a_picture_on_a_text_page_is_read_and_a_manual_value_in_it_is_removed(office):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, 80), hostile.KEPT, fontname="china-s", fontsize=12)
    page.insert_image(
        pymupdf.Rect(40, 120, 340, 200), stream=picture_of(f"负责人 {SECRET_NAME}", f"手机 {hostile.MOBILE}")
    )
    data = doc.tobytes()
    submission = to_office(office, submitted(office, data))
    image_page = submission.image_pages.get()
    assert image_page.method == ImagePage.OCR and image_page.reason == "页面中的图片"
    mobile = submission.findings.get(part="page 1 OCR", kind="mobile")
    assert all(120 <= box[2] <= 200 for box in mobile.boxes)  # placed inside the picture
    redaction = manual_value_add(
        submission=submission, actor=office.office_head, value=SECRET_NAME, ground="personal_data"
    )
    assert any("图片文字识别" in place for place in redaction.places)
    for finding in submission.findings.all():
        finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    submission = approve_rest(office, submission)
    out = published_bytes(submission)
    with pymupdf.open(stream=out, filetype="pdf") as published:
        again = normalise(read_region(published, Region(1, (40, 120, 340, 200), "")).text)
        assert hostile.KEPT in published[0].get_text()
    assert normalise(hostile.MOBILE) not in again and normalise(SECRET_NAME) not in again


def test_a_deleted_finding_carries_its_ground(office):
    submission = to_office(
        office, submitted(office, text_pdf(hostile.KEPT), body=f"联系电话{hostile.MOBILE}。")
    )
    finding = submission.findings.get(field="body")
    with pytest.raises(PublishingError, match="理由"):
        finding_settle(
            finding=finding, actor=office.office_head, decision=FindingDecision.REDACT, ground="bogus"
        )
    finding = finding_settle(finding=finding, actor=office.office_head, decision=FindingDecision.REDACT)
    assert finding.ground == "personal_data"
    finding = finding_settle(
        finding=finding,
        actor=office.office_head,
        decision=FindingDecision.REDACT,
        ground=NonDisclosureGround.PROCESS_INFO,
    )
    assert finding.ground == NonDisclosureGround.PROCESS_INFO
    assert (
        AuditEvent.objects.filter(action="finding_settle").order_by("pk").last().after["ground"]
        == NonDisclosureGround.PROCESS_INFO
    )
    finding = finding_settle(
        finding=finding, actor=office.office_head, decision=FindingDecision.KEEP, reason="单位电话"
    )
    assert finding.ground == ""
