"""Every part of a file, as text, for the pre-scan: ``extract_parts(kind, data)`` yields
(part name, text) pairs so that a finding can say where it is.

A value anywhere in a published file is published, so the pre-scan reads every place a reader
(or a program) can get text from, not only what a page shows:

- PDF (PyMuPDF): the page text of every page (also outside the crop box), the document
  information dictionary and the XMP metadata (document and page level), annotations with
  their contents, titles and popups, form fields (names, values, choices), bookmarks, link
  targets, embedded files (read as files of their own, recursively), every string of every
  object (JavaScript, alternate text, structure tree) and every earlier revision that an
  incremental update left in the file (the file cut at each ``%%EOF``).
- DOCX and other OOXML packages (raw zip + XML, so nothing the object model skips is missed):
  every XML part (body, headers, footers, footnotes, endnotes, comments, tracked insertions
  and deletions, text boxes, fields, content controls, core/app/custom properties, customXml,
  glossary, settings' document variables, charts), alt text and titles, external link
  targets, altChunk HTML, and embedded workbooks and documents (recursively).
- Plain text: the decoded text. XLSX and OFD: their XML parts (XLSX) or extracted text (OFD).

Part names are stable identifiers in English (``page 3``, ``word/footnotes.xml``,
``embedded file a.docx › word/document.xml``); ``part_label`` gives the Chinese label shown
to staff.
"""

import html
import io
import re
import zipfile
from collections.abc import Iterator

from lxml import etree

from gongkai.core.files.extract import AttachmentError, extract_text
from gongkai.core.files.kinds import detect_kind

MAX_DEPTH = 3  # embedded files inside embedded files inside …
MAX_REVISIONS = 20
MAX_ENTRY_BYTES = 200 * 1024 * 1024  # an uncompressed zip entry larger than this is not read
SEPARATOR = " › "

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Elements whose text is document text inside a paragraph.
_TEXT_TAGS = {f"{{{W_NS}}}t", f"{{{W_NS}}}delText", f"{{{W_NS}}}instrText", f"{{{W_NS}}}delInstrText"}
_BREAK_TAGS = {f"{{{W_NS}}}tab": "\t", f"{{{W_NS}}}br": "\n", f"{{{W_NS}}}cr": "\n"}
_PARAGRAPH_TAGS = {f"{{{W_NS}}}p", "{http://schemas.openxmlformats.org/drawingml/2006/main}p"}
# Attributes that carry text a person wrote (alt text, titles, link targets, content control
# names, document variables); identifiers, sizes and revision ids are left out as noise.
_TEXT_ATTRIBUTES = {"descr", "title", "Target", "alias", "tag", "name", "val", "lastValue"}
_VAL_PARENTS = {
    "docVar",
    "alias",
    "tag",
    "textInput",
    "default",
    "listEntry",
    "ddList",
    "statusText",
    "helpText",
}
_NAME_PARENTS = {"docPr", "cNvPr", "docVar"}


class PartsError(Exception):
    """The file cannot be read part by part (corrupt, encrypted); the message says why."""


def extract_parts(kind: str, data: bytes, *, depth: int = 0) -> list[tuple[str, str]]:
    """(part name, text) for every part of a file of ``kind`` ("pdf", "docx", "xlsx", "txt",
    "ofd"); parts without text are left out. Raises PartsError for a file that cannot be read."""
    if kind == "pdf":
        return list(_pdf_parts(data, depth))
    if kind in ("docx", "xlsx"):
        return list(_ooxml_parts(data, depth))
    try:
        text, _truncated = extract_text(kind, data, max_bytes=None, seconds=None)
    except AttachmentError as exc:
        raise PartsError(str(exc)) from exc
    return [("text", text)] if text.strip() else []


def _embedded(name: str, data: bytes, depth: int) -> Iterator[tuple[str, str]]:
    """The parts of a file embedded in another one, named after it."""
    prefix = f"embedded file {name}"
    if depth >= MAX_DEPTH:
        yield prefix, _strings(data)
        return
    try:
        kind = detect_kind(data)
    except Exception:
        kind = None
    if kind in ("pdf", "docx", "xlsx", "txt", "ofd"):
        try:
            for part, text in extract_parts(kind, data, depth=depth + 1):
                yield f"{prefix}{SEPARATOR}{part}", text
            return
        except PartsError:
            pass
    if data[:2] == b"PK":
        try:
            for part, text in _ooxml_parts(data, depth + 1):
                yield f"{prefix}{SEPARATOR}{part}", text
            return
        except PartsError:
            pass
    yield prefix, _strings(data)


def _strings(data: bytes) -> str:
    """Readable strings of a binary (an OLE object, an unknown embedded file): runs of
    printable ASCII, UTF-16LE and UTF-8 text."""
    text = "\n".join(s.decode("latin-1") for s in re.findall(rb"[\x20-\x7e]{5,}", data))
    cjk = re.compile(r"[\u3400-\u9fff\uff00-\uffef0-9A-Za-z@.\-：:（）()·\s]{4,}")
    extra = [
        m
        for source in (data.decode("utf-16-le", "ignore"), data.decode("utf-8", "ignore"))
        for m in cjk.findall(source)
        if m.strip()
    ]
    return "\n".join([text, *extra])


# ---------------------------------------------------------------- PDF


def _open_pdf(data: bytes):
    # PyMuPDF only when a PDF is scanned: importing it at start-up grows every worker by ~370 MB
    # of address space, which the extraction child's memory budget is counted from (core/files/extract.py).
    import pymupdf

    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise PartsError(f"PDF cannot be opened: {type(exc).__name__}") from exc
    if doc.needs_pass and not doc.authenticate(""):
        doc.close()
        raise PartsError("PDF is encrypted")
    return doc


def _xml_text(xml: str | bytes) -> str:
    """The text nodes and attribute values of an XML fragment (XMP metadata), one per line."""
    if not xml:
        return ""
    if isinstance(xml, str):
        xml = xml.encode("utf-8", "replace")
    try:
        root = etree.fromstring(xml, _XML_PARSER)
    except etree.XMLSyntaxError:
        return re.sub(r"<[^>]*>", "\n", xml.decode("utf-8", "replace"))
    if root is None:
        return ""
    lines = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for value in element.attrib.values():
            lines.append(value)
        if element.text and element.text.strip():
            lines.append(element.text)
    return "\n".join(lines)


def _pdf_document_parts(doc, data: bytes, depth: int, *, with_objects: bool) -> Iterator[tuple[str, str]]:
    import pymupdf

    yield "metadata", "\n".join(str(v) for v in (doc.metadata or {}).values() if v)
    yield "XMP metadata", _xml_text(doc.get_xml_metadata())
    covered: set[str] = set()
    page_texts = _pypdf_page_texts(data)
    for number, page in enumerate(doc, start=1):
        where = f"page {number}"
        # pypdf reads the text the way the search index does (ToUnicode maps, text outside
        # the crop box and in hidden layers too); PyMuPDF's reading is added where it differs.
        text = page_texts[number - 1] if number <= len(page_texts) else ""
        other = page.get_text("text", clip=page.mediabox if page.rotation == 0 else None)
        squeezed = "".join(text.split())
        extra = [line for line in other.splitlines() if "".join(line.split()) not in squeezed]
        yield where, "\n".join([text, *extra]) if extra else text
        page_xmp = doc.xref_get_key(page.xref, "Metadata")
        if page_xmp[0] == "xref":
            xref = int(page_xmp[1].split()[0])
            yield f"{where} XMP metadata", _xml_text(doc.xref_stream(xref) or b"")
        for annot in page.annots():
            info = annot.info
            values = [info.get(k, "") for k in ("content", "title", "subject", "name")]
            try:
                values.append(annot.get_text("text") if annot.type[0] == pymupdf.PDF_ANNOT_FREE_TEXT else "")
            except Exception:
                pass
            covered.update(v for v in values if v)
            yield f"{where} annotation", "\n".join(v for v in values if v)
            if annot.type[0] == pymupdf.PDF_ANNOT_FILE_ATTACHMENT:
                try:
                    file_info = annot.file_info
                    yield from _embedded(file_info.get("filename", "attachment"), annot.get_file(), depth)
                except Exception:
                    pass
        for widget in page.widgets():
            values = [widget.field_name, widget.field_label, widget.field_value]
            values += [str(v) for v in (widget.choice_values or ())]
            values = [str(v) for v in values if v not in (None, "", False, True)]
            covered.update(values)
            yield f"{where} form field", "\n".join(values)
        links = [str(link.get(k)) for link in page.get_links() for k in ("uri", "file") if link.get(k)]
        yield f"{where} links", "\n".join(links)
    yield "bookmarks", "\n".join(entry[1] for entry in doc.get_toc(simple=True))
    for name in doc.embfile_names():
        try:
            info = doc.embfile_info(name)
            yield (
                "embedded file description",
                "\n".join(str(info.get(k) or "") for k in ("filename", "ufilename", "description")),
            )
            yield from _embedded(
                info.get("ufilename") or info.get("filename") or name, doc.embfile_get(name), depth
            )
        except Exception:
            yield f"embedded file {name}", ""
    if with_objects:
        yield "other objects", _pdf_object_strings(doc, covered)


def _pdf_object_strings(doc, covered: set[str]) -> str:
    """Every string value of every object (JavaScript, alternate text, structure tree, names,
    form values), and scripts' streams; what another part already yielded is left out."""
    lines = []
    for xref in range(1, doc.xref_length()):
        try:
            keys = doc.xref_get_keys(xref)
        except Exception:
            continue
        for key in keys:
            try:
                kind, value = doc.xref_get_key(xref, key)
            except Exception:
                continue
            if kind == "string" and value and value not in covered:
                lines.append(value)
            elif key == "JS" and kind == "xref":
                try:
                    lines.append((doc.xref_stream(int(value.split()[0])) or b"").decode("latin-1"))
                except Exception:
                    pass
    return "\n".join(lines)


def _pypdf_page_texts(data: bytes) -> list[str]:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise PartsError("PDF is encrypted")
        return [page.extract_text() or "" for page in reader.pages]
    except PartsError:
        raise
    except Exception as exc:
        raise PartsError(f"PDF is corrupt or malformed: {type(exc).__name__}") from exc


def _revisions(data: bytes) -> list[bytes]:
    """The file as it was before each incremental update: cut after each ``%%EOF`` but the last."""
    ends = [m.end() for m in re.finditer(rb"%%EOF[\r\n]*", data)]
    return [data[:end] for end in ends[:-1]][-MAX_REVISIONS:]


def _pdf_parts(data: bytes, depth: int) -> Iterator[tuple[str, str]]:
    doc = _open_pdf(data)
    try:
        yield from _pdf_document_parts(doc, data, depth, with_objects=True)
    finally:
        doc.close()
    for number, earlier in enumerate(_revisions(data), start=1):
        try:
            old = _open_pdf(earlier)
        except PartsError:
            continue
        try:
            for part, text in _pdf_document_parts(old, earlier, depth, with_objects=True):
                yield f"earlier revision {number}{SEPARATOR}{part}", text
        except Exception:
            continue
        finally:
            old.close()


# ---------------------------------------------------------------- OOXML (DOCX, XLSX)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _paragraph_text(p) -> str:
    """The text of one paragraph (WordprocessingML or DrawingML), without that of paragraphs
    nested in it (text boxes, which are paragraphs of their own)."""
    out: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _PARAGRAPH_TAGS:
                continue
            if tag in _TEXT_TAGS or tag == "{http://schemas.openxmlformats.org/drawingml/2006/main}t":
                out.append(child.text or "")
            elif tag in _BREAK_TAGS:
                out.append(_BREAK_TAGS[tag])
            elif isinstance(tag, str):
                walk(child)

    walk(p)
    return "".join(out)


def ooxml_xml_text(raw: bytes) -> str:
    """The text of one XML part: its paragraphs, one per line, then every other text node and
    the attributes that hold text (alt text, titles, targets, document variables)."""
    try:
        root = etree.fromstring(raw, _XML_PARSER)
    except etree.XMLSyntaxError:
        return re.sub(r"<[^>]*>", "\n", raw.decode("utf-8", "replace"))
    if root is None:
        return ""
    lines = [_paragraph_text(p) for p in root.iter(*_PARAGRAPH_TAGS)]
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = _local(element.tag)
        outside = (
            element.tag not in _PARAGRAPH_TAGS and next(element.iterancestors(*_PARAGRAPH_TAGS), None) is None
        )
        if outside and element.text and element.text.strip():
            lines.append(element.text)
        if element.tail and element.tail.strip():
            lines.append(element.tail)
        for name, value in element.attrib.items():
            attr = _local(name)
            if attr not in _TEXT_ATTRIBUTES or not value.strip():
                continue
            if attr == "val" and local not in _VAL_PARENTS:
                continue
            if attr == "name" and local not in _NAME_PARENTS:
                continue
            if attr == "Target" and element.get("TargetMode") != "External":
                continue
            lines.append(value)
    return "\n".join(line for line in lines if line.strip())


def _html_text(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", text)
    text = re.sub(r"<[^>]+>", "\n", text)
    return html.unescape(text)


def _ooxml_parts(data: bytes, depth: int) -> Iterator[tuple[str, str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PartsError(f"not a readable zip package: {exc}") from exc
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if info.file_size > MAX_ENTRY_BYTES:
            yield name, ""
            continue
        try:
            raw = zf.read(info)
        except Exception as exc:
            raise PartsError(f"{name} cannot be read: {type(exc).__name__}") from exc
        lower = name.lower()
        if lower.endswith((".xml", ".rels", ".vml")) or raw.lstrip()[:5] == b"<?xml":
            yield name, ooxml_xml_text(raw)
        elif lower.endswith((".htm", ".html", ".mht", ".mhtml", ".xhtml")):
            yield name, _html_text(raw)
        elif lower.endswith((".txt", ".rtf")):
            yield name, raw.decode("utf-8", "replace")
        elif "/embeddings/" in lower or "/activex/" in lower or lower.endswith(".bin"):
            yield from _embedded(name.rsplit("/", 1)[-1], raw, depth)
        # Pictures, fonts and thumbnails hold no extractable text (pictures are reviewed).


# ---------------------------------------------------------------- labels

_DOCX_LABELS = (
    ("word/document.xml", "正文"),
    ("word/header", "页眉"),
    ("word/footer", "页脚"),
    ("word/footnotes", "脚注"),
    ("word/endnotes", "尾注"),
    ("word/comments", "批注"),
    ("word/people", "批注作者"),
    ("word/glossary", "文档部件（词汇表）"),
    ("word/settings", "文档设置（文档变量）"),
    ("word/charts", "图表"),
    ("word/embeddings", "嵌入对象"),
    ("word/fonts", "字体"),
    ("word/media", "图片"),
    ("docprops/core", "文档属性"),
    ("docprops/app", "应用程序属性"),
    ("docprops/custom", "自定义属性"),
    ("customxml", "自定义 XML 数据"),
    ("xl/sharedstrings", "单元格文字"),
    ("xl/worksheets", "工作表"),
)
_PDF_LABELS = (
    ("metadata", "文档信息（元数据）"),
    ("XMP metadata", "XMP 元数据"),
    ("bookmarks", "书签"),
    ("embedded file", "嵌入文件"),
    ("other objects", "其他对象（脚本、替代文字等）"),
    ("text", "文本"),
    ("pdftotext", "页面文字（pdftotext）"),
    ("pdfinfo -meta", "XMP 元数据（pdfinfo）"),
    ("pdfinfo", "文档信息（pdfinfo）"),
    ("pdfdetach", "嵌入文件列表（pdfdetach）"),
    ("raw bytes", "文件原始字节"),
)


def part_label(part: str) -> str:
    """A Chinese label for a part name, for staff pages and refusals ("第 3 页 · 批注")."""
    pieces = []
    for piece in part.split(SEPARATOR):
        m = re.fullmatch(r"earlier revision (\d+)", piece)
        if m:
            pieces.append(f"早期版本 {m.group(1)}")
            continue
        m = re.fullmatch(r"page (\d+)(?: (.*))?", piece)
        if m:
            extra = {
                None: "",
                "annotation": " · 注释",
                "form field": " · 表单域",
                "links": " · 链接",
                "XMP metadata": " · XMP 元数据",
                "OCR": " · 图片文字识别",  # text read by OCR from a picture (publishing/ocr.py)
            }.get(m.group(2), f" · {m.group(2)}")
            pieces.append(f"第 {m.group(1)} 页{extra}")
            continue
        m = re.fullmatch(r"object (\d+)( stream)?", piece)
        if m:
            pieces.append(f"PDF 对象 {m.group(1)}" + ("（数据流）" if m.group(2) else ""))
            continue
        if piece.startswith("embedded file "):
            pieces.append(f"嵌入文件 {piece[len('embedded file ') :]}")
            continue
        lower = piece.lower()
        label = next((lab for key, lab in _DOCX_LABELS if lower.startswith(key)), None)
        if label is not None:
            pieces.append(f"{label}（{piece}）")  # the zip path says which header, which note
            continue
        pieces.append(next((lab for key, lab in _PDF_LABELS if piece.startswith(key)), piece))
    return SEPARATOR.join(pieces)
