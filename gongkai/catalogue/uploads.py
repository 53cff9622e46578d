"""Judging uploaded files: size, type by content, bombs, text for search. Pure: no database,
no storage (those are in attachments.py).

catalogue.md ("Document metadata": attachments PDF, DOC/DOCX, XLS/XLSX, OFD, images; text extracted
for search where possible) and security.md ("Input and files": size limit before reading, type by
content, archive and image bombs refused, names never used as paths).
"""

import hashlib
import io
import logging
import math
import posixpath
import re
import struct
import time
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree import ElementTree

import docx
import filetype
import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

log = logging.getLogger(__name__)

# Office files are zips of XML that legitimately compress 10-50x; deflate tops out near 1000x,
# which is where bombs live. Members under the floor are too small to matter on their own.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
# Decoding an image allocates width x height pixels; 100 megapixels is ~300 MB as RGB.
MAX_IMAGE_PIXELS = 100_000_000
# Extracted text only feeds the search index: past these budgets the rest is not indexed.
MAX_TEXT_BYTES = 2 * 1024 * 1024
EXTRACT_SECONDS = 30.0


class AttachmentError(Exception):
    """An upload that cannot be accepted; the message (Chinese) says why and what to do."""


@dataclass(frozen=True)
class FileKind:
    name: str
    extensions: tuple[str, ...]
    content_type: str
    label: str


KINDS = {
    k.name: k
    for k in (
        FileKind("pdf", (".pdf",), "application/pdf", gettext_lazy("PDF 文件")),
        FileKind(
            "docx",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            gettext_lazy("Word 文档（DOCX）"),
        ),
        FileKind(
            "xlsx",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            gettext_lazy("Excel 表格（XLSX）"),
        ),
        FileKind("ofd", (".ofd",), "application/ofd", gettext_lazy("OFD 版式文件")),
        FileKind("doc", (".doc",), "application/msword", gettext_lazy("Word 文档（DOC）")),
        FileKind("xls", (".xls",), "application/vnd.ms-excel", gettext_lazy("Excel 表格（XLS）")),
        FileKind("png", (".png",), "image/png", gettext_lazy("PNG 图片")),
        FileKind("jpeg", (".jpg", ".jpeg"), "image/jpeg", gettext_lazy("JPEG 图片")),
        FileKind("gif", (".gif",), "image/gif", gettext_lazy("GIF 图片")),
        FileKind("txt", (".txt",), "text/plain", gettext_lazy("纯文本文件")),
    )
}
KIND_BY_EXTENSION = {ext: kind for kind in KINDS.values() for ext in kind.extensions}
# Recognised but not accepted: named in the refusal so the uploader knows what they sent.
OTHER_LABELS = {"zip": gettext_lazy("ZIP 压缩包"), "ole2": gettext_lazy("其他 Office 格式文件")}

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


# ---------------------------------------------------------------- reading and type by content


def _human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} B"


def _read_limited(data: bytes | BinaryIO) -> bytes:
    """The upload's bytes, refusing it before reading more than the limit plus one byte."""
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    too_big = AttachmentError(
        _("文件超过大小上限 %(limit)s，请压缩或拆分后再上传。") % {"limit": _human_size(limit)}
    )
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        size = getattr(data, "size", None)
        if isinstance(size, int) and size > limit:
            raise too_big
        if getattr(data, "seekable", lambda: False)():
            data.seek(0)
        raw = data.read(limit + 1)
    if len(raw) > limit:
        raise too_big
    if not raw:
        raise AttachmentError(_("文件为空。"))
    return raw


def _clean_name(filename: str) -> str:
    """The uploaded name as metadata only: last path component, no control characters."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > 300:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 299 - len(ext)] + dot + ext if dot and len(ext) < 10 else name[:300]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


def _open_zip(data: bytes, label) -> zipfile.ZipFile:
    """Open a zip after checking its declared sizes. zipfile never inflates a member past its
    declared size (it stops there and the CRC check fails), so checking the directory suffices."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise AttachmentError(
            _("%(label)s已损坏，无法打开（%(reason)s）。") % {"label": label, "reason": exc}
        ) from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise AttachmentError(_("文件内含 %(n)s 个部件，超过上限，已拒绝。") % {"n": len(infos)})
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > ZIP_RATIO_FLOOR_BYTES and info.file_size > MAX_ZIP_RATIO * max(
            info.compress_size, 1
        ):
            raise AttachmentError(
                _("文件解压后的大小异常（部件压缩比超过 %(ratio)s 倍），疑似压缩炸弹，已拒绝。")
                % {"ratio": MAX_ZIP_RATIO}
            )
        if info.flag_bits & 0x1:
            raise AttachmentError(_("文件已加密，无法读取内容；请上传未加密的文件。"))
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise AttachmentError(
            _("文件解压后超过 %(limit)s，疑似压缩炸弹，已拒绝。")
            % {"limit": _human_size(MAX_ZIP_UNCOMPRESSED_BYTES)}
        )
    return zf


def _zip_kind(data: bytes, expected_label) -> str:
    zf = _open_zip(data, expected_label)
    names = set(zf.namelist())
    if any(posixpath.basename(n).lower() == "vbaproject.bin" for n in names):
        raise AttachmentError(_("文件含有宏代码，出于安全考虑不予接收；请另存为不含宏的格式后上传。"))
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def _ole2_kind(data: bytes) -> str:
    # The directory of a compound file names its streams in UTF-16LE.
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book\x00".encode("utf-16-le") in data:
        return "xls"
    return "ole2"


def _decode_text(data: bytes) -> str | None:
    """Plain text in UTF-8, GB18030 or BOM-marked UTF-16, or None when it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif b"\x00" in data:
        return None
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:100_000] if ch < " " and ch not in "\t\n\r\f")
        if controls <= len(text[:100_000]) // 100:
            return text.replace("\r\n", "\n")
    return None


def detect_kind(data: bytes, *, expected_label="") -> str | None:
    """The file's type judged by its content: a key of KINDS, "zip"/"ole2" for other
    archives and compound files, None when unknown. Corrupt or bomb zips raise AttachmentError."""
    if data.startswith(ZIP_MAGIC):
        return _zip_kind(data, expected_label or OTHER_LABELS["zip"])
    if data.startswith(OLE2_MAGIC):
        return _ole2_kind(data)
    # PDF readers accept the header anywhere in the first 1024 bytes (ISO 32000-1, annex H).
    if PDF_MAGIC in data[:1024]:
        return "pdf"
    image = filetype.image_match(data[:8192])
    if image is not None:
        return {"png": "png", "jpg": "jpeg", "gif": "gif"}.get(image.extension, image.extension)
    if _decode_text(data) is not None:
        return "txt"
    return None


def _kind_label(kind: str | None):
    if kind in KINDS:
        return KINDS[kind].label
    return OTHER_LABELS.get(kind, _("无法识别的格式"))


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        else:
            i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return None


def image_size(kind: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) from the image header, without decoding pixels; None when unreadable."""
    if kind == "png" and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if kind == "gif" and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if kind == "jpeg":
        return _jpeg_size(data)
    return None


def _check_image(kind: str, data: bytes) -> None:
    size = image_size(kind, data)
    if size is None:
        raise AttachmentError(_("图片已损坏，无法读取其尺寸。"))
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise AttachmentError(
            _("图片尺寸过大（%(width)s×%(height)s 像素），请缩小后再上传。")
            % {"width": width, "height": height}
        )


# ---------------------------------------------------------------- text extraction


class _TextBudget:
    """Collects extracted text until ``max_bytes`` or ``seconds`` is reached (None: no limit)."""

    def __init__(
        self, max_bytes: int | None = MAX_TEXT_BYTES, seconds: float | None = EXTRACT_SECONDS
    ) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.max_bytes = math.inf if max_bytes is None else max_bytes
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.truncated = False

    def add(self, text: str) -> bool:
        """Keep ``text``; False once the budget is spent (callers stop reading)."""
        if self.truncated or (self.deadline is not None and time.monotonic() > self.deadline):
            self.truncated = True
            return False
        text = text.replace("\x00", "").strip()
        if text:
            encoded = text.encode()
            room = self.max_bytes - self.size
            if len(encoded) > room:
                text = encoded[:room].decode(errors="ignore")
                self.truncated = True
            self.parts.append(text)
            self.size += len(text.encode())
        return not self.truncated

    def text(self) -> str:
        return "\n".join(self.parts)


def _extract_pdf(data: bytes, budget: _TextBudget) -> None:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        # Owner-password-only PDFs (printing restrictions) open with the empty password.
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise AttachmentError(
                _("PDF 文件使用了本系统无法解密的加密方式（%(reason)s）；请上传未加密的文件。")
                % {"reason": exc}
            ) from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise AttachmentError(
                _("PDF 文件已加密，需要密码才能打开，无法提取文字供检索；请上传未加密的文件。")
            )
    for page in reader.pages:
        if not budget.add(page.extract_text() or ""):
            return


def _docx_blocks(container, budget: _TextBudget) -> bool:
    """Paragraphs and table cells of a document or cell, in order (nested tables included)."""
    for block in container.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell repeats in every column it spans
                        continue
                    seen.add(id(cell._tc))
                    if not _docx_blocks(cell, budget):
                        return False
        elif not budget.add(block.text):
            return False
    return True


def _extract_docx(data: bytes, budget: _TextBudget) -> None:
    _docx_blocks(docx.Document(io.BytesIO(data)), budget)


def _extract_xlsx(data: bytes, budget: _TextBudget) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            if not budget.add(ws.title):
                return
            for row in ws.iter_rows(values_only=True):
                if not budget.add("\t".join(str(v) for v in row if v is not None)):
                    return
    finally:
        wb.close()


def _xml(zf: zipfile.ZipFile, name: str) -> ElementTree.Element:
    raw = zf.read(name)
    # ElementTree expands internal entities; no OFD needs a DTD, so none is accepted.
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise AttachmentError(_("OFD 文件含有不允许的 XML 声明（DOCTYPE），已拒绝。"))
    return ElementTree.fromstring(raw)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _zip_path(base: str, loc: str) -> str:
    """A location inside the package (GB/T 33190: absolute from the root or relative to ``base``)."""
    loc = loc.strip().replace("\\", "/")
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(posixpath.dirname(base), loc)
    return posixpath.normpath(path)


def _extract_ofd(data: bytes, budget: _TextBudget) -> None:
    """Text of an OFD (GB/T 33190-2016): OFD.xml names each document's root, which lists its
    pages in order; each page's Content.xml holds TextObjects made of TextCode runs."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    for doc_root in _xml(zf, "OFD.xml").iter():
        if _local(doc_root.tag) != "DocRoot" or not doc_root.text:
            continue
        doc_path = _zip_path("OFD.xml", doc_root.text)
        for page in _xml(zf, doc_path).iter():
            if _local(page.tag) != "Page" or not page.get("BaseLoc"):
                continue
            content = _xml(zf, _zip_path(doc_path, page.get("BaseLoc")))
            for obj in content.iter():
                if _local(obj.tag) == "TextObject":
                    runs = (code.text or "" for code in obj.iter() if _local(code.tag) == "TextCode")
                    if not budget.add("".join(runs)):
                        return


def _extract_txt(data: bytes, budget: _TextBudget) -> None:
    budget.add(_decode_text(data) or "")


EXTRACTORS = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "xlsx": _extract_xlsx,
    "ofd": _extract_ofd,
    "txt": _extract_txt,
}


def extract_text(
    kind: str, data: bytes, *, max_bytes: int | None = MAX_TEXT_BYTES, seconds: float | None = EXTRACT_SECONDS
) -> tuple[str, bool]:
    """(text, truncated) of a file of a known kind; no text for kinds without an extractor.
    The search index needs only the first ``max_bytes`` (the pre-scan passes None: all of it).
    A file its parser cannot read raises AttachmentError with the parser's reason."""
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        return "", False
    budget = _TextBudget(max_bytes, seconds)
    try:
        extractor(data, budget)
    except AttachmentError:
        raise
    except Exception as exc:
        # pypdf, python-docx and openpyxl raise many types on malformed input; for an upload
        # every one of them means the same thing to the uploader: the file cannot be read.
        reason = f"{type(exc).__name__}: {exc}"[:200]
        raise AttachmentError(
            _("%(label)s已损坏或格式不规范，无法读取（%(reason)s）。")
            % {"label": KINDS[kind].label, "reason": reason}
        ) from exc
    if budget.truncated:
        log.warning("attachment text truncated at %d bytes", budget.size)
    return budget.text(), budget.truncated


# ---------------------------------------------------------------- inspection


@dataclass(frozen=True)
class InspectedUpload:
    """An upload that passed every check, with its extracted text; not yet stored."""

    original_name: str
    extension: str
    kind: FileKind
    data: bytes
    sha256: str
    text: str
    text_truncated: bool


def upload_inspect(*, data: bytes | BinaryIO, filename: str) -> InspectedUpload:
    """Check an upload (size, type by content against the extension, bombs) and extract its
    text. Pure: writes nothing. Raises AttachmentError with the reason."""
    raw = _read_limited(data)
    original_name = _clean_name(filename)
    extension = _extension(original_name)
    expected = KIND_BY_EXTENSION.get(extension)
    if expected is None:
        raise AttachmentError(
            _(
                "不支持“%(ext)s”类型的文件。可以上传：PDF、Word（DOC/DOCX）、Excel（XLS/XLSX）、OFD、"
                "图片（PNG/JPG/GIF）和纯文本（TXT）。"
            )
            % {"ext": extension or _("无扩展名")}
        )
    actual = detect_kind(raw, expected_label=expected.label)
    if actual != expected.name:
        raise AttachmentError(
            _("文件内容与扩展名不符：扩展名为“%(ext)s”，内容却是%(actual)s。请确认文件后重新上传。")
            % {"ext": extension, "actual": _kind_label(actual)}
        )
    if expected.name in ("png", "jpeg", "gif"):
        _check_image(expected.name, raw)
    text, truncated = extract_text(expected.name, raw)
    return InspectedUpload(
        original_name=original_name,
        extension=extension,
        kind=expected,
        data=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        text_truncated=truncated,
    )
