"""The sanitiser (every public file rebuilt) and the second reader (verify.py) on their own."""

import io
import zipfile

import docx
import pymupdf
import pytest

from gongkai.core.files.redaction import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE
from gongkai.publishing.sanitise import SanitiseError, sanitise_docx, sanitise_file, sanitise_pdf
from gongkai.publishing.verify import find_values, normalise

from . import hostile


@pytest.mark.parametrize(
    "written",
    ["１３９１２３４５６７８", "139 1234 5678", "139\n1234\n5678", "139-1234-5678", "139.1234.5678"],
)
def test_the_second_reader_finds_a_value_in_its_normalised_forms(written):
    hits = find_values(f"联系电话：{written}。".encode(), "text/plain", [hostile.MOBILE])
    assert [(h.part, h.value) for h in hits] == [("text", hostile.MOBILE)]


def test_the_second_reader_finds_an_id_with_a_small_x_and_spaced_out_names():
    text = f"身份证 {hostile.ID.lower()}，张 建 国".encode()
    assert {h.value for h in find_values(text, "text/plain", [hostile.ID, hostile.NAME])} == {
        hostile.ID,
        hostile.NAME,
    }
    assert normalise("Ｘ") == "x"


def test_the_second_reader_reads_pdf_metadata_and_names_the_place():
    hits = find_values(hostile.pdf_xmp(), PDF_CONTENT_TYPE, [hostile.MOBILE])
    assert hits and hits[0].value == hostile.MOBILE and hits[0].part


def test_the_second_reader_reads_earlier_revisions():
    hits = find_values(hostile.pdf_earlier_revision(), PDF_CONTENT_TYPE, [hostile.ADDRESS])
    assert hits  # the address is only in the first revision


def test_a_clean_file_has_no_hits():
    assert find_values(hostile.pdf_page_text(), PDF_CONTENT_TYPE, ["13800000000", "李四光"]) == []


def test_a_sanitised_pdf_opens_and_lists_what_went():
    result = sanitise_pdf(hostile.pdf_javascript())
    assert any("打开时" in label for label in result.removed)
    doc = pymupdf.open(stream=result.data, filetype="pdf")
    assert doc.page_count == 1 and hostile.KEPT in doc[0].get_text()
    assert find_values(result.data, PDF_CONTENT_TYPE, [hostile.MOBILE]) == []


def test_a_sanitised_docx_opens_in_word_s_object_model_and_lists_what_went():
    result = sanitise_docx(hostile.docx_comment())
    document = docx.Document(io.BytesIO(result.data))
    assert [p.text for p in document.paragraphs][:2] == [hostile.TITLE, hostile.KEPT]
    names = zipfile.ZipFile(io.BytesIO(result.data)).namelist()
    assert not any("comments" in n or n.startswith("docProps/") for n in names)
    assert any("批注" in label for label in result.removed)


def test_tracked_changes_are_accepted_by_default_or_rejected():
    accepted = sanitise_docx(hostile.docx_tracked_insertion())
    assert hostile.NAME in docx.Document(io.BytesIO(accepted.data)).paragraphs[-1].text
    rejected = sanitise_docx(hostile.docx_tracked_insertion(), accept_changes=False)
    assert all(hostile.NAME not in p.text for p in docx.Document(io.BytesIO(rejected.data)).paragraphs)
    restored = sanitise_docx(hostile.docx_tracked_deletion(), accept_changes=False)
    assert hostile.NAME in docx.Document(io.BytesIO(restored.data)).paragraphs[-1].text
    removed = sanitise_docx(hostile.docx_tracked_deletion())
    assert find_values(removed.data, DOCX_CONTENT_TYPE, [hostile.ID]) == []


def test_pictures_go_unless_kept_and_kept_pictures_are_listed():
    data = hostile.docx_alt_text()
    gone = sanitise_docx(data)
    assert not any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(gone.data)).namelist())
    assert "图片" in gone.removed
    kept = sanitise_docx(data, keep_pictures=True)
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(kept.data)).namelist())
    assert kept.pictures and "人工确认" in kept.pictures[0]


def test_hidden_text_is_removed_not_published_invisible():
    result = sanitise_docx(hostile.docx_hidden_text())
    assert "隐藏文字" in result.removed
    assert find_values(result.data, DOCX_CONTENT_TYPE, [hostile.ID]) == []


def test_a_kind_that_cannot_be_rebuilt_is_refused():
    with pytest.raises(SanitiseError):
        sanitise_file(b"\xd0\xcf\x11\xe0", "application/msword")


@pytest.mark.django_db
def test_xlsx_and_ofd_attachments_are_rebuilt_and_still_open():
    import openpyxl

    from gongkai.catalogue.tests.samples import make_ofd, make_xlsx
    from gongkai.core.files.extract import extract_text
    from gongkai.publishing.services import record_attachment_add

    from .factories import approve_all, draft, make_office

    office = make_office()
    submission = draft(office, body="各学校：统计表见附件。")
    record_attachment_add(
        submission=submission,
        data=make_xlsx([["学校", "人数"], ["第一中学", 12]]),
        filename="表.xlsx",
        actor=office.clerk,
    )
    record_attachment_add(
        submission=submission,
        data=make_ofd(["关于开学工作的通知", "各学校"]),
        filename="通知.ofd",
        actor=office.clerk,
    )
    submission = approve_all(office, submission)
    attachments = {a.original_name: a for a in submission.document.attachments.all()}
    with attachments["表.xlsx"].file.open("rb") as fh:
        sheet = openpyxl.load_workbook(io.BytesIO(fh.read())).active
    assert sheet["A2"].value == "第一中学"
    with attachments["通知.ofd"].file.open("rb") as fh:
        assert "关于开学工作的通知" in extract_text("ofd", fh.read(), max_bytes=None, seconds=None)[0]
    assert len(submission.sanitise_report) == 2
