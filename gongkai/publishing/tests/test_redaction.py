"""Redaction removes the data itself: from published text, from DOCX runs and from PDF content
streams, checked by extracting the text again (python-docx, pypdf, PyMuPDF) and by reading the
raw file. No database.

Kept as one module on purpose (over 500 lines): the text, DOCX and PDF paths are tested side by
side, as redaction.py keeps them.
"""

import io
import zipfile
import zlib

import docx
import pymupdf
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter

from gongkai.catalogue.tests.samples import make_pdf
from gongkai.core.files.redaction import (
    DOCX_CONTENT_TYPE,
    REDACTION_CHAR,
    RedactionError,
    redact_docx,
    redact_file,
    redact_pdf,
    redact_text,
)
from gongkai.core.scan import scan_file

ID = "11010519491231002X"  # a valid resident ID number (check digit X)
MOBILE = "13812345678"
NAME = "张三"
EMAIL = "zhangsan@example.com"
BLACK = REDACTION_CHAR


def squeeze(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- text


def test_redact_text_replaces_each_character_of_a_span():
    text = f"申请人{NAME}，手机{MOBILE}。"
    start = text.index(MOBILE)
    assert (
        redact_text(text, [(3, 5), (start, start + len(MOBILE))]) == f"申请人{BLACK * 2}，手机{BLACK * 11}。"
    )


def test_redact_text_merges_overlapping_and_adjacent_spans_in_any_order():
    assert redact_text("0123456789", [(5, 7), (1, 3), (2, 4), (4, 5)]) == "0■■■■■■789"
    assert redact_text("0123456789", [(0, 10), (3, 4)]) == BLACK * 10


def test_redact_text_with_no_or_empty_spans_returns_the_text():
    assert redact_text("公开", []) == "公开"
    assert redact_text("公开", [(1, 1)]) == "公开"


@pytest.mark.parametrize("span", [(-1, 2), (2, 11), (5, 3), (0, 11)])
def test_redact_text_rejects_a_span_outside_the_text(span):
    with pytest.raises(ValueError):
        redact_text("0123456789", [span])


def test_a_plain_text_file_keeps_its_encoding_and_line_ends():
    data = f"申请人：{NAME}\r\n电话：{MOBILE}\r\n".encode("gb18030")
    out = redact_file(data, "text/plain; charset=gb18030", [NAME, MOBILE])
    assert out.decode("gb18030") == f"申请人：{BLACK * 2}\r\n电话：{BLACK * 11}\r\n"


def test_a_needle_that_wraps_in_a_text_file_keeps_the_line_break():
    data = "住址：北京市朝阳区\n某某路1号\n".encode()
    out = redact_file(data, "text/plain", ["北京市朝阳区 某某路1号"])
    assert out.decode() == f"住址：{BLACK * 6}\n{BLACK * 5}\n"


def test_a_needle_missing_from_a_text_file_is_an_error():
    with pytest.raises(RedactionError) as exc:
        redact_file(b"nothing here", "text/plain", [MOBILE])
    assert exc.value.needle == MOBILE
    assert MOBILE not in str(exc.value)


def test_an_unsupported_type_is_an_error():
    with pytest.raises(RedactionError, match="不支持"):
        redact_file(b"\x89PNG", "image/png", [MOBILE])


# ---------------------------------------------------------------- DOCX


def docx_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """Every paragraph python-docx reads: body, tables, headers and footers."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def assert_nowhere_in_zip(data: bytes, *needles: str) -> None:
    for name, content in zip_members(data).items():
        for needle in needles:
            assert needle.encode() not in content, f"{needle} left in {name}"


def test_docx_redaction_removes_the_values_and_keeps_the_rest():
    document = docx.Document()
    document.add_paragraph(f"申请人{NAME}，身份证号码{ID}，联系电话{MOBILE}。")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "姓名", (0, 1): "手机", (1, 0): NAME, (1, 1): MOBILE}.items():
        table.cell(r, c).text = value
    document.sections[0].header.paragraphs[0].text = f"经办人：{NAME}"
    document.sections[0].footer.paragraphs[0].text = f"咨询电话：{MOBILE}"
    document.core_properties.title = f"关于{NAME}申请的答复"

    out = redact_docx(docx_bytes(document), [NAME, ID, MOBILE])

    text = docx_text(out)
    for needle in (NAME, ID, MOBILE):
        assert needle not in text
    assert f"申请人{BLACK * 2}，身份证号码{BLACK * 18}，联系电话{BLACK * 11}。" in text
    assert "姓名" in text and "手机" in text
    assert f"经办人：{BLACK * 2}" in text and f"咨询电话：{BLACK * 11}" in text
    assert_nowhere_in_zip(out, NAME, ID, MOBILE)


def test_docx_needle_split_across_runs_is_redacted_and_formatting_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("电话：")
    for piece, bold in (("138", False), ("1234", True), ("5678", False)):
        paragraph.add_run(piece).bold = bold
    tail = paragraph.add_run("（工作日）")
    tail.font.size = Pt(14)
    # The scanner's finding: Word split the number where the formatting changes.
    assert MOBILE in docx_text(docx_bytes(document))

    out = redact_docx(docx_bytes(document), [MOBILE])

    runs = docx.Document(io.BytesIO(out)).paragraphs[0].runs
    assert [(run.text, run.bold) for run in runs] == [
        ("电话：", None),
        (BLACK * 3, False),
        (BLACK * 4, True),
        (BLACK * 4, False),
        ("（工作日）", None),
    ]
    assert runs[-1].font.size == Pt(14)
    assert_nowhere_in_zip(out, MOBILE, "1234")


def test_docx_text_boxes_tracked_deletions_and_hyperlink_targets_are_redacted():
    document = docx.Document()
    box = document.add_paragraph("见文本框：")
    box.add_run()._r.append(
        parse_xml(
            f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
            "<v:shape><v:textbox><w:txbxContent>"
            f"<w:p><w:r><w:t>联系人{NAME}</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict>"
        )
    )
    # A tracked deletion keeps the deleted text in the file, and the reviser's name.
    document.add_paragraph("原电话：")._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="王五" w:date="2025-01-01T00:00:00Z">'
            f"<w:r><w:delText>{MOBILE}</w:delText></w:r></w:del>"
        )
    )
    link = document.add_paragraph("邮箱：")
    r_id = document.part.relate_to(f"mailto:{EMAIL}", RT.HYPERLINK, is_external=True)
    link._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t>{EMAIL}</w:t></w:r></w:hyperlink>'
        )
    )

    out = redact_docx(docx_bytes(document), [NAME, MOBILE, EMAIL])

    assert_nowhere_in_zip(out, NAME, MOBILE, EMAIL, "王五")
    members = zip_members(out)
    assert f"联系人{BLACK * 2}".encode() in members["word/document.xml"]
    assert f"<w:delText>{BLACK * 11}</w:delText>".encode() in members["word/document.xml"]
    assert "见文本框：" in docx_text(out) and "邮箱：" in docx_text(out)


def test_docx_comments_and_author_properties_are_removed():
    document = docx.Document()
    paragraph = document.add_paragraph("本决定自公布之日起施行。")
    document.add_comment(paragraph.runs, text="请核对日期", author="李科长", initials="LK")
    document.core_properties.author = "赵六"
    document.core_properties.last_modified_by = "钱七"
    document.core_properties.title = "施行决定"
    data = docx_bytes(document)
    assert any("comments" in name for name in zip_members(data))

    out = redact_docx(data, [])

    members = zip_members(out)
    assert not [name for name in members if "comments" in name]
    assert b"commentReference" not in members["word/document.xml"]
    assert b"commentRange" not in members["word/document.xml"]
    assert_nowhere_in_zip(out, "李科长", "请核对日期", "赵六", "钱七")
    redacted = docx.Document(io.BytesIO(out))
    assert redacted.core_properties.author == "" and redacted.core_properties.last_modified_by == ""
    assert redacted.core_properties.title == "施行决定"
    assert redacted.paragraphs[0].text == "本决定自公布之日起施行。"


def test_docx_needle_that_is_not_there_is_an_error_naming_it_masked():
    data = docx_bytes(docx.Document())
    with pytest.raises(RedactionError) as exc:
        redact_docx(data, [ID])
    assert exc.value.needle == ID
    assert ID not in str(exc.value) and "未能在文件中找到" in str(exc.value)


@pytest.mark.parametrize("data", [b"PK\x03\x04not really a zip", b"", make_pdf("不是 Word 文档")])
def test_a_corrupt_docx_is_an_error(data):
    with pytest.raises(RedactionError, match="无法打开"):
        redact_docx(data, [MOBILE])


# ---------------------------------------------------------------- PDF


def pymupdf_pdf(*lines: str, lineheight: float = 1.5, metadata: dict | None = None, **text_options) -> bytes:
    """A one-page PDF drawn by PyMuPDF with its built-in Simplified Chinese font."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text(
        (72, 72), "\n".join(lines), fontname="china-s", fontsize=11, lineheight=lineheight, **text_options
    )
    if metadata:
        doc.set_metadata(metadata)
    return doc.tobytes()


def pdf_texts(data: bytes) -> tuple[str, str]:
    """The text as PyMuPDF and as pypdf (the pre-scan's reader) extract it."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        by_pymupdf = "\n".join(page.get_text() for page in doc)
    by_pypdf = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return by_pymupdf, by_pypdf


def pdf_raw(data: bytes) -> bytes:
    """Every object of the file with its streams decompressed."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        chunks = []
        for xref in range(1, doc.xref_length()):
            chunks.append(doc.xref_object(xref).encode("latin-1", "replace"))
            if doc.xref_is_stream(xref):
                chunks.append(doc.xref_stream(xref))
    return b"\n".join(chunks)


def test_pdf_redaction_removes_the_text_not_just_covers_it():
    data = pymupdf_pdf(
        f"申请人{NAME}，身份证号码{ID}，",
        f"联系电话{MOBILE}，特此公告。",
        "李四同志不在遮盖之列。",
        lineheight=1.0,  # tight leading: the lines' boxes overlap
        metadata={"author": "王五", "title": f"关于{NAME}的决定", "keywords": MOBILE},
    )
    before_pymupdf, before_pypdf = pdf_texts(data)
    assert all(squeeze(n) in squeeze(before_pypdf) for n in (NAME, ID, MOBILE))
    assert MOBILE.encode() in pdf_raw(data)  # in the metadata

    out = redact_pdf(data, [NAME, ID, MOBILE])

    for text in pdf_texts(out):
        flat = squeeze(text)
        for needle in (NAME, ID, MOBILE):
            assert needle not in flat
        assert "申请人，身份证号码，" in flat
        assert "联系电话，特此公告。" in flat
        assert "李四同志不在遮盖之列。" in flat
    raw = pdf_raw(out)
    assert ID.encode() not in raw and MOBILE.encode() not in raw
    with pymupdf.open(stream=out, filetype="pdf") as doc:
        assert not any(doc.metadata.get(key) for key in ("author", "title", "keywords", "producer"))
        assert doc.xref_xml_metadata() == 0
        assert not list(doc[0].annots())  # the redaction annotations were applied, not left
        # A black box where the value was.
        box = doc[0].search_for("申请人")[0]
        pixmap = doc[0].get_pixmap(clip=pymupdf.Rect(box.x1 + 2, box.y0 + 3, box.x1 + 8, box.y1 - 3))
        assert set(pixmap.samples) == {0}


def test_pdf_needle_wrapped_over_two_lines_is_removed_from_both():
    data = pymupdf_pdf("咨询电话138123", "45678（工作日）")
    out = redact_pdf(data, [MOBILE])
    for text in pdf_texts(out):
        assert "138123" not in text and "45678" not in text
        assert "咨询电话" in text and "（工作日）" in text


def test_pdf_is_redacted_until_the_prescan_finds_nothing(tmp_path):
    path = tmp_path / "decision.pdf"
    path.write_bytes(pymupdf_pdf("行政处罚决定书", f"当事人手机：{MOBILE}", f"身份证号码：{ID}"))
    needles = [finding.text for finding in scan_file(path)]
    assert sorted(needles) == sorted([MOBILE, ID])

    path.write_bytes(redact_pdf(path.read_bytes(), needles))

    assert scan_file(path) == []
    assert "行政处罚决定书" in pdf_texts(path.read_bytes())[1]


def test_pdf_text_the_prescan_reads_but_pymupdf_cannot_place_is_an_error():
    # The catalogue's sample PDF names a CID font without the CIDSystemInfo it requires:
    # pypdf (the pre-scan) reads its text through the ToUnicode map, MuPDF cannot, so
    # page.search_for finds nothing. Silence would publish the number: it is an error.
    data = make_pdf("行政处罚决定书", f"当事人手机：{MOBILE}")
    assert MOBILE in pdf_texts(data)[1]
    with pytest.raises(RedactionError) as exc:
        redact_pdf(data, [MOBILE])
    assert exc.value.needle == MOBILE and "无法确定它在页面上的位置" in str(exc.value)


def test_pdf_invisible_text_layer_of_a_scan_is_removed():
    data = pymupdf_pdf(f"联系人{NAME}", render_mode=3)  # OCR text over a scanned image
    out = redact_pdf(data, [NAME])
    for text in pdf_texts(out):
        assert NAME not in text and "联系人" in text


def test_pdf_scan_pixels_under_the_value_are_blanked():
    doc = pymupdf.open()
    page = doc.new_page()
    gray = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 40), False)
    gray.set_rect(gray.irect, (200, 200, 200))
    page.insert_image(pymupdf.Rect(72, 60, 472, 100), pixmap=gray)  # one image pixel per point
    page.insert_text((80, 85), f"联系人{NAME}（扫描件）", fontname="china-s", fontsize=11, render_mode=3)

    out = redact_pdf(doc.tobytes(), [NAME])

    with pymupdf.open(stream=out, filetype="pdf") as redacted:
        image = pymupdf.Pixmap(redacted, redacted[0].get_images()[0][0])
        name_x = 80 + 3 * 11 + 11 - 72  # the middle of the name, in image pixels
        assert image.pixel(name_x, 20) != (200, 200, 200)
        assert image.pixel(5, 20) == (200, 200, 200) and image.pixel(300, 20) == (200, 200, 200)
        assert "联系人" in redacted[0].get_text() and NAME not in redacted[0].get_text()


def test_pdf_text_inside_a_form_xobject_shared_by_pages_is_removed():
    stamp = pymupdf.open()
    stamp.new_page().insert_text((72, 72), f"经办人{NAME}，电话{MOBILE}", fontname="china-s", fontsize=11)
    doc = pymupdf.open()
    for _ in range(2):
        page = doc.new_page()
        page.show_pdf_page(page.rect, stamp, 0)  # the same Form XObject on both pages

    out = redact_pdf(doc.tobytes(), [NAME, MOBILE])

    for text in pdf_texts(out):
        assert NAME not in text and MOBILE not in text and text.count("经办人") == 2


def test_pdf_notes_and_links_naming_the_value_are_removed():
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), f"邮箱{EMAIL}", fontname="china-s", fontsize=11)
    page.add_text_annot((300, 300), f"请联系{EMAIL}")
    page.insert_link(
        {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 60, 250, 75), "uri": f"mailto:{EMAIL}"}
    )
    doc.set_toc([[1, f"联系邮箱 {EMAIL}", 1]])
    data = doc.tobytes()
    assert EMAIL.encode() in pdf_raw(data)

    out = redact_pdf(data, [EMAIL])

    assert EMAIL.encode() not in pdf_raw(out)
    with pymupdf.open(stream=out, filetype="pdf") as redacted:
        assert not list(redacted[0].annots()) and not redacted[0].get_links()
        assert redacted.get_toc()[0][1].startswith("联系邮箱 ")
        assert "邮箱" in redacted[0].get_text()


def test_pdf_needle_that_is_not_there_is_an_error():
    with pytest.raises(RedactionError) as exc:
        redact_pdf(pymupdf_pdf("本页没有个人信息。"), [ID])
    assert exc.value.needle == ID and ID not in str(exc.value)


def test_pdf_needle_the_prescan_reads_but_the_page_does_not_show_is_an_error():
    # Text placed off the page: pypdf (the pre-scan) extracts it, the page search cannot find
    # it, so it cannot be located and removed; the reviewer must be told.
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "正文内容。", fontname="china-s", fontsize=11)
    page.insert_text((72, -40), f"手机{MOBILE}", fontname="china-s", fontsize=11)
    data = doc.tobytes()
    assert MOBILE in pdf_texts(data)[1] and not page.search_for(MOBILE)
    with pytest.raises(RedactionError) as exc:
        redact_pdf(data, [MOBILE])
    assert exc.value.needle == MOBILE


def encrypted(data: bytes, *, user_pw: str = "", owner_pw: str = "owner") -> bytes:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw=owner_pw)


@pytest.mark.parametrize(
    "data",
    [
        make_pdf(f"手机{MOBILE}", user_password="s3cret"),  # RC4, as pypdf writes it
        encrypted(pymupdf_pdf(f"手机{MOBILE}"), user_pw="s3cret"),  # AES-256
    ],
)
def test_an_encrypted_pdf_is_an_error(data):
    with pytest.raises(RedactionError, match="加密"):
        redact_pdf(data, [MOBILE])


def test_a_pdf_with_only_an_owner_password_is_redacted_and_saved_unencrypted():
    # Printing restrictions only: anyone can open and read it, so it can be redacted.
    out = redact_pdf(encrypted(pymupdf_pdf(f"手机{MOBILE}")), [MOBILE])
    assert not PdfReader(io.BytesIO(out)).is_encrypted
    assert MOBILE not in pdf_texts(out)[1]


def literal_text_pdf(text: str, **metadata) -> bytes:
    """A PDF whose content stream shows ``text`` as a literal string, as many producers write
    Latin text, so that the value is in the file's bytes."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "x", fontname="helv", fontsize=11)  # adds the font resource
    doc.update_stream(page.get_contents()[0], f"BT /helv 11 Tf 72 770 Td ({text}) Tj ET".encode())
    doc.set_metadata(metadata)
    return doc.tobytes()


def test_an_earlier_revision_of_the_pdf_does_not_survive():
    # An incremental update leaves the earlier objects in the file; the redacted copy is
    # written anew, so nothing only an earlier revision used is kept.
    writer = PdfWriter(io.BytesIO(literal_text_pdf(f"Tel {MOBILE} ok", keywords=MOBILE)), incremental=True)
    writer.add_metadata({"/Keywords": "revised"})
    revised = io.BytesIO()
    writer.write(revised)
    assert revised.getvalue().count(MOBILE.encode()) >= 2

    out = redact_pdf(revised.getvalue(), [MOBILE])

    assert MOBILE.encode() not in out and MOBILE.encode() not in pdf_raw(out)
    assert squeeze(pdf_texts(out)[1]) == "Telok"


def test_a_value_left_where_no_extraction_looks_is_an_error():
    # The number also sits in a private key of the catalogue: page redaction cannot reach
    # it, the check of the finished file's objects does.
    with pymupdf.open(stream=literal_text_pdf(f"Tel {MOBILE}"), filetype="pdf") as doc:
        doc.xref_set_key(doc.pdf_catalog(), "GongkaiNote", f"({MOBILE})")
        data = doc.tobytes()
    with pytest.raises(RedactionError, match="仍能从文件中读取") as exc:
        redact_pdf(data, [MOBILE])
    assert exc.value.needle == MOBILE


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
        b"not a pdf at all",
        b"",
        zlib.compress(b"%PDF-1.4 garbage"),
    ],
)
def test_a_corrupt_pdf_is_an_error(data):
    with pytest.raises(RedactionError):
        redact_pdf(data, [MOBILE])


# ---------------------------------------------------------------- dispatch


def test_redact_file_dispatches_by_content_type():
    pdf = redact_file(pymupdf_pdf(f"手机{MOBILE}"), "application/pdf", [MOBILE])
    assert MOBILE not in pdf_texts(pdf)[0]
    document = docx.Document()
    document.add_paragraph(f"手机{MOBILE}")
    out = redact_file(docx_bytes(document), DOCX_CONTENT_TYPE, [MOBILE])
    assert docx.Document(io.BytesIO(out)).paragraphs[0].text == f"手机{BLACK * 11}"
    assert redact_file(f"手机{MOBILE}".encode(), "TEXT/PLAIN", [MOBILE]).decode() == f"手机{BLACK * 11}"


def test_an_empty_needle_is_a_programming_error():
    with pytest.raises(ValueError):
        redact_file(b"text", "text/plain", [" "])
