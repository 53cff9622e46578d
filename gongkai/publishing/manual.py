"""A reviewer can redact anything (issue 17): a value the scanner missed, removed wherever it is
(title, summary, keywords, body, attachment titles and file names, every part of every
attachment, text read by OCR from pictures), or an area drawn on a page of a PDF attachment
(the pixels and the text under it removed, not covered). Each carries its ground; a wrong one is
removed (audited). Pictures OCR could not read are held until a reviewer confirms them.

At publication these go down the same path as the findings settled as deleted
(services._redact): manual values join the values to delete, which are redacted, sanitised
and looked for again by the independent verifier; areas (drawn, or where OCR read a value to
delete) are removed with ``redact_areas``.
"""

import re

import pymupdf
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record
from gongkai.core.files.redaction import PDF_CONTENT_TYPE, RedactionError, _fold, _pattern
from gongkai.core.scan import ScanError
from gongkai.core.scan.files import file_parts
from gongkai.core.scan.parts import part_label

from . import permissions
from .models import REDACTION_GROUNDS, ImagePage, ManualRedaction, Submission
from .ocr import find_value_boxes
from .services import PublishingError, _attachment_label, _require
from .verify import normalise

MANUAL_KIND = "manual"  # the "kind" of a manual value among the values to delete
MIN_VALUE_CHARS = 2
MIN_AREA_POINTS = 2
PREVIEW_DPI = 100  # page previews: enough to see a name, small enough to load quickly


# ---------------------------------------------------------------- pure helpers


def masked_value(value: str) -> str:
    """A manual value as staff pages show it: first and last character only."""
    n = len(value)
    return value[:1] + "*" if n <= 2 else value[0] + "*" * (n - 2) + value[-1]


def value_spans(text: str, values: list[str]) -> list[tuple[int, int]]:
    """Where each value occurs in ``text`` (ignoring case, full-width forms and whitespace
    inside the value), as spans for redaction.redact_text."""
    if not text:
        return []
    folded = _fold(text)
    return [(m.start(), m.end()) for v in values for m in _pattern(v).finditer(folded) if m.end() > m.start()]


def ocr_boxes(image_pages: list[ImagePage], values: list[str]) -> list[list]:
    """The areas where OCR read any of ``values`` on the pictures of one attachment."""
    boxes = []
    for page in image_pages:
        if page.words:
            for value in values:
                boxes += find_value_boxes(page.words, value, page.page)
    return boxes


def redact_areas(data: bytes, areas: list[list]) -> bytes:
    """A copy of the PDF with each area [page, x0, y0, x1, y1] removed: text whose box
    touches it deleted, image pixels under it blanked, vector graphics inside it removed,
    and a black box drawn where it was; unused objects collected."""
    if not areas:
        return data
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise RedactionError(_("PDF 文件已损坏，无法按区域遮盖。")) from exc
    try:
        by_page: dict[int, list] = {}
        for number, *box in areas:
            by_page.setdefault(int(number), []).append(box)
        for number, boxes in sorted(by_page.items()):
            if not 1 <= number <= doc.page_count:
                raise RedactionError(_("要遮盖的区域所在页（第 %(n)d 页）不存在。") % {"n": number})
            page = doc[number - 1]
            for box in boxes:
                rect = pymupdf.Rect(box) & page.rect
                if not rect.is_empty:
                    page.add_redact_annot(rect, fill=(0, 0, 0))
            page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_COVERED,
                text=pymupdf.PDF_REDACT_TEXT_REMOVE,
            )
        return doc.tobytes(garbage=4, clean=True, deflate=True, encryption=pymupdf.PDF_ENCRYPT_NONE)
    finally:
        doc.close()


def text_left_in_areas(data: bytes, areas: list[list]) -> bool:
    """Whether any character can still be read inside an area (the check after removal)."""
    if not areas:
        return False
    doc = pymupdf.open(stream=data, filetype="pdf")
    try:
        for number, *box in areas:
            page = doc[int(number) - 1]
            rect = pymupdf.Rect(box) & page.rect
            if rect.is_empty:
                continue
            inner = pymupdf.Rect(rect.x0 + 1, rect.y0 + 1, rect.x1 - 1, rect.y1 - 1)
            if not inner.is_empty and page.get_text("text", clip=inner).strip():
                return True
    finally:
        doc.close()
    return False


def pdf_page_sizes(attachment) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF attachment; empty for other files."""
    if attachment.content_type.split(";")[0].strip().lower() != PDF_CONTENT_TYPE:
        return []
    with attachment.file.open("rb") as fh:
        data = fh.read()
    try:
        with pymupdf.open(stream=data, filetype="pdf") as doc:
            return [(round(page.rect.width, 2), round(page.rect.height, 2)) for page in doc]
    except Exception:
        return []


def pdf_page_count(attachment) -> int:
    return len(pdf_page_sizes(attachment))


def page_preview(attachment, number: int) -> tuple[bytes, float, float]:
    """A PNG of page ``number`` of a PDF attachment at PREVIEW_DPI, with the page's width and
    height in points (the drawing script maps the picture to page coordinates with them)."""
    with attachment.file.open("rb") as fh:
        data = fh.read()
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise PublishingError(_("PDF 文件无法打开。")) from exc
    with doc:
        if not 1 <= number <= doc.page_count:
            raise PublishingError(_("该页不存在。"))
        page = doc[number - 1]
        png = page.get_pixmap(dpi=PREVIEW_DPI, alpha=False, annots=False).tobytes("png")
        return png, page.rect.width, page.rect.height


# ---------------------------------------------------------------- services


def _check_ground(ground: str) -> None:
    if ground not in dict(REDACTION_GROUNDS):
        raise PublishingError(_("请选择不公开的理由（个人信息或一项不予公开的理由）。"))


def _places(submission: Submission, value: str) -> list[str]:
    """Where the value is in what the public will see (labels, never the value)."""
    document = submission.document
    places = []
    for field, label in (
        ("title", _("标题")),
        ("summary", _("内容概述")),
        ("keywords", _("主题词")),
        ("body", _("正文")),
    ):
        if value_spans(getattr(document, field) or "", [value]):
            places.append(str(label))
    key = normalise(value)
    for attachment in document.attachments.order_by("sort_order", "pk"):
        which = _attachment_label(attachment)
        if value_spans(attachment.title, [value]):
            places.append(_("%(which)s的名称") % {"which": which})
        if value_spans(attachment.original_name, [value]):
            places.append(_("%(which)s的原文件名") % {"which": which})
        try:
            with attachment.file.open("rb") as fh:
                parts = file_parts(fh.read(), name=attachment.storage_name)
        except (ScanError, OSError):
            parts = []
        for part, text in parts:
            if value_spans(text, [value]) or (key and key in normalise(text)):
                places.append(f"{which} · {part_label(part)}")
        for page in submission.image_pages.filter(attachment=attachment):
            if page.words and find_value_boxes(page.words, value, page.page):
                places.append(_("%(which)s · 第 %(n)d 页（图片文字识别）") % {"which": which, "n": page.page})
    return list(dict.fromkeys(places))


def _bump(submission: Submission) -> None:
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])


@transaction.atomic
def manual_value_add(*, submission: Submission, actor, value: str, ground: str) -> ManualRedaction:
    """Search for a value the scanner missed across the whole record and its files and redact
    it everywhere at publication. Refused when it is found nowhere (a typo would otherwise
    give a false sense of safety)."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(permissions.can_finding_settle(actor, submission))
    value = re.sub(r"\s+", " ", value or "").strip()
    if len(normalise(value)) < MIN_VALUE_CHARS:
        raise PublishingError(_("请输入要遮盖的内容（至少两个字符）。"))
    if len(value) > 300:
        raise PublishingError(_("要遮盖的内容过长（最多 300 个字符）。"))
    _check_ground(ground)
    places = _places(submission, value)
    if not places:
        raise PublishingError(
            _(
                "在标题、内容概述、主题词、正文和各附件（含元数据和图片识别文字）中都没有找到该内容，请核对后重试。"
            )
        )
    redaction = ManualRedaction.objects.create(
        submission=submission,
        kind=ManualRedaction.VALUE,
        value=value,
        ground=ground,
        places=places[:50],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="manual_redaction_add",
        obj=redaction,
        after={"kind": redaction.kind, "ground": ground, "chars": len(value), "places": places[:50]},
    )
    _bump(submission)
    return redaction


@transaction.atomic
def manual_area_add(
    *, submission: Submission, actor, attachment_id: int, page: int, box: list[float], ground: str
) -> ManualRedaction:
    """An area drawn on a page of a PDF attachment, removed at publication. Drawing on a page
    held for confirmation (no OCR) counts as having looked at it."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _require(permissions.can_finding_settle(actor, submission))
    attachment = submission.document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise PublishingError(_("附件不存在。"))
    count = pdf_page_count(attachment)
    if not count:
        raise PublishingError(_("只能在 PDF 附件的页面上框选遮盖区域。"))
    if not isinstance(page, int) or not 1 <= page <= count:
        raise PublishingError(_("页码应在 1 到 %(n)d 之间。") % {"n": count})
    _check_ground(ground)
    with attachment.file.open("rb") as fh, pymupdf.open(stream=fh.read(), filetype="pdf") as doc:
        bounds = doc[page - 1].rect
    try:
        x0, y0, x1, y1 = (float(v) for v in box)
    except (TypeError, ValueError) as exc:
        raise PublishingError(_("区域坐标无效。")) from exc
    rect = pymupdf.Rect(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)) & bounds
    if rect.is_empty or rect.width < MIN_AREA_POINTS or rect.height < MIN_AREA_POINTS:
        raise PublishingError(
            _("区域不在页面内或过小（页面宽 %(w)d、高 %(h)d 点）。") % {"w": bounds.width, "h": bounds.height}
        )
    redaction = ManualRedaction.objects.create(
        submission=submission,
        kind=ManualRedaction.AREA,
        attachment=attachment,
        page=page,
        box=[round(v, 2) for v in rect],
        ground=ground,
        places=[_("%(which)s · 第 %(n)d 页") % {"which": _attachment_label(attachment), "n": page}],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="manual_redaction_add",
        obj=redaction,
        after={
            "kind": redaction.kind,
            "ground": ground,
            "attachment": attachment.pk,
            "page": page,
            "box": redaction.box,
        },
    )
    for held in submission.image_pages.filter(attachment=attachment, page=page, confirmed_at__isnull=True):
        _confirm(held, actor, by_area=True)
    _bump(submission)
    return redaction


@transaction.atomic
def manual_redaction_remove(*, redaction: ManualRedaction, actor, reason: str) -> ManualRedaction:
    """Take back a wrong manual redaction (kept on record, marked removed, audited)."""
    submission = Submission.objects.select_for_update().get(pk=redaction.submission_id)
    _require(permissions.can_finding_settle(actor, submission))
    redaction = ManualRedaction.objects.get(pk=redaction.pk, submission=submission)
    if redaction.removed_at is not None:
        raise PublishingError(_("该人工遮盖已撤销。"))
    if not reason.strip():
        raise PublishingError(_("请说明撤销理由。"))
    redaction.removed_by, redaction.removed_at = actor, timezone.now()
    redaction.removal_reason = reason.strip()[:300]
    redaction.save(update_fields=["removed_by", "removed_at", "removal_reason"])
    audit_record(
        actor=actor,
        action="manual_redaction_remove",
        obj=redaction,
        before={"removed": False},
        after={"removed": True, "reason": redaction.removal_reason, "kind": redaction.kind},
    )
    _bump(submission)
    return redaction


def _confirm(page: ImagePage, actor, *, by_area: bool = False) -> None:
    page.confirmed_by, page.confirmed_at = actor, timezone.now()
    page.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action="image_page_confirm",
        obj=page,
        before={"confirmed": False},
        after={"confirmed": True, "page": page.page, "attachment": page.attachment_id, "by_area": by_area},
    )


@transaction.atomic
def image_page_confirm(*, image_page: ImagePage, actor) -> ImagePage:
    """A reviewer looked at a picture OCR could not read and found nothing to remove there
    (or drew the areas to remove): the page no longer holds the settling step."""
    submission = Submission.objects.select_for_update().get(pk=image_page.submission_id)
    _require(permissions.can_finding_settle(actor, submission))
    image_page = ImagePage.objects.get(pk=image_page.pk, submission=submission)
    if not image_page.pending:
        raise PublishingError(_("该图像页无须确认或已确认。"))
    _confirm(image_page, actor)
    _bump(submission)
    return image_page
