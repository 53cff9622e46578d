"""Text extraction from files of a known kind (PDF, DOCX, XLSX, OFD, TXT), for the search index
and the pre-scan, inside a budgeted child process (memory and time) so that a hostile file costs
a refusal, not a worker. Pure: no database, no storage.

catalogue.md ("Document metadata": text extracted for search where possible) and security.md
("Input and files").
"""

import codecs
import ctypes
import io
import logging
import math
import os
import pickle
import posixpath
import resource
import select
import signal
import time
import zipfile
from xml.etree import ElementTree

import docx
import openpyxl
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from gongkai.core.files.kinds import KINDS, AttachmentError, _decode_text, _open_zip, _Source, _text_encoding

log = logging.getLogger(__name__)

# Text extraction runs in a child process with this much address space on top of what the
# worker already has, and is killed past its time; either way the file is refused.
EXTRACT_MEMORY_BYTES = 1024 * 1024 * 1024
EXTRACT_HARD_SECONDS = 120.0
# Off only where fork is unsafe (set GONGKAI_EXTRACT_IN_CHILD=0); the budget then is soft.
BUDGETED_EXTRACTION = os.environ.get("GONGKAI_EXTRACT_IN_CHILD", "1") == "1"
# Extracted text only feeds the search index: past these budgets the rest is not indexed.
MAX_TEXT_BYTES = 2 * 1024 * 1024
EXTRACT_SECONDS = 30.0


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


def _handle(data):
    """What a parser opens: a path as it is, bytes as a stream."""
    return io.BytesIO(data) if isinstance(data, bytes | bytearray | memoryview) else data


def _extract_pdf(data, budget: _TextBudget) -> None:
    reader = PdfReader(_handle(data))
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


def _extract_docx(data, budget: _TextBudget) -> None:
    _docx_blocks(docx.Document(_handle(data)), budget)


def _extract_xlsx(data, budget: _TextBudget) -> None:
    wb = openpyxl.load_workbook(_handle(data), read_only=True, data_only=True)
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


def _extract_ofd(data, budget: _TextBudget) -> None:
    """Text of an OFD (GB/T 33190-2016): OFD.xml names each document's root, which lists its
    pages in order; each page's Content.xml holds TextObjects made of TextCode runs."""
    zf = zipfile.ZipFile(_handle(data))
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


def _extract_txt(data, budget: _TextBudget) -> None:
    if isinstance(data, bytes | bytearray | memoryview):
        budget.add(_decode_text(bytes(data)) or "")
        return
    # A file on disk: decode in chunks and stop once the budget's worth of text is read.
    source = _Source(size=os.path.getsize(data), path=data)
    encoding = _text_encoding(source.chunks)
    if encoding is None:
        return
    decoder = codecs.getincrementaldecoder(encoding)()
    parts, size = [], 0
    for chunk in source.chunks():
        parts.append(decoder.decode(chunk))
        size += len(parts[-1].encode())
        if size > budget.max_bytes:
            break
    else:
        parts.append(decoder.decode(b"", final=True))
    budget.add("".join(parts).replace("\r\n", "\n"))


EXTRACTORS = {
    "pdf": _extract_pdf,
    "docx": _extract_docx,
    "xlsx": _extract_xlsx,
    "ofd": _extract_ofd,
    "txt": _extract_txt,
}


def extract_text(
    kind: str,
    data: bytes | str,
    *,
    max_bytes: int | None = MAX_TEXT_BYTES,
    seconds: float | None = EXTRACT_SECONDS,
) -> tuple[str, bool]:
    """(text, truncated) of a file of a known kind, given as bytes or as the path of a file on
    disk (read there, in the budgeted child); no text for kinds without an extractor.
    The search index needs only the first ``max_bytes`` (the pre-scan passes None: all of it).
    A file its parser cannot read raises AttachmentError with the parser's reason."""
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        return "", False
    if kind in ("docx", "xlsx", "ofd"):
        _open_zip(data, KINDS[kind].label)  # sizes checked before any XML is parsed
    hard_seconds = EXTRACT_HARD_SECONDS if seconds is None else seconds * 2 + 5
    outcome, value = run_budgeted(
        _extract_in_budget,
        extractor,
        data,
        max_bytes,
        seconds,
        memory=EXTRACT_MEMORY_BYTES,
        seconds=hard_seconds,
    )
    if outcome == "refused":
        raise AttachmentError(value)
    if outcome == "error":
        # pypdf, python-docx and openpyxl raise many types on malformed input; for an upload
        # every one of them means the same thing to the uploader: the file cannot be read.
        raise AttachmentError(
            _("%(label)s已损坏或格式不规范，无法读取（%(reason)s）。")
            % {"label": KINDS[kind].label, "reason": value}
        )
    if outcome in ("memory", "killed"):
        log.warning("text extraction of a %s stopped: %s", kind, outcome)
        raise AttachmentError(
            _("%(label)s的内容过于庞大或复杂，无法在限定的内存和时间内读取，已拒绝；请拆分或另存后再上传。")
            % {"label": KINDS[kind].label}
        )
    text, truncated, size = value
    if truncated:
        log.warning("attachment text truncated at %d bytes", size)
    return text, truncated


def _extract_in_budget(extractor, data: bytes, max_bytes: int | None, seconds: float | None):
    budget = _TextBudget(max_bytes, seconds)
    extractor(data, budget)
    return budget.text(), budget.truncated, budget.size


def _address_space() -> int:
    """This process's virtual size in bytes (the base RLIMIT_AS is counted from)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _release_free_memory() -> None:
    """Give the heap's free pages back (glibc), so that the budget counts from what is in use."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _peak_address_space() -> int:
    """This process's peak virtual size in bytes (VmPeak), 0 when unknown."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_budgeted(fn, *args, memory: int, seconds: float):
    """Run ``fn(*args)`` in a forked child limited to ``memory`` more bytes of address space
    and ``seconds`` of wall time. Returns (outcome, value): ("ok", result), ("refused", the
    AttachmentError's message), ("error", "Type: message"), ("memory", "") or ("killed", "")
    for a child that ran out of memory or time or died. Without fork (not Linux), runs inline."""
    if not hasattr(os, "fork") or not BUDGETED_EXTRACTION:
        return _outcome(fn, args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 0
        try:
            os.close(read_end)
            _release_free_memory()
            base = _address_space()
            if base:
                resource.setrlimit(resource.RLIMIT_AS, (base + memory, base + memory))
            near_limit = base + memory * 0.9
            inherited_peak = _peak_address_space()  # the parent's, copied by fork
            result = _outcome(fn, args)
            if result[0] == "error" and inherited_peak < near_limit < _peak_address_space():
                # lxml and others report a failed allocation as their own error type
                result = ("memory", "")
            payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as fh:
                fh.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    received = bytearray()
    deadline = time.monotonic() + seconds
    killed = False
    with os.fdopen(read_end, "rb") as fh:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                os.kill(pid, signal.SIGKILL)
                killed = True
                break
            ready, _w, _x = select.select([fh], [], [], remaining)
            if ready:
                chunk = os.read(fh.fileno(), 1 << 16)
                if not chunk:
                    break
                received += chunk
    os.waitpid(pid, 0)
    if killed or not received:
        return ("killed", "")
    try:
        return pickle.loads(received)
    except Exception:
        return ("killed", "")


def _outcome(fn, args):
    try:
        return ("ok", fn(*args))
    except AttachmentError as exc:
        return ("refused", str(exc))
    except MemoryError:
        return ("memory", "")
    except Exception as exc:
        return ("error", f"{type(exc).__name__}: {exc}"[:200])


# ---------------------------------------------------------------- inspection
