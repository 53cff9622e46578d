"""Judging an uploaded file before the catalogue (or an application) stores it: its extension
against its content, images' size, its text for search. Pure: no database, no storage (those are
in attachments.py). The machinery (type by content, extraction in a budgeted child) is
gongkai/core/files/.
"""

from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from gongkai.core.files.extract import extract_text
from gongkai.core.files.kinds import (
    KIND_BY_EXTENSION,
    AttachmentError,
    FileKind,
    _check_image,
    _clean_name,
    _detect_kind_source,
    _extension,
    _kind_label,
    _Source,
    _source,
)


@dataclass(frozen=True)
class InspectedUpload:
    """An upload that passed every check, with its extracted text; not yet stored. Its bytes
    stay where they were (a temporary file for any upload over FILE_UPLOAD_MAX_MEMORY_SIZE):
    store it from ``open()`` wrapped in a Django ``File``, which the storage copies in chunks."""

    original_name: str
    extension: str
    kind: FileKind
    size: int
    sha256: str
    text: str
    text_truncated: bool
    source: _Source = field(repr=False, compare=False)

    def open(self) -> BinaryIO:
        """The upload's bytes as a file to read (close it after use)."""
        return self.source.open()

    @property
    def data(self) -> bytes:
        """The whole file in memory: only for code that must have bytes (a redaction)."""
        with self.source.open() as fh:
            return fh.read()


def upload_inspect(*, data: bytes | BinaryIO, filename: str) -> InspectedUpload:
    """Check an upload (size, type by content against the extension, bombs) and extract its
    text. Pure: writes nothing but, for a large file object that is not already on disk, a
    temporary copy. A file on disk is never read whole into memory: its type is judged by its
    first bytes, zips are opened from the file, the hash is computed in chunks and the text is
    extracted (in the budgeted child) from the path. Raises AttachmentError with the reason."""
    source = _source(data)
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
    actual = _detect_kind_source(source, expected_label=expected.label)
    if actual != expected.name:
        raise AttachmentError(
            _("文件内容与扩展名不符：扩展名为“%(ext)s”，内容却是%(actual)s。请确认文件后重新上传。")
            % {"ext": extension, "actual": _kind_label(actual)}
        )
    if expected.name in ("png", "jpeg", "gif"):
        _check_image(expected.name, source)
    text, truncated = extract_text(expected.name, source.data if source.data is not None else source.path)
    return InspectedUpload(
        original_name=original_name,
        extension=extension,
        kind=expected,
        size=source.size,
        sha256=source.sha256(),
        text=text,
        text_truncated=truncated,
        source=source,
    )
