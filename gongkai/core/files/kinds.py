"""Judging files by their content: size, type (magic bytes and container structure, not the
name), archive and image bombs. Pure: no database, no storage. Shared by every app that takes
files (catalogue attachments, applications' identity proofs and provided files, the pre-scan),
so it lives in core, below them.

catalogue.md ("Document metadata": attachments PDF, DOC/DOCX, XLS/XLSX, OFD, images) and
security.md ("Input and files": size limit before reading, type by content, archive and image
bombs refused, names never used as paths).
"""

import codecs
import hashlib
import io
import logging
import os
import posixpath
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

# Office files are zips of XML that legitimately compress 10-50x; deflate tops out near 1000x,
# which is where bombs live. Members under the floor are too small to matter on their own.
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
ZIP_RATIO_FLOOR_BYTES = 1024 * 1024
# Parsing XML costs 10-20 times its size in memory (a 190 MB document.xml took a worker to
# 3 GB). A 1,000-page report's document.xml is about 10 MB; pictures are separate parts.
MAX_XML_PART_BYTES = 32 * 1024 * 1024
XML_PART_SUFFIXES = (".xml", ".rels", ".vml")
# Decoding an image allocates width x height pixels; 100 megapixels is ~300 MB as RGB.
MAX_IMAGE_PIXELS = 100_000_000


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


# Uploads are judged where they lie: Django writes every upload over
# FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file (TemporaryFileUploadHandler), and inspection,
# hashing and storing read that file in chunks of this size; nothing holds a whole file.
CHUNK_BYTES = 256 * 1024
HEAD_BYTES = 8192


class _Source:
    """An upload's bytes, either already in memory (given as bytes, or a small upload) or in a
    file on disk (Django's temporary upload, or a spool we wrote); ``keep`` holds a spool open
    (deleted when closed or collected)."""

    def __init__(self, *, size: int, data: bytes | None = None, path: str | None = None, keep=None) -> None:
        self.size, self.data, self.path, self.keep = size, data, path, keep

    def open(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else open(self.path, "rb")  # noqa: SIM115

    def head(self, n: int = HEAD_BYTES) -> bytes:
        if self.data is not None:
            return self.data[:n]
        with self.open() as fh:
            return fh.read(n)

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            for start in range(0, len(self.data), CHUNK_BYTES):
                yield self.data[start : start + CHUNK_BYTES]
            return
        with self.open() as fh:
            while chunk := fh.read(CHUNK_BYTES):
                yield chunk

    def handle(self):
        """What zipfile, pypdf, python-docx and openpyxl open: the path, or the bytes as a stream."""
        return self.path if self.path is not None else io.BytesIO(self.data)

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in self.chunks():
            digest.update(chunk)
        return digest.hexdigest()


def _too_big(limit: int) -> AttachmentError:
    return AttachmentError(
        _("文件超过大小上限 %(limit)s，请压缩或拆分后再上传。") % {"limit": _human_size(limit)}
    )


def _source(data: bytes | BinaryIO) -> _Source:
    """Where the upload's bytes are, refused past the size limit (declared or counted) and when
    empty, without reading more than the limit plus one byte and without holding a large file:
    an upload on disk is used where it is; another file object over the in-memory size is copied
    to a temporary file in chunks."""
    limit = settings.GONGKAI_MAX_ATTACHMENT_BYTES
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > limit:
            raise _too_big(limit)
        if not raw:
            raise AttachmentError(_("文件为空。"))
        return _Source(size=len(raw), data=raw)
    size = getattr(data, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_big(limit)
    path = getattr(data, "temporary_file_path", None)
    if callable(path):
        path = path()
        actual = os.path.getsize(path)
        if actual > limit:
            raise _too_big(limit)
        if not actual:
            raise AttachmentError(_("文件为空。"))
        return _Source(size=actual, path=path)
    if getattr(data, "seekable", lambda: False)():
        data.seek(0)
    small = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    if isinstance(size, int) and size <= small:
        raw = data.read(min(limit, small) + 1)
        if len(raw) > limit:
            raise _too_big(limit)
        if raw and len(raw) <= small:
            return _Source(size=len(raw), data=raw)
        if not raw:
            raise AttachmentError(_("文件为空。"))
        first = raw  # the declared size was wrong: spool the rest too
    else:
        first = b""
    spool = tempfile.NamedTemporaryFile(prefix="gongkai-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR)  # noqa: SIM115
    total = 0
    try:
        chunk = first or data.read(min(CHUNK_BYTES, limit + 1))
        while chunk:
            total += len(chunk)
            if total > limit:
                raise _too_big(limit)
            spool.write(chunk)
            chunk = data.read(min(CHUNK_BYTES, limit + 1 - total))
        spool.flush()
    except BaseException:
        spool.close()
        raise
    if not total:
        spool.close()
        raise AttachmentError(_("文件为空。"))
    return _Source(size=total, path=spool.name, keep=spool)


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


def _zip_handle(data):
    return io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data


def _open_zip(data, label) -> zipfile.ZipFile:
    """Open a zip (bytes, a path or a file object) after checking its declared sizes. zipfile
    never inflates a member past its declared size (it stops there and the CRC check fails), so
    checking the directory suffices; nothing is inflated here."""
    try:
        zf = zipfile.ZipFile(_zip_handle(data))
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
        if info.filename.lower().endswith(XML_PART_SUFFIXES) and info.file_size > MAX_XML_PART_BYTES:
            raise AttachmentError(
                _(
                    "文件内容部件“%(part)s”解压后达 %(size)s，超过上限 %(limit)s，无法安全读取，已拒绝；"
                    "请拆分文件后再上传。"
                )
                % {
                    "part": info.filename[:100],
                    "size": _human_size(info.file_size),
                    "limit": _human_size(MAX_XML_PART_BYTES),
                }
            )
    if total > MAX_ZIP_UNCOMPRESSED_BYTES:
        raise AttachmentError(
            _("文件解压后超过 %(limit)s，疑似压缩炸弹，已拒绝。")
            % {"limit": _human_size(MAX_ZIP_UNCOMPRESSED_BYTES)}
        )
    return zf


def _zip_kind(data, expected_label) -> str:
    with _open_zip(data, expected_label) as zf:
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


_OLE2_NEEDLES = {
    "doc": ("WordDocument".encode("utf-16-le"),),
    "xls": ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le")),
}


def _ole2_kind_chunks(chunks: Iterator[bytes]) -> str:
    """``_ole2_kind`` over a file read in chunks (a name may straddle two chunks)."""
    overlap = max(len(n) for needles in _OLE2_NEEDLES.values() for n in needles) - 1
    found, tail = set(), b""
    for chunk in chunks:
        window = tail + chunk
        for kind, needles in _OLE2_NEEDLES.items():
            if any(n in window for n in needles):
                found.add(kind)
        if "doc" in found:
            break
        tail = window[-overlap:]
    return "doc" if "doc" in found else "xls" if "xls" in found else "ole2"


def _text_encoding(chunks) -> str | None:
    """The encoding ``_decode_text`` would decode the file with, reading it chunk by chunk
    (``chunks`` is called again for each candidate); None when it is not text."""
    first = next(iter(chunks()), b"")
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        sample: list[str] = []
        sampled = 0
        try:
            for chunk in chunks():
                if encoding != "utf-16" and b"\x00" in chunk:
                    return None
                text = decoder.decode(chunk)
                if sampled < 100_000:
                    sample.append(text[: 100_000 - sampled])
                    sampled += len(sample[-1])
            text = decoder.decode(b"", final=True)
            if sampled < 100_000:
                sample.append(text[: 100_000 - sampled])
        except UnicodeDecodeError:
            continue
        head = "".join(sample)
        controls = sum(1 for ch in head if ch < " " and ch not in "\t\n\r\f")
        if controls <= len(head) // 100:
            return encoding
    return None


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


def _detect_kind_source(source: _Source, *, expected_label="") -> str | None:
    """``detect_kind`` for an upload wherever it lies: the type from its first bytes, zips
    opened from the file, compound files and text read in chunks."""
    if source.data is not None:
        return detect_kind(source.data, expected_label=expected_label)
    head = source.head()
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(source.path, expected_label or OTHER_LABELS["zip"])
    if head.startswith(OLE2_MAGIC):
        return _ole2_kind_chunks(source.chunks())
    if PDF_MAGIC in head[:1024]:
        return "pdf"
    image = filetype.image_match(head)
    if image is not None:
        return {"png": "png", "jpg": "jpeg", "gif": "gif"}.get(image.extension, image.extension)
    if _text_encoding(source.chunks) is not None:
        return "txt"
    return None


def _kind_label(kind: str | None):
    if kind in KINDS:
        return KINDS[kind].label
    return OTHER_LABELS.get(kind, _("无法识别的格式"))


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    return _jpeg_size_file(io.BytesIO(data), len(data))


def _jpeg_size_file(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """Walk the JPEG's segments to the frame header, seeking past each segment's body."""
    i = 2
    while i + 9 < size:
        fh.seek(i)
        data = fh.read(9)
        if data[0] != 0xFF:
            i += 1
            continue
        marker = data[1]
        if marker == 0xFF:
            i += 1
        elif marker in (0x01, 0xD8) or 0xD0 <= marker <= 0xD7:
            i += 2
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[5:9])
            return width, height
        else:
            i += 2 + struct.unpack(">H", data[2:4])[0]
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


def _check_image(kind: str, data: bytes | _Source) -> None:
    if isinstance(data, _Source):
        if kind == "jpeg":
            with data.open() as fh:
                size = _jpeg_size_file(fh, data.size)
        else:
            size = image_size(kind, data.head(64))
    else:
        size = image_size(kind, data)
    if size is None:
        raise AttachmentError(_("图片已损坏，无法读取其尺寸。"))
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise AttachmentError(
            _("图片尺寸过大（%(width)s×%(height)s 像素），请缩小后再上传。")
            % {"width": width, "height": height}
        )
