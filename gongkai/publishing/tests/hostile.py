"""Hostile but ordinary files for the publication tests: a name, an identity number (a fake one
with a valid check digit), a mobile and an address planted in one place each of a PDF or a
DOCX, where a reader or a program can get them back. Generated here (PyMuPDF, python-docx,
raw XML edits), so no fixture file hides what it holds.

Kept as one module on purpose (over 500 lines): each format's hostile builders plant the same
values; they are read together.
"""

import io
import re
import tempfile
import zipfile

import docx
import openpyxl
import pymupdf

NAME = "张建国"
ID = "11010519491231002X"
MOBILE = "13912345678"
ADDRESS = "江州市滨江区解放路18号3栋201室"
VALUES = (NAME, ID, MOBILE, ADDRESS)
LINE = f"联系人：{NAME}，身份证号码：{ID}，手机：{MOBILE}，住址：{ADDRESS}。"
LINES = (f"联系人：{NAME}", f"身份证号码：{ID}", f"手机：{MOBILE}", f"住址：{ADDRESS}")
ASCII_LINE = f"ID {ID} mobile {MOBILE}"
TITLE = "关于公布2026年困难学生补助名单的通知"
KEPT = "各学校要认真做好资助工作"

CJK = "china-s"


# ---------------------------------------------------------------- PDF


def _pdf_page(doc, *lines: str, top: float = 80):
    page = doc.new_page(width=595, height=842)
    page.insert_text((40, top), TITLE, fontname=CJK, fontsize=14)
    page.insert_text((40, top + 30), KEPT, fontname=CJK, fontsize=11)
    for i, line in enumerate(lines):
        page.insert_text((40, top + 60 + 18 * i), line, fontname=CJK, fontsize=11)
    return page


def _pdf_bytes(doc) -> bytes:
    data = doc.tobytes()
    doc.close()
    return data


def pdf_page_text() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc, *LINES)
    return _pdf_bytes(doc)


def pdf_info() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    doc.set_metadata({"author": NAME, "title": LINE, "subject": LINE, "keywords": LINE})
    return _pdf_bytes(doc)


def pdf_xmp() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    doc.set_xml_metadata(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:description>{LINE}</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    return _pdf_bytes(doc)


def pdf_page_xmp() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    xref = doc.get_new_xref()
    doc.update_object(xref, "<< /Type /Metadata /Subtype /XML >>")
    doc.update_stream(xref, f"<x:xmpmeta><dc>{LINE}</dc></x:xmpmeta>".encode(), new=True)
    doc.xref_set_key(page.xref, "Metadata", f"{xref} 0 R")
    return _pdf_bytes(doc)


def pdf_note() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    annot = page.add_text_annot((300, 300), LINE)
    annot.set_info(title=NAME, subject=LINE)
    annot.set_popup(pymupdf.Rect(300, 320, 500, 420))
    annot.update()
    return _pdf_bytes(doc)


def pdf_freetext() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    page.add_freetext_annot(pymupdf.Rect(40, 400, 560, 430), ASCII_LINE, fontsize=10)
    return _pdf_bytes(doc)


def pdf_form_field() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    widget = pymupdf.Widget()
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_name = "contact"
    widget.rect = pymupdf.Rect(40, 400, 560, 430)
    widget.field_value = ASCII_LINE
    widget.text_fontsize = 10
    page.add_widget(widget)
    return _pdf_bytes(doc)


def pdf_bookmark() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    doc.set_toc([[1, TITLE, 1], [2, LINE, 1]])
    return _pdf_bytes(doc)


def pdf_embedded_text() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    doc.embfile_add("名单.txt", LINE.encode("utf-8"), filename="名单.txt", desc="补助名单")
    return _pdf_bytes(doc)


def pdf_embedded_docx() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    doc.embfile_add("list.docx", docx_body(), filename="list.docx")
    return _pdf_bytes(doc)


def pdf_file_annotation() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    page.add_file_annot((500, 100), LINE.encode("utf-8"), "contact.txt")
    return _pdf_bytes(doc)


def pdf_javascript() -> bytes:
    doc = pymupdf.open()
    _pdf_page(doc)
    xref = doc.get_new_xref()
    doc.update_object(xref, f"<< /S /JavaScript /JS (app.alert('{ASCII_LINE}');) >>")
    doc.xref_set_key(doc.pdf_catalog(), "OpenAction", f"{xref} 0 R")
    return _pdf_bytes(doc)


def pdf_earlier_revision() -> bytes:
    """The values on the page, then removed by an incremental update (an editor's redaction
    saved incrementally) that leaves them in the file's first revision."""
    doc = pymupdf.open()
    _pdf_page(doc, *LINES)
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/notice.pdf"
        doc.save(path)
        doc.close()
        doc = pymupdf.open(path)
        page = doc[0]
        for line in LINES:
            for rect in page.search_for(line):
                page.add_redact_annot(rect)
        page.apply_redactions()
        doc.saveIncr()
        doc.close()
        with open(path, "rb") as fh:
            data = fh.read()
    assert data.count(b"%%EOF") >= 2
    return data


def pdf_outside_crop_box() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc, top=300)
    for i, line in enumerate(LINES):
        page.insert_text((40, 40 + 18 * i), line, fontname=CJK, fontsize=11)
    page.set_cropbox(pymupdf.Rect(0, 200, 595, 842))
    return _pdf_bytes(doc)


def pdf_hidden_layer() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    ocg = doc.add_ocg("hidden", on=False)
    for i, line in enumerate(LINES):
        page.insert_text((40, 400 + 18 * i), line, fontname=CJK, fontsize=11, oc=ocg)
    return _pdf_bytes(doc)


def pdf_link() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc, *LINES)
    page.insert_link(
        {"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(40, 500, 300, 520), "uri": f"tel:{MOBILE}"}
    )
    return _pdf_bytes(doc)


def pdf_white_text() -> bytes:
    doc = pymupdf.open()
    page = _pdf_page(doc)
    for i, line in enumerate(LINES):
        page.insert_text((40, 400 + 18 * i), line, fontname=CJK, fontsize=11, color=(1, 1, 1))
    return _pdf_bytes(doc)


PDFS = {
    "page text": pdf_page_text,
    "document information": pdf_info,
    "XMP metadata": pdf_xmp,
    "page XMP metadata": pdf_page_xmp,
    "note annotation with popup": pdf_note,
    "free text annotation": pdf_freetext,
    "form field": pdf_form_field,
    "bookmark": pdf_bookmark,
    "embedded text file": pdf_embedded_text,
    "embedded DOCX": pdf_embedded_docx,
    "file attachment annotation": pdf_file_annotation,
    "JavaScript open action": pdf_javascript,
    "earlier revision": pdf_earlier_revision,
    "outside the crop box": pdf_outside_crop_box,
    "hidden layer": pdf_hidden_layer,
    "link target": pdf_link,
    "white text": pdf_white_text,
}


# ---------------------------------------------------------------- DOCX

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _docx(build=None) -> bytes:
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(KEPT)
    if build:
        build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(text: str, props: str = "") -> str:
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _patch(
    data: bytes,
    *,
    body: str = "",
    parts: dict[str, bytes] | None = None,
    rels: list[tuple[str, str, str]] = (),
    overrides: dict[str, str] | None = None,
    defaults: dict[str, str] | None = None,
    settings: str = "",
    package_rels: list[tuple[str, str, str]] = (),
) -> bytes:
    """Raw edits: XML appended to the body (before sectPr), new parts, relationships from the
    main document (id, type, target) or from the package, content types."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    entries = {i.filename: zin.read(i) for i in zin.infolist()}
    if body:
        xml = entries["word/document.xml"].decode()
        xml = xml.replace("<w:sectPr", body + "<w:sectPr", 1)
        entries["word/document.xml"] = xml.encode()
    if settings:
        xml = entries["word/settings.xml"].decode()
        xml = re.sub(r"(<w:settings[^>]*>)", r"\1" + settings, xml, count=1)
        entries["word/settings.xml"] = xml.encode()
    for name, content in (parts or {}).items():
        entries[name] = content
    for rels_name, new in (("word/_rels/document.xml.rels", rels), ("_rels/.rels", package_rels)):
        if new:
            xml = entries[rels_name].decode()
            extra = "".join(
                f'<Relationship Id="{rid}" Type="{RELTYPE + t if "://" not in t else t}" Target="{target}"/>'
                for rid, t, target in new
            )
            entries[rels_name] = xml.replace("</Relationships>", extra + "</Relationships>").encode()
    ct = entries["[Content_Types].xml"].decode()
    for name, content_type in (overrides or {}).items():
        ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
    for ext, content_type in (defaults or {}).items():
        if f'Extension="{ext}"' not in ct:
            ct = ct.replace("</Types>", f'<Default Extension="{ext}" ContentType="{content_type}"/></Types>')
    entries["[Content_Types].xml"] = ct.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, content in entries.items():
            zout.writestr(name, content)
    return out.getvalue()


def _notes(kind: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s xmlns:w="{W}">'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:id="1"><w:p>{_run(LINE)}</w:p></w:{kind}></w:{kind}s>'
    ).encode()


def docx_body() -> bytes:
    return _docx(lambda d: [d.add_paragraph(line) for line in LINES])


def docx_header() -> bytes:
    return _docx(lambda d: setattr(d.sections[0].header.paragraphs[0], "text", LINE))


def docx_footer() -> bytes:
    return _docx(lambda d: setattr(d.sections[0].footer.paragraphs[0], "text", LINE))


def docx_footnote() -> bytes:
    return _patch(
        _docx(),
        body=f'<w:p>{_run("注")}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>',
        parts={"word/footnotes.xml": _notes("footnote")},
        rels=[("rIdFn1", "footnotes", "footnotes.xml")],
        overrides={
            "word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
        },
    )


def docx_endnote() -> bytes:
    return _patch(
        _docx(),
        body=f'<w:p>{_run("注")}<w:r><w:endnoteReference w:id="1"/></w:r></w:p>',
        parts={"word/endnotes.xml": _notes("endnote")},
        rels=[("rIdEn1", "endnotes", "endnotes.xml")],
        overrides={
            "word/endnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
        },
    )


def docx_comment() -> bytes:
    def build(d):
        paragraph = d.add_paragraph("请核对名单")
        d.add_comment(paragraph.runs, text=LINE, author=NAME, initials="ZJG")

    return _docx(build)


def docx_tracked_insertion() -> bytes:
    return _patch(
        _docx(),
        body=f'<w:p><w:ins w:id="91" w:author="{NAME}" w:date="2026-01-01T00:00:00Z">{_run(LINE)}</w:ins></w:p>',
    )


def docx_tracked_deletion() -> bytes:
    return _patch(
        _docx(),
        body=(
            f'<w:p><w:del w:id="92" w:author="{NAME}" w:date="2026-01-01T00:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{LINE}</w:delText></w:r></w:del></w:p>'
        ),
    )


def docx_text_box() -> bytes:
    return _patch(
        _docx(),
        body=(
            '<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:300pt;height:60pt">'
            f"<v:textbox><w:txbxContent><w:p>{_run(LINE)}</w:p></w:txbxContent></v:textbox>"
            "</v:shape></w:pict></w:r></w:p>"
        ),
    )


def docx_field() -> bytes:
    return _patch(
        _docx(),
        body=(
            '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "tel:{MOBILE}" \\o "{ID}" </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{_run("联系电话")}<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        ),
    )


def docx_content_control() -> bytes:
    return _patch(
        _docx(),
        body=(
            f'<w:sdt><w:sdtPr><w:alias w:val="联系人{NAME}"/><w:tag w:val="{ID}"/></w:sdtPr>'
            f"<w:sdtContent><w:p>{_run(LINE)}</w:p></w:sdtContent></w:sdt>"
        ),
    )


def docx_core_properties() -> bytes:
    def build(d):
        props = d.core_properties
        props.author = NAME
        props.last_modified_by = NAME
        props.title = LINE
        props.subject = LINE
        props.comments = LINE
        props.keywords = LINE

    return _docx(build)


def docx_app_properties() -> bytes:
    data = _docx()
    zin = zipfile.ZipFile(io.BytesIO(data))
    app = zin.read("docProps/app.xml").decode()
    app = app.replace(
        "</Properties>", f"<Company>{ADDRESS}</Company><Manager>{NAME} {MOBILE} {ID}</Manager></Properties>"
    )
    return _patch(data, parts={"docProps/app.xml": app.encode()})


def docx_custom_properties() -> bytes:
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="联系人">'
        f"<vt:lpwstr>{LINE}</vt:lpwstr></property></Properties>"
    )
    return _patch(
        _docx(),
        parts={"docProps/custom.xml": custom.encode()},
        package_rels=[("rIdCustom", RELTYPE + "custom-properties", "docProps/custom.xml")],
        overrides={
            "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml"
        },
    )


def _png() -> bytes:
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False)
    pix.clear_with(200)
    return pix.tobytes("png")


def docx_alt_text() -> bytes:
    def build(d):
        d.add_picture(io.BytesIO(_png()))

    data = _docx(build)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    xml = re.sub(r"(<wp:docPr [^>]*?)(/?>)", rf'\1 descr="{LINE}" title="{NAME}"\2', xml, count=1)
    return _patch(data, parts={"word/document.xml": xml.encode()})


def docx_custom_xml() -> bytes:
    return _patch(
        _docx(),
        parts={
            "customXml/item9.xml": f'<?xml version="1.0"?><contact><line>{LINE}</line></contact>'.encode()
        },
        rels=[("rIdCx9", "customXml", "../customXml/item9.xml")],
    )


def docx_glossary() -> bytes:
    glossary = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:glossaryDocument xmlns:w="{W}">'
        f"<w:docParts><w:docPart><w:docPartBody><w:p>{_run(LINE)}</w:p></w:docPartBody></w:docPart></w:docParts>"
        "</w:glossaryDocument>"
    )
    return _patch(
        _docx(),
        parts={"word/glossary/document.xml": glossary.encode()},
        rels=[("rIdGl1", "glossaryDocument", "glossary/document.xml")],
        overrides={
            "word/glossary/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"
        },
    )


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in LINES:
        ws.append([line])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx_embedded_workbook() -> bytes:
    return _patch(
        _docx(),
        parts={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx()},
        rels=[("rIdEmb1", "package", "embeddings/Microsoft_Excel_Worksheet.xlsx")],
        defaults={"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )


def docx_alt_chunk() -> bytes:
    return _patch(
        _docx(),
        body=f'<w:altChunk xmlns:r="{R}" r:id="rIdAf1"/>',
        parts={"word/afchunk1.htm": f"<html><body><p>{LINE}</p></body></html>".encode()},
        rels=[("rIdAf1", "aFChunk", "afchunk1.htm")],
        defaults={"htm": "application/xhtml+xml"},
    )


def docx_hidden_text() -> bytes:
    return _patch(_docx(), body=f"<w:p>{_run(LINE, '<w:rPr><w:vanish/></w:rPr>')}</w:p>")


def docx_document_variable() -> bytes:
    return _patch(_docx(), settings=f'<w:docVars><w:docVar w:name="contact" w:val="{LINE}"/></w:docVars>')


def docx_split_runs() -> bytes:
    return _patch(_docx(), body="<w:p>" + "".join(_run(ch) for ch in LINE) + "</w:p>")


DOCXS = {
    "body": docx_body,
    "header": docx_header,
    "footer": docx_footer,
    "footnote": docx_footnote,
    "endnote": docx_endnote,
    "comment": docx_comment,
    "tracked insertion": docx_tracked_insertion,
    "tracked deletion": docx_tracked_deletion,
    "text box": docx_text_box,
    "field code": docx_field,
    "content control": docx_content_control,
    "core properties": docx_core_properties,
    "app properties": docx_app_properties,
    "custom properties": docx_custom_properties,
    "alt text": docx_alt_text,
    "customXml": docx_custom_xml,
    "glossary": docx_glossary,
    "embedded workbook": docx_embedded_workbook,
    "altChunk": docx_alt_chunk,
    "hidden text": docx_hidden_text,
    "document variable": docx_document_variable,
    "split runs": docx_split_runs,
}
