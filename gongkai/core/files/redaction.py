"""Redaction (遮盖) of what the pre-scan found and the reviewer chose to remove before publication.

Pure functions, no database. Redaction removes the data: published text gets ■ in place of each
character; DOCX text is rewritten run by run; PDF text is deleted from the content streams
(MuPDF redactions), image pixels under it are blanked and a black box drawn where it was. The
result is checked by extracting its text again the way the pre-scan does (``extract_text``) and
with PyMuPDF: a needle that cannot be found, or that can still be read afterwards, raises
RedactionError so that the reviewer is told instead of unredacted data being published.

Needles are matched everywhere in the file, ignoring ASCII case and full-width/half-width forms
(``１３８…`` is ``138…``), and a needle's whitespace may match any whitespace or none. In a PDF,
whose extracted text has spaces and line breaks where the layout put them, all whitespace is
ignored: a mobile number wrapped over two lines is still found.

Kept as one module on purpose (over 500 lines): the text, DOCX and PDF paths share the needle
matching and the re-check, which must not drift apart.
"""

import io
import re
from collections.abc import Iterable

import docx
import pymupdf
from django.utils.translation import gettext as _
from lxml import etree

from .extract import AttachmentError, extract_text

REDACTION_CHAR = "■"

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_CONTENT_TYPE = "text/plain"

# An ASCII needle this long is also looked for in the raw (decompressed) PDF objects: metadata,
# form values and scripts that no text extraction reads. Shorter ones could match by chance.
RAW_CHECK_MIN_LENGTH = 6


class RedactionError(Exception):
    """The file cannot be redacted reliably; the message (Chinese) tells the reviewer why.
    ``needle`` is the value concerned, when there is one (never put in the message)."""

    def __init__(self, message: str, *, needle: str | None = None) -> None:
        super().__init__(message)
        self.needle = needle


# ---------------------------------------------------------------- matching

# Folding for comparison, one character to one so that offsets stay valid: full-width ASCII
# (U+FF01–FF5E) to ASCII, then ASCII capitals to small letters (an ID's check digit x or X).
_FOLD = {cp: chr(cp - 0xFEE0).lower() for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({cp: chr(cp).lower() for cp in range(0x41, 0x5B)})


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _masked(needle: str) -> str:
    """The needle as it may appear in a message: first and last character only."""
    n = len(needle)
    return needle[:1] + "*" if n <= 2 else needle[0] + "*" * (n - 2) + needle[-1]


def _clean_needles(needles: Iterable[str]) -> list[str]:
    """The distinct needles, stripped; an empty one is a caller's mistake."""
    cleaned: list[str] = []
    for needle in needles:
        if not isinstance(needle, str) or not needle.strip():
            raise ValueError(f"empty or non-string needle: {needle!r}")
        if needle.strip() not in cleaned:
            cleaned.append(needle.strip())
    return cleaned


def _pattern(needle: str) -> re.Pattern:
    """The needle as a pattern over folded text: its whitespace matches any whitespace or none."""
    return re.compile(r"\s*".join(re.escape(part) for part in _fold(needle).split()))


def _mark(text: str, patterns: dict[str, re.Pattern], counts: dict[str, int]) -> list[bool] | None:
    """Which characters of ``text`` belong to an occurrence of a needle (its whitespace
    excepted, so that line structure stays); None when none does. Counts occurrences."""
    folded = _fold(text)
    marks: list[bool] | None = None
    for needle, pattern in patterns.items():
        for m in pattern.finditer(folded):
            counts[needle] += 1
            if marks is None:
                marks = [False] * len(text)
            for i in range(m.start(), m.end()):
                if not text[i].isspace():
                    marks[i] = True
    return marks


def _apply_marks(text: str, marks: list[bool], offset: int = 0) -> str:
    return "".join(REDACTION_CHAR if marks[offset + i] else ch for i, ch in enumerate(text))


def _redact_string(text: str, patterns: dict[str, re.Pattern], counts: dict[str, int]) -> str:
    marks = _mark(text, patterns, counts)
    return text if marks is None else _apply_marks(text, marks)


def _not_found(needle: str) -> RedactionError:
    return RedactionError(
        _(
            "未能在文件中找到要遮盖的内容“%(value)s”（可能位于图片中、跨越段落或文字无法提取），"
            "无法确认已遮盖；请人工处理该附件后重新上传。"
        )
        % {"value": _masked(needle)},
        needle=needle,
    )


def _not_located(needle: str) -> RedactionError:
    return RedactionError(
        _(
            "文件的文字中含有要遮盖的内容“%(value)s”，但无法确定它在页面上的位置（字体或编码不规范），"
            "不能可靠遮盖；请人工处理该附件（例如重新导出为 PDF）后重新上传。"
        )
        % {"value": _masked(needle)},
        needle=needle,
    )


def _still_readable(needle: str) -> RedactionError:
    return RedactionError(
        _("遮盖后仍能从文件中读取到“%(value)s”，不能可靠遮盖；请人工处理该附件后重新上传。")
        % {"value": _masked(needle)},
        needle=needle,
    )


# ---------------------------------------------------------------- text


def redact_text(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of each (start, end) span replaced by as many ■.
    Overlapping and adjacent spans merge; a span outside the text raises ValueError."""
    cleaned: list[tuple[int, int]] = []
    for span in spans:
        start, end = span
        if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end <= len(text):
            raise ValueError(f"span {span!r} is outside a text of {len(text)} characters")
        if start < end:
            cleaned.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(cleaned):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    pos = 0
    for start, end in merged:
        parts += [text[pos:start], REDACTION_CHAR * (end - start)]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a plain-text file, the encodings the upload checks accept."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise RedactionError(_("无法识别文本文件的编码（应为 UTF-8 或 GB18030），无法遮盖。"))


def _redact_plain(data: bytes, needles: Iterable[str]) -> bytes:
    needles = _clean_needles(needles)
    if not needles:
        return data
    text, encoding = _decode(data)
    counts = dict.fromkeys(needles, 0)
    marks = _mark(text, {n: _pattern(n) for n in needles}, counts)
    for needle, count in counts.items():
        if not count:
            raise _not_found(needle)
    spans, start = [], None
    for i, marked in enumerate([*marks, False]):
        if marked and start is None:
            start = i
        elif not marked and start is not None:
            spans.append((start, i))
            start = None
    # ■ exists in GB18030, so the file keeps its encoding (and BOM, if it had one).
    return redact_text(text, spans).encode(encoding)


# ---------------------------------------------------------------- DOCX

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_P, W_T, W_DELTEXT = W + "p", W + "t", W + "delText"
W_INS, W_MOVETO = W + "ins", W + "moveTo"
W_AUTHOR, W_INITIALS = W + "author", W + "initials"
# Characters that python-docx puts in a paragraph's text for these elements.
_W_SEPARATORS = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n"}
_W_COMMENT_ANCHORS = {W + "commentRangeStart", W + "commentRangeEnd", W + "commentReference"}
# Relationships to the comments and to the people who wrote them (Word 2010+ parts).
_COMMENT_RELTYPES = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people"}
_APP_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# python-docx's element classes redefine .text (CT_P.text is the paragraph's text, read-only);
# these read and write the XML node's own text whatever the class.
_node_text = etree._Element.text.__get__
_set_node_text = etree._Element.text.__set__


def _paragraph_segments(p, *, original: bool) -> list[tuple[object | None, str]]:
    """The text elements of paragraph ``p`` in order, without those of paragraphs nested in
    it (text boxes), as (element, text); tabs and breaks are (None, "\\t"/"\\n"). The current
    view has the inserted text; the ``original`` view the deleted text instead (tracked
    changes): a needle may be whole in either."""
    segments: list[tuple[object | None, str]] = []

    def walk(element, inserted: bool) -> None:
        for child in element:
            tag = child.tag
            if tag == W_P:
                continue
            if tag == W_T:
                if not (original and inserted):
                    segments.append((child, _node_text(child) or ""))
            elif tag == W_DELTEXT:
                if original:
                    segments.append((child, _node_text(child) or ""))
            elif tag in _W_SEPARATORS:
                segments.append((None, _W_SEPARATORS[tag]))
            elif isinstance(tag, str):
                walk(child, inserted or tag in (W_INS, W_MOVETO))

    walk(p, False)
    return segments


def _redact_paragraph(p, patterns, counts, *, write: bool) -> None:
    """Redact occurrences across the runs of one paragraph (Word splits text into runs at
    every formatting, spelling or revision boundary); each run keeps its formatting."""
    has_revisions = any(True for _el in p.iter(W_DELTEXT, W_INS))
    for original in (False, True) if has_revisions else (False,):
        segments = _paragraph_segments(p, original=original)
        text = "".join(t for _el, t in segments)
        if not text.strip():
            continue
        marks = _mark(text, patterns, counts)
        if marks is None or not write:
            continue
        pos = 0
        for element, segment in segments:
            if element is not None and any(marks[pos : pos + len(segment)]):
                _set_node_text(element, _apply_marks(segment, marks, pos))
            pos += len(segment)


def _redact_xml_tree(root, patterns, counts, *, write: bool) -> None:
    """Every paragraph of a part (body, tables, text boxes, headers, footnotes…), then every
    single text, tail and attribute value (field codes, alt text, document properties)."""
    for p in root.iter(W_P):
        _redact_paragraph(p, patterns, counts, write=write)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        text = _node_text(element)
        if text and element.tag not in (W_T, W_DELTEXT):
            redacted = _redact_string(text, patterns, counts)
            if write and redacted != text:
                _set_node_text(element, redacted)
        if element.tail and element.tail.strip():
            redacted = _redact_string(element.tail, patterns, counts)
            if write:
                element.tail = redacted
        for name, value in element.attrib.items():
            redacted = _redact_string(value, patterns, counts)
            if write and redacted != value:
                element.set(name, redacted)


def _strip_docx_metadata(document) -> None:
    """Comments (with their authors), revision authors and the author fields of the document
    properties are personal data of staff that publication does not need."""
    package = document.part.package
    for part in list(package.iter_parts()):
        for r_id, rel in list(part.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _COMMENT_RELTYPES:
                del part.rels[r_id]
                part.rels._target_parts_by_rId.pop(r_id, None)
    for part in package.iter_parts():
        root = getattr(part, "_element", None)
        if root is None:
            continue
        for anchor in [el for el in root.iter() if el.tag in _W_COMMENT_ANCHORS]:
            parent = anchor.getparent()
            parent.remove(anchor)
            # A run left with nothing but its properties would be an empty run: drop it.
            if parent.tag == W + "r" and all(child.tag == W + "rPr" for child in parent):
                parent.getparent().remove(parent)
        for element in root.iter():
            for name in (W_AUTHOR, W_INITIALS):
                if element.get(name):
                    element.set(name, "")
    core = document.core_properties
    core.author = ""
    core.last_modified_by = ""


def _docx_parts(document):
    """(part, root, is_blob) for every XML part of the package. Parts python-docx models
    (document, headers, footers, styles, core properties) have an element tree; the others
    (footnotes, endnotes, app and custom properties) are parsed from their bytes."""
    for part in document.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if root is not None:
            yield part, root, False
            continue
        content_type = part.content_type or ""
        if not (content_type.endswith("+xml") or content_type.endswith("/xml")):
            continue
        try:
            root = etree.fromstring(part.blob, _XML_PARSER)
        except etree.XMLSyntaxError:
            continue
        yield part, root, True


def _process_docx(document, patterns, counts, *, write: bool) -> None:
    for part, root, is_blob in _docx_parts(document):
        if write and part.content_type == _APP_PROPS_TYPE:
            for element in root.iter("{*}Manager"):
                _set_node_text(element, "")
        _redact_xml_tree(root, patterns, counts, write=write)
        if write and is_blob:
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        # Hyperlink targets (mailto:, URLs with a name in them) live in the relationships.
        for rel in part.rels.values():
            if rel.is_external:
                redacted = _redact_string(rel.target_ref, patterns, counts)
                if write:
                    rel._target = redacted


def _open_docx(data: bytes):
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on malformed input
        raise RedactionError(
            _("Word 文档（DOCX）无法打开（已加密、已损坏或不是 DOCX 文件：%(reason)s），无法遮盖。")
            % {"reason": type(exc).__name__}
        ) from exc


def redact_docx(data: bytes, needles: list[str]) -> bytes:
    """A copy of the DOCX with every occurrence of each needle replaced by as many ■ (also
    when Word split it across runs; in tables, text boxes, headers, footers, footnotes and
    tracked changes), the rest of the formatting kept, and comments and author fields removed."""
    needles = _clean_needles(needles)
    patterns = {n: _pattern(n) for n in needles}
    document = _open_docx(data)
    counts = dict.fromkeys(needles, 0)
    try:
        _strip_docx_metadata(document)
        _process_docx(document, patterns, counts, write=True)
        out = io.BytesIO()
        document.save(out)
    except RedactionError:
        raise
    except Exception as exc:
        raise RedactionError(
            _("Word 文档（DOCX）格式不规范，无法遮盖（%(reason)s）。") % {"reason": type(exc).__name__}
        ) from exc
    for needle, count in counts.items():
        if not count:
            raise _not_found(needle)
    result = out.getvalue()
    _verify_docx(result, patterns)
    return result


def _verify_docx(data: bytes, patterns: dict[str, re.Pattern]) -> None:
    """Read the result back: neither the pre-scan's extraction nor any text in any part may
    still contain a needle."""
    remaining = dict.fromkeys(patterns, 0)
    _process_docx(_open_docx(data), patterns, remaining, write=False)
    try:
        text, _truncated = extract_text("docx", data, max_bytes=None, seconds=None)
    except AttachmentError as exc:
        raise RedactionError(_("遮盖后的 Word 文档无法读取，已停止；请人工处理该附件。")) from exc
    _mark(text, patterns, remaining)
    for needle, count in remaining.items():
        if count:
            raise _still_readable(needle)


# ---------------------------------------------------------------- PDF


def _squeeze(text: str) -> str:
    """Folded text without whitespace: how PDF text is compared."""
    return "".join(_fold(text).split())


def _open_pdf(data: bytes) -> pymupdf.Document:
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise RedactionError(
            _("PDF 文件已损坏或格式不规范，无法遮盖（%(reason)s）。") % {"reason": type(exc).__name__}
        ) from exc
    if doc.needs_pass:
        doc.close()
        raise RedactionError(_("PDF 文件已加密，需要密码才能打开，无法遮盖；请上传未加密的文件。"))
    if not doc.is_pdf or doc.page_count == 0:
        doc.close()
        raise RedactionError(_("PDF 文件已损坏或没有页面，无法遮盖。"))
    return doc


def _page_chars(page: pymupdf.Page, textpage) -> list[tuple[str, pymupdf.Rect, tuple, float, tuple]]:
    """The page's non-blank characters in reading order: (char, bbox, baseline origin,
    font size, line key). The line key groups a match's characters into one box per line."""
    chars = []
    info = page.get_text("rawdict", textpage=textpage)
    for b, block in enumerate(info["blocks"]):
        for n, line in enumerate(block.get("lines", ())):
            horizontal = tuple(round(v, 3) for v in line["dir"]) == (1.0, 0.0)
            for span in line["spans"]:
                for char in span["chars"]:
                    if char["c"].isspace():
                        continue
                    # Rotated text: one box per character, a line's union would cover others.
                    key = (b, n) if horizontal else (b, n, len(chars))
                    chars.append((char["c"], pymupdf.Rect(char["bbox"]), char["origin"], span["size"], key))
    return chars


def _boxes(chars, start: int, end: int) -> list[tuple[pymupdf.Rect, pymupdf.Rect]]:
    """(remove, cover) rectangles for chars[start:end], one pair per line. MuPDF deletes
    every character whose box touches a redaction; boxes of neighbouring lines overlap
    when the leading is tight, so text is deleted through a narrow band in the middle of
    the characters, and the black box (which also blanks image pixels) is drawn separately."""
    by_line: dict[tuple, list] = {}
    for char in chars[start:end]:
        by_line.setdefault(char[4], []).append(char)
    result = []
    for line in by_line.values():
        cover = pymupdf.Rect(line[0][1])
        for _c, bbox, _o, _s, _k in line[1:]:
            cover |= bbox
        first, last = line[0][1], line[-1][1]
        if len(line[0][4]) == 2:
            # Horizontal: clamp the box to the glyphs' height around the baseline.
            baseline, size = line[0][2][1], line[0][3]
            cover.y0 = max(cover.y0, baseline - 0.95 * size)
            cover.y1 = min(cover.y1, baseline + 0.2 * size)
        remove = pymupdf.Rect(
            cover.x0 + 0.2 * first.width,
            cover.y0 + 0.3 * cover.height,
            cover.x1 - 0.2 * last.width,
            cover.y1 - 0.3 * cover.height,
        )
        result.append((remove, cover))
    return result


def _squeezed_matches(chars, keys: dict[str, str], counts: dict[str, int]) -> list[tuple[int, int]]:
    # One character per entry, so that an offset into the string is an index into chars.
    squeezed = "".join((_fold(c[0]) or "\0")[:1] for c in chars)
    found = []
    for needle, key in keys.items():
        pos = squeezed.find(key)
        while pos >= 0:
            counts[needle] += 1
            found.append((pos, pos + len(key)))
            pos = squeezed.find(key, pos + len(key))
    return found


def _redact_pdf_page(page: pymupdf.Page, needles: list[str], keys: dict[str, str], counts) -> None:
    def contains(value) -> bool:
        return bool(value) and any(k in _squeeze(str(value)) for k in keys.values())

    for widget in page.widgets():
        if contains(widget.field_value):
            raise RedactionError(
                _(
                    "PDF 表单域中含有要遮盖的内容，无法自动遮盖；请将表单拼合（另存为不含表单的 PDF）后重新上传。"
                )
            )
    # Notes and links carry text of their own that the page's text does not show.
    doomed = [
        annot.xref
        for annot in page.annots()
        if annot.type[0] != pymupdf.PDF_ANNOT_REDACT
        and any(contains(annot.info.get(field)) for field in ("content", "title", "subject"))
    ]
    for xref in doomed:
        page.delete_annot(page.load_annot(xref))
    for link in page.get_links():
        if contains(link.get("uri")) or contains(link.get("file")):
            page.delete_link(link)

    # One text page for the character walk and every search (each would build its own).
    textpage = page.get_textpage(flags=pymupdf.TEXTFLAGS_RAWDICT)
    chars = _page_chars(page, textpage)
    pairs = []
    for start, end in _squeezed_matches(chars, keys, counts):
        pairs += _boxes(chars, start, end)
    # search_for also finds what a hyphenation join or ligature hides from the character
    # walk; a hit the walk already found is not redacted twice (each annotation costs).
    known = [tuple(cover) for _r, cover in pairs]
    for needle in needles:
        for quad in page.search_for(needle, quads=True, textpage=textpage):
            cover = quad.rect
            cx, cy = (cover.x0 + cover.x1) / 2, (cover.y0 + cover.y1) / 2
            if any(x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in known):
                continue
            inset_x, inset_y = 0.15 * cover.height, 0.3 * cover.height
            remove = pymupdf.Rect(
                cover.x0 + inset_x, cover.y0 + inset_y, cover.x1 - inset_x, cover.y1 - inset_y
            )
            pairs.append((remove, cover))
    del textpage
    if not pairs:
        return
    for remove, cover in pairs:
        page.add_redact_annot(remove if not remove.is_empty else cover)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
        text=pymupdf.PDF_REDACT_TEXT_REMOVE,
    )
    # Scans with a text layer: the pixels under the box go too (only where there is an image:
    # every annotation makes the next one slower to add).
    images = [pymupdf.Rect(info["bbox"]) for info in page.get_image_info()]
    over_images = [cover for _r, cover in pairs if any(cover.intersects(image) for image in images)]
    if over_images:
        for cover in over_images:
            page.add_redact_annot(cover)
        page.apply_redactions(
            images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
            graphics=pymupdf.PDF_REDACT_LINE_ART_NONE,
            text=pymupdf.PDF_REDACT_TEXT_NONE,
        )
    # The black boxes, drawn over what is left (nothing: the text beneath is gone).
    shape = page.new_shape()
    for _r, cover in pairs:
        shape.draw_rect(cover)
    shape.finish(color=None, fill=(0, 0, 0), width=0)
    shape.commit(overlay=True)


def _redact_pdf_outline(doc: pymupdf.Document, patterns, counts) -> None:
    toc = doc.get_toc(simple=False)
    changed = False
    for entry in toc:
        title = _redact_string(entry[1], patterns, counts)
        if title != entry[1]:
            entry[1], changed = title, True
    if changed:
        doc.set_toc(toc)


def redact_pdf(data: bytes, needles: list[str]) -> bytes:
    """A copy of the PDF with the text of each needle deleted (not covered: removed from the
    content streams), a black box where it was, notes, links and bookmarks naming it
    removed, the document information and XMP metadata cleared, and unused objects
    collected so the old text is not left in the file."""
    needles = _clean_needles(needles)
    keys = {n: _squeeze(n) for n in needles}
    counts = dict.fromkeys(needles, 0)
    doc = _open_pdf(data)
    try:
        for page in doc:
            _redact_pdf_page(page, needles, keys, counts)
        _redact_pdf_outline(doc, {n: _pattern(n) for n in needles}, counts)
        doc.set_metadata({})
        doc.del_xml_metadata()
        result = doc.tobytes(
            garbage=4,
            clean=True,
            deflate=True,
            encryption=pymupdf.PDF_ENCRYPT_NONE,
            preserve_metadata=0,
        )
    except RedactionError:
        raise
    except Exception as exc:
        raise RedactionError(
            _("PDF 文件格式不规范，无法遮盖（%(reason)s）。") % {"reason": type(exc).__name__}
        ) from exc
    finally:
        doc.close()
    missing = [needle for needle, count in counts.items() if not count]
    if missing:
        raise _pdf_missing(data, missing, keys)
    _verify_pdf(result, keys)
    return result


def _pdf_missing(data: bytes, missing: list[str], keys: dict[str, str]) -> RedactionError:
    """The error for needles not located on any page: different words when the pre-scan's
    reader (pypdf) does see them in the file's text."""
    try:
        text = _squeeze(extract_text("pdf", data, max_bytes=None, seconds=None)[0])
    except AttachmentError:
        text = ""
    for needle in missing:
        if keys[needle] in text:
            return _not_located(needle)
    return _not_found(missing[0])


def _verify_pdf(data: bytes, keys: dict[str, str]) -> None:
    """Read the result back with PyMuPDF, with pypdf as the pre-scan does, and (ASCII
    needles) in every decompressed object: no needle may be left."""
    raw_check = any(len(k) >= RAW_CHECK_MIN_LENGTH and k.isascii() for k in keys.values())
    doc = pymupdf.open(stream=data, filetype="pdf")
    try:
        texts = [page.get_text("text") for page in doc]
        raw = []
        for xref in range(1, doc.xref_length() if raw_check else 1):
            source = doc.xref_object(xref, compressed=True)
            raw.append(source.encode("latin-1", "replace"))
            # Image data is large and holds no text; everything else is read decompressed.
            if doc.xref_is_stream(xref) and "/Image" not in source:
                raw.append(doc.xref_stream(xref) or b"")
    finally:
        doc.close()
    try:
        texts.append(extract_text("pdf", data, max_bytes=None, seconds=None)[0])
    except AttachmentError as exc:
        raise RedactionError(_("遮盖后的 PDF 文件无法读取，已停止；请人工处理该附件。")) from exc
    squeezed = [_squeeze(t) for t in texts]
    raw_blob = b"\n".join(raw).lower()
    for needle, key in keys.items():
        if any(key in t for t in squeezed):
            raise _still_readable(needle)
        if len(key) >= RAW_CHECK_MIN_LENGTH and key.isascii() and key.encode() in raw_blob:
            raise _still_readable(needle)


# ---------------------------------------------------------------- dispatch


def redact_file(data: bytes, content_type: str, needles: Iterable[str]) -> bytes:
    """Redact an attachment by its content type: PDF, DOCX or plain text."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind == PDF_CONTENT_TYPE:
        return redact_pdf(data, list(needles))
    if kind == DOCX_CONTENT_TYPE:
        return redact_docx(data, list(needles))
    if kind == TEXT_CONTENT_TYPE:
        return _redact_plain(data, needles)
    raise RedactionError(
        _("不支持遮盖此类型的文件（%(type)s）；请转换为 PDF、DOCX 或纯文本文件后重新上传。")
        % {"type": kind or _("未知类型")}
    )
