"""The pre-scan reads every part of a file (issue 17): metadata, annotations, form fields,
bookmarks, embedded files and earlier revisions of a PDF; headers, footers, notes, comments,
tracked changes, properties and embedded workbooks of a DOCX. Findings name their part."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from gongkai.core.scan import scan_file
from gongkai.core.scan.files import file_parts, scan_file_parts
from gongkai.core.scan.parts import part_label
from gongkai.publishing.tests import hostile


def parts_with(findings, kind: str) -> set[str]:
    return {pf.part for pf in findings if pf.finding.kind.value == kind}


@pytest.mark.parametrize(
    ("build", "part"),
    [
        (hostile.pdf_info, "metadata"),
        (hostile.pdf_xmp, "XMP metadata"),
        (hostile.pdf_page_xmp, "page 1 XMP metadata"),
        (hostile.pdf_note, "page 1 annotation"),
        (hostile.pdf_form_field, "page 1 form field"),
        (hostile.pdf_bookmark, "bookmarks"),
        (hostile.pdf_embedded_docx, "embedded file list.docx › word/document.xml"),
        (hostile.pdf_javascript, "other objects"),
        (hostile.pdf_earlier_revision, "earlier revision 1 › page 1"),
        (hostile.pdf_outside_crop_box, "page 1"),
        (hostile.docx_header, "word/header1.xml"),
        (hostile.docx_footnote, "word/footnotes.xml"),
        (hostile.docx_comment, "word/comments.xml"),
        (hostile.docx_core_properties, "docProps/core.xml"),
        (hostile.docx_custom_properties, "docProps/custom.xml"),
        (hostile.docx_custom_xml, "customXml/item9.xml"),
        (hostile.docx_glossary, "word/glossary/document.xml"),
        (hostile.docx_alt_chunk, "word/afchunk1.htm"),
        (hostile.docx_document_variable, "word/settings.xml"),
        (
            hostile.docx_embedded_workbook,
            "embedded file Microsoft_Excel_Worksheet.xlsx › xl/worksheets/sheet1.xml",
        ),
    ],
)
def test_a_value_in_any_part_is_found_and_the_finding_names_the_part(tmp_path, build, part):
    path = tmp_path / "file"
    path.write_bytes(build())
    findings = scan_file_parts(path)
    assert part in parts_with(findings, "mobile")
    assert part in parts_with(findings, "id_number")


@pytest.mark.parametrize(
    "build",
    [
        hostile.docx_tracked_insertion,
        hostile.docx_tracked_deletion,
        hostile.docx_text_box,
        hostile.docx_field,
        hostile.docx_content_control,
        hostile.docx_alt_text,
        hostile.docx_hidden_text,
        hostile.docx_split_runs,
    ],
)
def test_text_the_object_model_skips_in_the_body_is_found(tmp_path, build):
    path = tmp_path / "file.docx"
    path.write_bytes(build())
    assert "word/document.xml" in parts_with(scan_file_parts(path), "id_number")


def test_scan_file_offsets_point_into_the_parts_joined(tmp_path):
    path = tmp_path / "notice.pdf"
    data = hostile.pdf_note()
    path.write_bytes(data)
    text = "\n\n".join(t for _part, t in file_parts(data))
    findings = scan_file(path)
    assert findings
    for f in findings:
        assert text[f.start : f.end].replace("\n", "") == f.text.replace("\n", "")


def test_the_scan_command_reports_what_is_in_the_metadata(tmp_path, db):
    path = tmp_path / "notice.pdf"
    path.write_bytes(hostile.pdf_info())
    out = StringIO()
    call_command("scan", str(path), "--json", stdout=out, stderr=StringIO())
    kinds = {f["kind"] for f in json.loads(out.getvalue())["findings"]}
    assert {"id_number", "mobile"} <= kinds
    assert hostile.ID not in out.getvalue()


def test_part_labels_are_chinese_and_say_where():
    assert part_label("page 3 annotation") == "第 3 页 · 注释"
    assert part_label("earlier revision 1 › page 1") == "早期版本 1 › 第 1 页"
    assert part_label("word/comments.xml").startswith("批注")
    assert part_label("embedded file a.xlsx › xl/sharedStrings.xml").startswith(
        "嵌入文件 a.xlsx › 单元格文字"
    )
