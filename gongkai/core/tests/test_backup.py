"""Backup and restore (security.md, "Reliability"): the restore drill on the configured database
(SQLite by default, PostgreSQL when DATABASE_URL names one: the restore then replaces the schema
of the test database named by GONGKAI_TEST_DB_NAME, through a scratch schema inside it) and the
refusals that change nothing. The commands as a user runs them: test_backup_cli.py."""

import io
import json
import re
import shutil
import stat
import tarfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from gongkai.agencies.models import Agency, Role
from gongkai.applications.models import Application, ApplicationFile
from gongkai.applications.rules import ApplicantType, Channel
from gongkai.applications.services import application_file_add, application_register
from gongkai.catalogue.attachments import attachment_add, attachment_remove
from gongkai.catalogue.models import Attachment, Document
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.catalogue.tests.samples import make_pdf, make_png
from gongkai.core.audit import audit_verify
from gongkai.core.backup import BackupError, TargetNotEmpty, backup_create
from gongkai.core.backup_db import find_pg_tool
from gongkai.core.models import AuditEvent
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.operations.backup import backup_restore
from gongkai.publishing.tests.factories import make_staff
from gongkai.search import engine
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)

ATTACHMENT_PDF = make_pdf("政务公开标准化附件正文")
IDENTITY_PNG = make_png(4, 4)


@pytest.fixture
def records():
    """An agency with a published document and its attachment, and an application with the
    applicant's identity proof, all made through the services."""
    ensure_taxonomy()
    agency = make_agency("江州市人民政府")
    document = make_document(agency, "关于推进基层政务公开标准化的通知", "全面推进基层政务公开标准化规范化。")
    attachment = attachment_add(document=document, data=ATTACHMENT_PDF, filename="附件一.pdf")
    clerk = make_staff(agency, Role.CLERK)
    application = application_register(
        data={
            "agency": agency,
            "applicant_type": ApplicantType.NATURAL_PERSON,
            "name": "张三",
            "id_type": "resident_id",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "email": "zhangsan@example.com",
            "address": "江州市滨江区江滨路1号",
            "description": "2025年江州市义务教育阶段学校招生计划",
            "form": "electronic",
            "delivery": "email",
        },
        channel=Channel.POST,
        received_on=date(2026, 3, 2),
        actor=clerk,
    ).application
    proof = application_file_add(
        application=application,
        data=IDENTITY_PNG,
        filename="身份证.png",
        kind=ApplicationFile.Kind.IDENTITY_PROOF,
        actor=clerk,
    )
    return {"document": document, "attachment": attachment, "application": application, "proof": proof}


def media_files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rows() -> dict[str, list[dict]]:
    """The rows the drill must bring back exactly."""
    models = [Agency, Document, Attachment, Application, ApplicationFile, AuditEvent]
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}


def leftovers() -> list[str]:
    """Scratch files or directories a restore left beside MEDIA_ROOT."""
    parent = Path(settings.MEDIA_ROOT).parent
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".gongkai-", ".media-")))


def test_restore_drill_brings_back_records_files_search_and_audit(records, tmp_path):
    before_rows, before_files = rows(), media_files()
    assert len(before_files) == 2
    archive = tmp_path / "drill.tar"
    report = backup_create(output=archive)
    assert report.files == 2 and report.vendor == connection.vendor

    # Disaster: an attachment removed, a title changed, an application file lost, a stray file,
    # the search index gone.
    attachment_remove(attachment=records["attachment"])
    Document.objects.filter(pk=records["document"].pk).update(title="被改动的标题")
    Path(records["proof"].file.path).unlink()
    (Path(settings.MEDIA_ROOT) / "stray.bin").write_bytes(b"not in the backup")
    shutil.rmtree(settings.GONGKAI_SEARCH_DIR)
    engine.reset_cache()

    restored = backup_restore(archive=archive, replace=True)

    after = rows()
    restore_events = after["core.AuditEvent"][len(before_rows["core.AuditEvent"]) :]
    assert [e["action"] for e in restore_events] == ["backup_restore"]  # the restore is recorded
    after["core.AuditEvent"] = after["core.AuditEvent"][: -len(restore_events)]
    assert after == before_rows
    assert media_files() == before_files  # byte for byte, and the stray file is gone
    assert Attachment.objects.get().file.read() == ATTACHMENT_PDF
    assert ApplicationFile.objects.get().file.read() == IDENTITY_PNG
    hits = search_documents(SearchQuery(q="政务公开标准化")).hits
    assert [h.document.pk for h in hits] == [records["document"].pk]
    assert restored.search_indexed == 1
    assert restored.audit_broken == [] and restored.missing_files == [] and restored.migrations_applied == []
    assert restored.audit_events == len(before_rows["core.AuditEvent"])
    assert audit_verify() == []  # the restore's own event chains onto the restored trail
    assert leftovers() == []


def flip_byte(archive: Path, member: str) -> None:
    with tarfile.open(archive) as tar:
        offset = tar.getmember(member).offset_data
    with open(archive, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def rewrite(archive: Path, dest: Path, *, manifest=None, drop: str | None = None) -> Path:
    """A copy of ``archive`` with its manifest changed by ``manifest(dict)`` or a member left out."""
    with tarfile.open(archive) as src, tarfile.open(dest, "w") as out:
        for member in src:
            if member.name == drop:
                continue
            data = src.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                data = json.dumps(manifest(json.loads(data))).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return dest


def damaged(kind: str, archive: Path, tmp_path: Path) -> Path:
    if kind == "flipped byte in a file":
        with tarfile.open(archive) as tar:
            name = next(n for n in tar.getnames() if n.startswith("media/"))
        flip_byte(archive, name)
        return archive
    if kind == "flipped byte in the database":
        with tarfile.open(archive) as tar:
            name = next(n for n in tar.getnames() if n.startswith("database/"))
        flip_byte(archive, name)
        return archive
    if kind == "cut off":
        data = archive.read_bytes()
        (tmp_path / "cut.tar").write_bytes(data[: len(data) // 2])
        return tmp_path / "cut.tar"
    if kind == "file missing":
        with tarfile.open(archive) as tar:
            name = next(n for n in tar.getnames() if n.startswith("media/"))
        return rewrite(archive, tmp_path / "missing.tar", drop=name)
    if kind == "foreign tar":
        with tarfile.open(tmp_path / "foreign.tar", "w") as tar:
            tar.add(__file__, arcname="notes.txt")
        return tmp_path / "foreign.tar"
    if kind == "not a tar":
        (tmp_path / "photo.tar").write_bytes(IDENTITY_PNG * 100)
        return tmp_path / "photo.tar"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("flipped byte in a file", "checksum mismatch for media/"),
        ("flipped byte in the database", "checksum mismatch for database/"),
        ("cut off", "damaged or cut off"),
        ("file missing", "the archive lacks media/"),
        ("foreign tar", "unexpected entry 'notes.txt'"),
        ("not a tar", "is not a tar archive"),
    ],
)
def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(records, tmp_path, kind, says):
    archive = tmp_path / "backup.tar"
    backup_create(output=archive)
    Document.objects.filter(pk=records["document"].pk).update(title="备份之后的标题")
    before_rows, before_files = rows(), media_files()
    with pytest.raises(BackupError, match=says):
        backup_restore(archive=damaged(kind, archive, tmp_path), replace=True)
    assert rows() == before_rows and media_files() == before_files
    assert leftovers() == []


def test_a_restore_whose_migrations_fail_puts_the_previous_database_and_files_back(records, tmp_path):
    archive = tmp_path / "backup.tar"
    # A backup that cannot be migrated: it records the complaints migrations after 0001 as not
    # applied, yet has their columns, so applying them again fails.
    later = MigrationRecorder.Migration.objects.filter(app="complaints", name__gte="0002")
    saved = list(later.values("app", "name", "applied"))
    assert saved
    later.delete()
    try:
        backup_create(output=archive)
    finally:
        MigrationRecorder.Migration.objects.bulk_create(MigrationRecorder.Migration(**row) for row in saved)
    Document.objects.filter(pk=records["document"].pk).update(title="备份之后的标题")
    (Path(settings.MEDIA_ROOT) / "after-backup.bin").write_bytes(b"kept")
    before_rows, before_files = rows(), media_files()
    with pytest.raises(
        BackupError, match="migrating the restored database failed, the previous state is back"
    ):
        backup_restore(archive=archive, replace=True)
    assert rows() == before_rows and media_files() == before_files
    assert leftovers() == []


def test_a_backup_of_another_database_vendor_is_refused(records, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_create(output=archive)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def as_other_vendor(manifest):
        manifest["database"]["vendor"] = other
        return manifest

    before_rows, before_files = rows(), media_files()
    foreign = rewrite(archive, tmp_path / "other.tar", manifest=as_other_vendor)
    with pytest.raises(BackupError, match=f"holds a {other} database but the configured database is"):
        backup_restore(archive=foreign, replace=True)
    assert rows() == before_rows and media_files() == before_files


def test_a_backup_from_a_newer_gongkai_is_refused(records, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_create(output=archive)

    def from_the_future(manifest):
        manifest["migrations"]["catalogue"].append("9999_from_the_future")
        return manifest

    newer = rewrite(archive, tmp_path / "newer.tar", manifest=from_the_future)
    with pytest.raises(BackupError, match="made by a newer Gongkai .*catalogue.9999_from_the_future"):
        backup_restore(archive=newer, replace=True)
    assert Document.objects.count() == 1


def test_a_non_empty_target_needs_yes_and_says_what_it_holds(records, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_create(output=archive)
    Document.objects.filter(pk=records["document"].pk).update(title="备份之后的标题")
    with pytest.raises(TargetNotEmpty) as refused:
        backup_restore(archive=archive)
    message = str(refused.value)
    assert re.search(r"\d+ core\.auditevent, .*1 agencies\.agency", message)
    assert "2 file(s) under" in message and message.endswith("pass --yes to replace it")
    assert Document.objects.get().title == "备份之后的标题"
    backup_restore(archive=archive, replace=True)
    assert Document.objects.get().title == "关于推进基层政务公开标准化的通知"


def test_an_empty_target_is_restored_without_yes(records, tmp_path):
    archive = tmp_path / "backup.tar"
    backup_create(output=archive)
    expected = media_files()
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT)
    backup_restore(archive=archive)
    assert Document.objects.get().title == "关于推进基层政务公开标准化的通知"
    assert media_files() == expected


def test_the_archive_appears_only_when_complete_and_is_private(records, tmp_path):
    (tmp_path / "backups").mkdir()
    archive = tmp_path / "backups" / "backup.tar"
    backup_create(output=archive)
    assert [p.name for p in archive.parent.iterdir()] == ["backup.tar"]  # no scratch left beside it
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600  # it holds applicants' identity data
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert names[-1] == "manifest.json"  # last: an archive cut off has none
        assert all(stat.S_IMODE(m.mode) == 0o600 for m in tar.getmembers())
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["catalogue"]
    assert {f["path"] for f in manifest["files"]} == set(names[:-1])
    assert not any(n.startswith("search") for n in names)


def fake_tool(directory: Path, name: str, version: str) -> str:
    path = directory / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    path.chmod(0o755)
    return str(path)


def test_pg_dump_older_than_the_server_or_missing_is_refused_in_one_line(tmp_path):
    old = fake_tool(tmp_path, "pg_dump", "13.9")
    with pytest.raises(
        BackupError, match=r"^pg_dump 13\.9 is older than PostgreSQL 15; install postgresql-client 15"
    ):
        find_pg_tool("pg_dump", min_major=15, candidates=[old])
    (tmp_path / "16").mkdir()
    newer = fake_tool(tmp_path / "16", "pg_dump", "16.2")
    assert find_pg_tool("pg_dump", min_major=15, candidates=[old, newer]) == newer
    with pytest.raises(BackupError, match="^pg_dump is not installed; install the postgresql-client package"):
        find_pg_tool("pg_dump", min_major=15, candidates=[str(tmp_path / "nowhere")])
