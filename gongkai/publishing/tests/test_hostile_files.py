"""Nothing leaks (issue 17): hostile but ordinary PDF and DOCX files, each carrying a name, an
identity number, a mobile and an address in one place a reader or a program can get them
from, go through the platform's own pre-scan, review and publication exactly as staff run
them, with every finding settled as "redact". Each is published clean or refused with a
reason that quotes none of the values. What is published is checked here with tools
independent of the platform's own: poppler (pdftotext, pdfinfo, pdfdetach) when installed,
pypdf over every object and stream, every stream inflated from the raw bytes, the raw bytes,
and the DOCX's zip entries as XML."""

import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
import zlib

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from gongkai.catalogue.attachments import AttachmentError
from gongkai.catalogue.models import Visibility
from gongkai.publishing.models import FindingDecision
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import (
    PublishingError,
    finding_settle,
    record_attachment_add,
    submission_decide,
    submission_submit,
)

from . import hostile
from .factories import draft, make_office

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdfinfo", "pdfdetach"))


@pytest.fixture
def office(db):
    return make_office()


def squeeze(text: str) -> str:
    """Full-width to half-width, case folded, without spaces, line breaks and hyphens."""
    return re.sub(r"[\s\-‐‑–—－.·]+", "", unicodedata.normalize("NFKC", text).casefold())


def publish(office, data: bytes, filename: str):
    """Attach, submit, settle every finding as "redact", approve every step. Returns
    ("published" | "refused", message, submission)."""
    submission = draft(office, title="关于公布补助名单的通知", body="各学校：现将补助名单公布如下。")
    try:
        record_attachment_add(
            submission=submission, data=data, filename=filename, title="补助名单", actor=office.clerk
        )
    except AttachmentError as exc:
        return "refused", str(exc), submission
    submission = submission_submit(submission=submission, actor=office.clerk, opinion="拟主动公开")
    assert submission.findings.exists(), "the pre-scan found nothing"
    try:
        for approver in office.approvers():
            if approver is office.office_head:
                for finding in submission.findings.all():
                    finding_settle(finding=finding, actor=approver, decision=FindingDecision.REDACT)
                submission.refresh_from_db()
            submission = submission_decide(
                submission=submission, actor=approver, decision=Decision.APPROVE, opinion="同意"
            )
    except PublishingError as exc:
        return "refused", str(exc), submission
    return "published", "", submission


def _poppler(*args: str, data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    done = subprocess.run([*args, str(path), *(["-"] if args[0] == "pdftotext" else [])], capture_output=True)
    return done.stdout.decode("utf-8", "replace")


def pdf_readings(data: bytes, tmp_path) -> dict[str, str]:
    """Every independent reading of a PDF, by where it came from."""
    readings = {}
    if POPPLER:
        readings["pdftotext"] = _poppler("pdftotext", "-enc", "UTF-8", data=data, tmp_path=tmp_path)
        readings["pdfinfo"] = _poppler("pdfinfo", "-enc", "UTF-8", data=data, tmp_path=tmp_path)
        readings["pdfinfo -meta"] = _poppler("pdfinfo", "-meta", data=data, tmp_path=tmp_path)
        readings["pdfdetach"] = _poppler("pdfdetach", "-list", "-enc", "UTF-8", data=data, tmp_path=tmp_path)
    reader = PdfReader(io.BytesIO(data))
    readings["pypdf pages"] = "\n".join(page.extract_text() or "" for page in reader.pages)
    objects = []
    numbers = set(reader.xref_objStm)
    for generation in reader.xref.values():
        numbers.update(generation)
    for number in numbers:
        obj = reader.get_object(IndirectObject(number, 0, reader))
        objects.append(repr(obj))
        if isinstance(obj, StreamObject):
            raw = obj.get_data()
            objects += [raw.decode("latin-1"), raw.decode("utf-8", "ignore")]
    readings["pypdf objects"] = "\n".join(objects)
    inflated = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            inflated.append(zlib.decompress(m.group(1)).decode("utf-8", "ignore"))
        except zlib.error:
            continue
    readings["inflated streams"] = "\n".join(inflated)
    readings["raw bytes"] = data.decode("latin-1")
    return readings


def docx_readings(data: bytes) -> dict[str, str]:
    readings = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            raw = zf.read(name)
            readings[name] = (
                raw.decode("utf-8", "ignore") + "\n" + re.sub(r"<[^>]+>", "", raw.decode("utf-8", "ignore"))
            )
            if raw[:2] == b"PK":
                readings.update({f"{name} › {k}": v for k, v in docx_readings(raw).items()})
    return readings


def assert_clean(readings: dict[str, str]) -> None:
    for source, text in readings.items():
        squeezed = squeeze(text)
        for value in hostile.VALUES:
            assert squeeze(value) not in squeezed, f"a planted value is still in {source}"


def assert_refusal_quotes_nothing(message: str) -> None:
    assert message
    for value in hostile.VALUES:
        assert squeeze(value) not in squeeze(message)


def _published_file(submission) -> bytes:
    attachment = submission.document.attachments.get()
    with attachment.file.open("rb") as fh:
        return fh.read()


@pytest.mark.parametrize("case", list(hostile.PDFS))
def test_hostile_pdf_is_published_clean_or_refused_with_a_reason(office, case, tmp_path):
    outcome, message, submission = publish(office, hostile.PDFS[case](), "notice.pdf")
    submission.document.refresh_from_db()
    if outcome == "refused":
        assert_refusal_quotes_nothing(message)
        assert submission.document.visibility != Visibility.PUBLIC
        return
    assert submission.document.visibility == Visibility.PUBLIC
    data = _published_file(submission)
    readings = pdf_readings(data, tmp_path)
    assert_clean(readings)
    # One revision, nothing embedded, no scripts, no metadata.
    assert data.count(b"%%EOF") == 1
    assert b"/JavaScript" not in data and b"/EmbeddedFile" not in data and b"/Metadata" not in data
    # The page's other text is intact.
    page_text = squeeze(readings.get("pdftotext") or readings["pypdf pages"])
    assert squeeze(hostile.KEPT) in page_text and squeeze(hostile.TITLE) in page_text
    if case in ("page text", "white text", "link target", "hidden layer"):
        # The labels beside the values stay; not one character of a value does.
        for label, value in zip(
            ("联系人：", "身份证号码：", "手机：", "住址："), hostile.VALUES, strict=True
        ):
            assert squeeze(label) in page_text and squeeze(label + value[0]) not in page_text
    assert submission.sanitise_report and submission.sanitise_report[0]["attachment"]


@pytest.mark.parametrize("case", list(hostile.DOCXS))
def test_hostile_docx_is_published_clean_or_refused_with_a_reason(office, case):
    outcome, message, submission = publish(office, hostile.DOCXS[case](), "notice.docx")
    submission.document.refresh_from_db()
    if outcome == "refused":
        assert_refusal_quotes_nothing(message)
        assert submission.document.visibility != Visibility.PUBLIC
        return
    assert submission.document.visibility == Visibility.PUBLIC
    data = _published_file(submission)
    readings = docx_readings(data)
    assert_clean(readings)
    names = set(readings)
    assert not any(
        n.startswith(("customXml/", "word/glossary/", "word/embeddings/", "word/media/", "docProps/"))
        or "comments" in n
        for n in names
    ), sorted(names)
    body = squeeze(re.sub(r"<[^>]+>", "", readings["word/document.xml"]))
    assert squeeze(hostile.TITLE) in body and squeeze(hostile.KEPT) in body


def test_every_hostile_file_is_published_clean_not_merely_refused(office, tmp_path):
    """The guarantee is not bought by refusing everything: each of these comes out clean."""
    outcomes = {}
    for case, build in {**hostile.PDFS, **hostile.DOCXS}.items():
        filename = "notice.pdf" if case in hostile.PDFS else "notice.docx"
        outcomes[case] = publish(office, build(), filename)[0]
    assert [case for case, outcome in outcomes.items() if outcome != "published"] == []
