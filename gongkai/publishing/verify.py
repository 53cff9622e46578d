"""The second pair of eyes: after redaction and sanitising, every part of the OUTPUT is read
again with extractors independent of the ones that redacted it, and each redacted value is
looked for in normalised form. Pure functions, no database.

- PDF (redacted and rebuilt with PyMuPDF) is read with pypdf: the text of every page, every
  string and every decompressed stream of every object (images excepted), each earlier
  revision if the file still had any; with poppler's ``pdftotext``, ``pdfinfo -meta`` and
  ``pdfdetach -list`` when they are installed (scripts/install-system-deps.sh); and as raw
  bytes.
- DOCX and other zip packages (redacted with python-docx) are read as raw zip entries: the
  text of each XML paragraph, every other text node and every attribute value, embedded zip
  packages recursively, other entries as raw bytes.
- Plain text is decoded.

Normalised forms: NFKC (full-width to half-width), case folded, without whitespace (spaced
out, broken over lines), hyphens, dashes, dots and middle dots. A hit names the part, never
the value (the caller turns it into a refusal).
"""

import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml import etree
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
    TextStringObject,
)

from gongkai.core.files.redaction import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, TEXT_CONTENT_TYPE

TOOL_SECONDS = 60
# Values this long (normalised, ASCII) are also looked for in raw and binary bytes.
RAW_MIN_LENGTH = 6
_IGNORED = re.compile(r"[\s\-‐‑‒–—―－_.·・•‧﹒．。、,，]+")
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, recover=True)


@dataclass(frozen=True)
class Hit:
    """A redacted value still readable in a part of the output (``value`` never shown)."""

    part: str
    value: str


def normalise(text: str) -> str:
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold().replace("×", "x"))


def find_values(data: bytes, content_type: str, values: Iterable[str]) -> list[Hit]:
    """Each (part, value) where a value is still readable in the file; the first part only
    for each value."""
    needles = {}
    for value in values:
        key = normalise(value)
        if len(key) >= 2:
            needles.setdefault(value, key)
    if not needles:
        return []
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    if kind == PDF_CONTENT_TYPE:
        parts = _pdf_parts(data)
    elif kind == TEXT_CONTENT_TYPE:
        parts = iter([("text", _decode(data), True)])
    elif data[:2] == b"PK" or kind == DOCX_CONTENT_TYPE:
        parts = _zip_parts(data, "")
    else:
        parts = iter([("raw bytes", data.decode("latin-1"), False)])
    hits: list[Hit] = []
    for part, text, textual in parts:
        if not needles:
            break
        squeezed = normalise(text)
        for value, key in list(needles.items()):
            if not textual and not (key.isascii() and len(key) >= RAW_MIN_LENGTH):
                continue  # a short or non-ASCII value in binary bytes would match by chance
            if key in squeezed:
                hits.append(Hit(part, value))
                del needles[value]
    return hits


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# ---------------------------------------------------------------- PDF (pypdf, poppler)


def _pdf_strings(obj, out: list[str], seen: set[int], depth: int = 0) -> None:
    if depth > 50:
        return
    if isinstance(obj, IndirectObject):
        return  # every indirect object is visited on its own
    if isinstance(obj, TextStringObject):
        out.append(str(obj))
    elif isinstance(obj, ByteStringObject):
        out.append(bytes(obj).decode("latin-1"))
        try:
            out.append(bytes(obj).decode("utf-16"))
        except UnicodeDecodeError:
            pass
    elif isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            out.append(str(key))
            _pdf_strings(value, out, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _pdf_strings(value, out, seen, depth + 1)


def _pypdf_parts(data: bytes, prefix: str) -> Iterator[tuple[str, str, bool]]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
    except Exception:
        yield f"{prefix}raw bytes", data.decode("latin-1"), False
        return
    for number, page in enumerate(reader.pages, start=1):
        try:
            yield f"{prefix}page {number}", page.extract_text() or "", True
        except Exception:
            continue
    ids = set(reader.xref_objStm)
    for generation in reader.xref.values():
        ids.update(generation)
    for num in sorted(ids):
        try:
            obj = reader.get_object(IndirectObject(num, 0, reader))
        except Exception:
            continue
        strings: list[str] = []
        _pdf_strings(obj, strings, set())
        if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image":
            try:
                raw = obj.get_data()
            except Exception:
                raw = b""
            yield f"{prefix}object {num} stream", raw.decode("latin-1"), False
            try:
                strings.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                pass
            if obj.get("/Type") == "/EmbeddedFile" or raw[:2] == b"PK" or raw[:5] == b"%PDF-":
                yield from _embedded_parts(raw, f"{prefix}object {num} embedded file › ")
        yield f"{prefix}object {num}", "\n".join(strings), True


def _embedded_parts(raw: bytes, prefix: str) -> Iterator[tuple[str, str, bool]]:
    if raw[:5] == b"%PDF-":
        yield from _pypdf_parts(raw, prefix)
    elif raw[:2] == b"PK":
        yield from _zip_parts(raw, prefix)
    else:
        yield f"{prefix}raw bytes", raw.decode("latin-1"), False
        try:
            yield f"{prefix}text", raw.decode("utf-8"), True
        except UnicodeDecodeError:
            pass


def _poppler(args: list[str], data: bytes) -> str:
    """The output of a poppler tool on the file; empty when the tool is not installed."""
    if shutil.which(args[0]) is None:
        return ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        try:
            done = subprocess.run(
                [*args, fh.name, *(["-"] if args[0] == "pdftotext" else [])],
                capture_output=True,
                timeout=TOOL_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return done.stdout.decode("utf-8", "replace")


def poppler_available() -> bool:
    return all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdfdetach"))


def _pdf_parts(data: bytes) -> Iterator[tuple[str, str, bool]]:
    yield "pdftotext", _poppler(["pdftotext", "-enc", "UTF-8"], data), True
    yield "pdfinfo", _poppler(["pdfinfo", "-enc", "UTF-8"], data), True
    yield "pdfinfo -meta", _poppler(["pdfinfo", "-meta", "-enc", "UTF-8"], data), True
    yield "pdfdetach", _poppler(["pdfdetach", "-list", "-enc", "UTF-8"], data), True
    yield from _pypdf_parts(data, "")
    ends = [m.end() for m in re.finditer(rb"%%EOF[\r\n]*", data)]
    for number, end in enumerate(ends[:-1], start=1):
        yield from _pypdf_parts(data[:end], f"earlier revision {number} › ")
    yield "raw bytes", data.decode("latin-1"), False


# ---------------------------------------------------------------- zip packages (raw XML)

_PARAGRAPHS = (
    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p",
    "{http://schemas.openxmlformats.org/drawingml/2006/main}p",
)


def _xml_texts(raw: bytes) -> str:
    try:
        root = etree.fromstring(raw, _XML_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return raw.decode("utf-8", "replace")
    lines = ["".join(p.itertext()) for p in root.iter(*_PARAGRAPHS)]
    for element in root.iter():
        if element.text:
            lines.append(element.text)
        if element.tail:
            lines.append(element.tail)
        lines.extend(element.attrib.values())
    return "\n".join(lines)


def _zip_parts(data: bytes, prefix: str) -> Iterator[tuple[str, str, bool]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:
        yield f"{prefix}raw bytes", data.decode("latin-1"), False
        return
    for info in infos:
        if info.is_dir():
            continue
        name = f"{prefix}{info.filename}"
        try:
            raw = zf.read(info)
        except Exception:
            continue
        head = raw.lstrip()[:100]
        if head.startswith(b"<") or info.filename.lower().endswith((".xml", ".rels", ".vml")):
            yield name, _xml_texts(raw), True
            yield name, raw.decode("utf-8", "replace"), True
        elif raw[:2] == b"PK" or raw[:5] == b"%PDF-":
            yield from _embedded_parts(raw, f"{name} › ")
        else:
            # Binary (fonts, pictures): ASCII values only; decoded text where it is text.
            yield name, raw.decode("latin-1"), False
            try:
                yield name, raw.decode("utf-8"), True
            except UnicodeDecodeError:
                pass
