"""Office documents are checked by their XML part sizes before parsing, and text extraction
runs with a memory and time budget in a child process (issue 10, section 3): a 36 MB DOCX with a
190 MB document.xml took a worker to 3 GB and killed it."""

import io
import os
import random
import string
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from gongkai.catalogue.uploads import upload_inspect
from gongkai.core.files import kinds
from gongkai.core.files.extract import AttachmentError, extract_text, run_budgeted

from .samples import make_docx

ROOT = Path(__file__).resolve().parents[3]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def words(n_bytes: int, seed: int = 7) -> list[str]:
    """Paragraph texts that deflate only a few times over (no compression-ratio alarm)."""
    rng = random.Random(seed)
    out, size = [], 0
    while size < n_bytes:
        text = "".join(rng.choice(string.ascii_letters) for _ in range(60))
        out.append(text)
        size += len(text) + 34  # the paragraph's tags
    return out


def docx_with_document_xml(paragraphs: list[str]) -> bytes:
    """A real DOCX whose word/document.xml is replaced by one with these paragraphs."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    source = zipfile.ZipFile(io.BytesIO(make_docx("样本")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml.encode() if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_docx_with_an_oversized_document_xml_is_refused_before_parsing():
    data = docx_with_document_xml(words(kinds.MAX_XML_PART_BYTES + 1024 * 1024))
    assert len(data) < kinds.MAX_XML_PART_BYTES  # small on the wire, big once inflated
    with pytest.raises(AttachmentError, match="word/document.xml") as caught:
        upload_inspect(data=data, filename="通知.docx")
    assert "超过上限" in str(caught.value)


def test_the_xml_limit_applies_to_every_office_kind(monkeypatch):
    monkeypatch.setattr(kinds, "MAX_XML_PART_BYTES", 64 * 1024)
    with pytest.raises(AttachmentError, match="超过上限"):
        extract_text("docx", docx_with_document_xml(words(100 * 1024)))


WORKER = """
import django, sys, time
django.setup()
from gongkai.catalogue import uploads
from gongkai.core.files import extract
from gongkai.catalogue.tests.samples import make_docx
from gongkai.catalogue.tests.test_upload_budget import docx_with_document_xml, words
extract.EXTRACT_MEMORY_BYTES = 48 * 1024 * 1024
data = docx_with_document_xml(words(12 * 1024 * 1024))  # parses to far more than 48 MB
try:
    uploads.upload_inspect(data=data, filename="big.docx")
    print("ACCEPTED")
except extract.AttachmentError as exc:
    print("REFUSED", exc)
print("STILL", "样本" in extract.extract_text("docx", make_docx("样本"))[0])
"""


def test_extraction_past_its_memory_budget_fails_closed_and_the_worker_lives():
    # A fresh process stands for a worker: the budget counts from the worker's own size, and
    # this test process has grown a heap of its own that a forked child would reuse.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    done = subprocess.run(
        [sys.executable, "-c", WORKER], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "REFUSED" in done.stdout and "无法在限定的内存和时间内读取" in done.stdout
    assert "STILL True" in done.stdout  # the worker itself is untouched and goes on


def test_extraction_past_its_time_is_killed():
    started = time.monotonic()
    assert run_budgeted(time.sleep, 30, memory=64 * 1024 * 1024, seconds=0.5) == ("killed", "")
    assert time.monotonic() - started < 5


def test_the_child_reports_results_and_errors():
    assert run_budgeted(sum, [1, 2, 3], memory=64 * 1024 * 1024, seconds=10) == ("ok", 6)
    outcome, reason = run_budgeted(int, "x", memory=64 * 1024 * 1024, seconds=10)
    assert outcome == "error" and reason.startswith("ValueError")
    assert run_budgeted(bytearray, 512 * 1024 * 1024, memory=64 * 1024 * 1024, seconds=10)[0] == "memory"


def test_the_child_never_runs_the_parents_exit_handlers(tmp_path):
    marker = tmp_path / "pid"
    outcome, pid = run_budgeted(os.getpid, memory=64 * 1024 * 1024, seconds=10)
    assert outcome == "ok" and pid != os.getpid()
    assert not marker.exists()
