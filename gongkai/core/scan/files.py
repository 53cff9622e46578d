"""scan_file: the pre-scan of a text, DOCX or PDF file (and of the other kinds whose text the
catalogue's upload checks can extract: XLSX, OFD)."""

from pathlib import Path

from .engine import scan_text
from .findings import Finding


class ScanError(Exception):
    """A file that cannot be scanned; the message (English, one line) names the file and why."""


def scan_file(path: str | Path) -> list[Finding]:
    """Findings in the text of the file at ``path``. Offsets are into the extracted text (for
    a text file: its decoded content, line ends as \\n). Raises ScanError for a missing,
    unreadable, encrypted, corrupt or unsupported file."""
    # Extraction lives with the upload checks (type by content, zip bombs, encrypted PDFs).
    from gongkai.catalogue.uploads import AttachmentError, detect_kind, extract_text

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ScanError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ScanError(f"{path}: is a directory, not a file") from exc
    except OSError as exc:
        raise ScanError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if not data:
        return []
    try:
        kind = detect_kind(data)
        if kind not in ("txt", "docx", "pdf", "xlsx", "ofd"):
            raise ScanError(
                f"{path}: not a text, DOCX or PDF file ({kind or 'unknown type'}); convert it first"
            )
        # The whole text: the search index's size and time budgets must not hide anything here.
        text, _ = extract_text(kind, data, max_bytes=None, seconds=None)
    except AttachmentError as exc:
        raise ScanError(f"{path}: cannot be scanned (encrypted, corrupt or malformed): {exc}") from exc
    return scan_text(text)
