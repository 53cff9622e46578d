"""Issue 10 §3: "Uploads stream to disk in chunks; nothing reads a whole file into memory."
Django writes every upload over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; inspecting it
(type, image size, text), hashing it and storing it then read that file in chunks. Measured with
tracemalloc around the service call: a 20 MB upload costs well under 20 MB of memory, and what
is stored is byte for byte what was uploaded."""

import hashlib
import os
import tracemalloc

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from gongkai.applications import services
from gongkai.applications.models import ApplicationFile
from gongkai.catalogue.attachments import attachment_add
from gongkai.catalogue.uploads import upload_inspect
from gongkai.publishing.tests.factories import make_office
from gongkai.workbench.tests.applications_world import register

from .factories import make_agency, make_document

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SIZE = 20 * MB
BUDGET = 4 * MB  # peak Python memory allowed for handling a 20 MB upload
TEXT_BUDGET = 12 * MB  # the same, plus the extracted text kept for the search index


def _jpeg_header(width: int = 800, height: int = 600) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0\x00\x11\x08" + height.to_bytes(2, "big") + width.to_bytes(2, "big")
    sof0 += b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + app0 + sof0


def _temporary_upload(
    name: str, content_type: str, head: bytes, filler: bytes
) -> tuple[TemporaryUploadedFile, str]:
    """An upload as Django's TemporaryFileUploadHandler leaves it: on disk, written in chunks."""
    upload = TemporaryUploadedFile(name, content_type, 0, "utf-8")
    digest = hashlib.sha256(head)
    upload.write(head)
    written = len(head)
    while written < SIZE:
        chunk = filler[: SIZE - written]
        upload.write(chunk)
        digest.update(chunk)
        written += len(chunk)
    upload.flush()
    upload.seek(0)
    upload.size = written
    return upload, digest.hexdigest()


def _peak(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_uploads_over_a_quarter_megabyte_go_to_a_temporary_file():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 256 * 1024
    assert "django.core.files.uploadhandler.TemporaryFileUploadHandler" in settings.FILE_UPLOAD_HANDLERS


def test_inspecting_a_20_mb_image_reads_it_in_chunks():
    upload, digest = _temporary_upload("scan.jpg", "image/jpeg", _jpeg_header(), os.urandom(MB))
    inspected, peak = _peak(lambda: upload_inspect(data=upload, filename=upload.name))
    assert inspected.kind.name == "jpeg" and inspected.size == SIZE and inspected.sha256 == digest
    assert peak < BUDGET, f"peak {peak / MB:.1f} MB for a 20 MB upload"


def test_a_20_mb_text_attachment_is_checked_hashed_and_stored_in_chunks():
    document = make_document(make_agency("江州市统计局"), publish=False)
    line = "江州市2025年国民经济和社会发展统计公报，第一部分：综合。\n".encode()
    upload, digest = _temporary_upload("公报.txt", "text/plain", line, line * (MB // len(line)))
    attachment, peak = _peak(lambda: attachment_add(document=document, data=upload, filename=upload.name))
    # What a text costs is its search-index text (at most MAX_TEXT_BYTES, 2 MB of UTF-8, which
    # Python decodes at up to 4 bytes a character), not the file: the same for 20 MB or 50 MB.
    assert peak < TEXT_BUDGET, f"peak {peak / MB:.1f} MB for a 20 MB upload"
    assert attachment.size == SIZE and attachment.sha256 == digest
    with attachment.file.open("rb") as fh:
        stored = hashlib.sha256()
        while chunk := fh.read(MB):
            stored.update(chunk)
    assert stored.hexdigest() == digest
    assert attachment.text.startswith("江州市2025年国民经济和社会发展统计公报")


def test_a_20_mb_file_provided_to_an_applicant_is_stored_in_chunks():
    office = make_office("江州市教育局")
    application = register(office)
    upload, digest = _temporary_upload("答复附件.jpg", "image/jpeg", _jpeg_header(), os.urandom(MB))
    row, peak = _peak(
        lambda: services.provided_file_add(
            application=application, data=upload, filename=upload.name, redact=[], actor=office.clerk
        )
    )
    assert peak < BUDGET, f"peak {peak / MB:.1f} MB for a 20 MB upload"
    assert row.kind == ApplicationFile.Kind.PROVIDED and row.size == SIZE and row.sha256 == digest
    assert os.path.getsize(row.file.path) == SIZE


def test_a_large_upload_through_the_workbench_lands_intact(client):
    office = make_office("江州市教育局")
    application = register(office)
    body = _jpeg_header() + os.urandom(3 * MB)
    client.force_login(office.clerk)
    response = client.post(
        f"/staff/applications/{application.pk}/files/",
        {
            "provided-file": SimpleUploadedFile("照片.jpg", body, content_type="image/jpeg"),
            "provided-redact": "",
        },
    )
    assert response.status_code in (200, 302)
    row = ApplicationFile.objects.get(application=application, kind=ApplicationFile.Kind.PROVIDED)
    assert row.sha256 == hashlib.sha256(body).hexdigest() and row.size == len(body)
