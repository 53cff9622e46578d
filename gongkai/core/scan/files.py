"""scan_file: the pre-scan of a text, DOCX or PDF file (and of the other kinds whose text the
catalogue's upload checks can extract: XLSX, OFD), reading every part of it (parts.py):
metadata, annotations, form fields, bookmarks, embedded files and earlier revisions of a PDF;
headers, footers, notes, comments, tracked changes, properties and embedded objects of a DOCX."""

from dataclasses import dataclass, replace
from pathlib import Path

from gongkai.core.files.kinds import AttachmentError, detect_kind

from .engine import scan_text
from .findings import Finding
from .parts import PartsError, extract_parts

# Between two parts in the text that scan_file's offsets point into: nothing runs across it.
PART_GAP = "\n\n"


class ScanError(Exception):
    """A file that cannot be scanned; the message (English, one line) names the file and why."""


@dataclass(frozen=True, slots=True)
class PartFinding:
    """A finding in one part of a file; the finding's offsets are into that part's text."""

    part: str
    finding: Finding


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ScanError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ScanError(f"{path}: is a directory, not a file") from exc
    except OSError as exc:
        raise ScanError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def file_parts(data: bytes, *, name: str = "file") -> list[tuple[str, str]]:
    """(part name, text) of every part of a file's content. Raises ScanError."""
    if not data:
        return []
    try:
        kind = detect_kind(data)
        if kind not in ("txt", "docx", "pdf", "xlsx", "ofd"):
            raise ScanError(
                f"{name}: not a text, DOCX or PDF file ({kind or 'unknown type'}); convert it first"
            )
        parts = extract_parts(kind, data)
    except AttachmentError as exc:
        raise ScanError(f"{name}: cannot be scanned (encrypted, corrupt or malformed): {exc}") from exc
    except PartsError as exc:
        raise ScanError(f"{name}: cannot be scanned (encrypted, corrupt or malformed): {exc}") from exc
    return [(part, text) for part, text in parts if text and text.strip()]


def scan_data_parts(data: bytes, *, name: str = "file") -> list[PartFinding]:
    """Findings in every part of a file's content, each naming its part."""
    return [PartFinding(part, f) for part, text in file_parts(data, name=name) for f in scan_text(text)]


def scan_file_parts(path: str | Path) -> list[PartFinding]:
    """Findings in every part of the file at ``path``, each naming its part. Raises ScanError
    for a missing, unreadable, encrypted, corrupt or unsupported file."""
    path = Path(path)
    return scan_data_parts(_read(path), name=str(path))


def scan_file(path: str | Path) -> list[Finding]:
    """Findings in every part of the file at ``path``. Offsets are into the file's parts' texts
    joined by blank lines, in the order of ``file_parts`` (for a text file: its decoded
    content, line ends as \\n). Raises ScanError for a missing, unreadable, encrypted, corrupt
    or unsupported file."""
    path = Path(path)
    findings: list[Finding] = []
    offset = 0
    for _part, text in file_parts(_read(path), name=str(path)):
        for f in scan_text(text):
            findings.append(replace(f, start=f.start + offset, end=f.end + offset))
        offset += len(text) + len(PART_GAP)
    return findings
