"""Issue 17 item 4: "a font without a Unicode map" is not published unread.

The PDF is built here: Chinese text and an identity number set in an embedded CJK font
(Identity-H, glyph numbers as codes) whose ToUnicode map is then removed, as some producers
write it. Text extraction gives glyph numbers read as characters (no identity number), so the
pre-scan must render the page and read it by OCR (finding placed on the page) or hold it."""

import os
import shutil

import pymupdf
import pytest
from django.test import override_settings

from gongkai.publishing.models import ImagePage
from gongkai.publishing.ocr import image_regions
from gongkai.publishing.verify import normalise

from . import hostile
from .test_manual_and_ocr import submitted, to_office

pytestmark = pytest.mark.django_db

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"  # fonts-noto-cjk
needs_font = pytest.mark.skipif(not os.path.exists(FONT), reason="fonts-noto-cjk is not installed")
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed"
)


def unmapped_pdf(*lines: str, keep_map: bool = False) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page(width=420, height=60 + 40 * len(lines))
    for i, line in enumerate(lines):
        page.insert_text((20, 40 + 40 * i), line, fontname="noto", fontfile=FONT, fontsize=14)
    doc = pymupdf.open("pdf", doc.tobytes(garbage=3, deflate=True))
    removed = 0
    for xref in range(1, doc.xref_length()):
        if not keep_map and doc.xref_get_key(xref, "ToUnicode")[0] != "null":
            doc.xref_set_key(xref, "ToUnicode", "null")
            removed += 1
    assert keep_map or removed  # the font had a map, now it has none
    return doc.tobytes(garbage=3, deflate=True)


LINES = (f"身份证号 {hostile.ID}", "各学校要认真做好资助工作")


@pytest.fixture
def office(db):
    from .factories import make_office

    return make_office()


@needs_font
def test_the_text_of_such_a_font_cannot_be_extracted_and_the_page_is_marked_for_ocr():
    with pymupdf.open(stream=unmapped_pdf(*LINES), filetype="pdf") as doc:
        text = doc[0].get_text()
        assert normalise(hostile.ID) not in normalise(text) and "资助" not in text
        regions = image_regions(doc)
    assert [(r.page, r.reason) for r in regions] == [(1, "字体缺少 Unicode 映射，文字无法提取")]
    with pymupdf.open(stream=unmapped_pdf(*LINES, keep_map=True), filetype="pdf") as doc:
        assert hostile.ID in doc[0].get_text() and image_regions(doc) == []  # the same font, mapped


@needs_font
@needs_tesseract
def test_the_pre_scan_reads_it_by_ocr_and_places_the_finding(office):
    submission = to_office(office, submitted(office, unmapped_pdf(*LINES)))
    page = submission.image_pages.get()
    assert page.method == ImagePage.OCR and page.page == 1 and "Unicode" in page.reason
    found = submission.findings.filter(part="page 1 OCR", kind="id_number").first()
    assert found is not None and found.boxes and found.boxes[0][0] == 1


@needs_font
@override_settings(GONGKAI_TESSERACT="/nonexistent/bin/tesseract")
def test_without_ocr_the_page_is_held(office):
    submission = to_office(office, submitted(office, unmapped_pdf(*LINES)))
    page = submission.image_pages.get()
    assert page.method == ImagePage.HELD and page.pending
