"""Backup and restore (security.md, "Reliability").

A backup is one tar archive: ``database/`` (an SQLite copy made with the online backup API, or
``pg_dump --format=custom``), ``media/`` (every file under MEDIA_ROOT: attachments, application
files, originals kept internal) and ``manifest.json`` (written last, so a cut-off archive has
none) listing each file with its SHA-256. The search index is not in it: it is rebuilt from the
database.

A restore unpacks and checks everything before touching anything, then puts the files and the
database in place with a way back, migrates (an older backup is upgraded), rebuilds the search
index and verifies the audit trail's hash chain.

The manifest also anchors the audit chain's head (newest event id and hash) outside the
database, and each backup appends it to the anchor file too: a restore checks that the
restored trail still holds the anchored event, and then anchors the restored head.

Kept as one module on purpose (over 500 lines): backup and restore are the two halves of one
archive format (manifest, checks) and must not disagree.
"""

import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .audit import (
    audit_anchor_problems,
    audit_anchor_write,
    audit_chain_head,
    audit_record,
    audit_verify,
)
from .backup_db import BackupError, database_for_connection
from .models import AuditEvent

__all__ = ["BackupError", "TargetNotEmpty", "backup_create", "backup_restore", "unpack_verified"]

FORMAT = "gongkai-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
_MANIFEST_MAX_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
# Rows that `gongkai migrate` itself creates: a freshly migrated database holding only these is
# empty, and a restore into it needs no --yes.
MIGRATION_SEEDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "catalogue.subject",
    "catalogue.genre",
    "core.holidaynotice",
    "core.calendarday",
}


class TargetNotEmpty(BackupError):
    """The database or MEDIA_ROOT holds data a restore would overwrite and the caller did not
    say to replace it."""


@dataclass(frozen=True)
class BackupReport:
    archive: str
    created_at: str
    vendor: str
    files: int  # files from MEDIA_ROOT
    bytes: int  # size of the archive


@dataclass
class RestoreReport:
    archive: str
    created_at: str  # when the backup was made
    vendor: str
    files: int
    migrations_applied: list[str]
    search_indexed: int | None  # None: the index was busy, run `gongkai reindex`
    audit_events: int
    audit_broken: list[int]
    missing_files: list[str] = field(default_factory=list)
    # How the restored trail disagrees with the head anchored in the backup's manifest.
    audit_anchor_problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        data = asdict(self)
        return {
            "archive": data["archive"],
            "created_at": data["created_at"],
            "vendor": data["vendor"],
            "files": data["files"],
            "migrations_applied": data["migrations_applied"],
            "search": {"indexed": data["search_indexed"]},
            "audit": {
                "events": data["audit_events"],
                "broken": data["audit_broken"],
                "anchor_problems": data["audit_anchor_problems"],
            },
            "missing_files": data["missing_files"],
        }


# --- backup ------------------------------------------------------------------------------------


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    """Regular files under MEDIA_ROOT, in a stable order; links are not followed."""
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


class _Hashing:
    """A file wrapper that hashes what tarfile reads from it."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    with open(path, "rb") as raw:
        reader = _Hashing(raw)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _version() -> str:
    try:
        return metadata.version("gongkai")
    except metadata.PackageNotFoundError:
        return "unknown"


def _write_archive(database, media_root: Path, directory: Path, created_at: str) -> tuple[Path, list[dict]]:
    """The archive in ``directory``, readable by its owner only (it holds applicants' data)."""
    # Read before the copy: the copy holds at least this event (audit events are only appended).
    # An unmigrated database has no trail: the snapshot then says what is wrong.
    try:
        head = audit_chain_head()
    except DatabaseError:
        head = None
    dump, details, migrations = database.snapshot(directory)
    partial = directory / "archive.tar"
    partial.touch(mode=0o600)
    entries = []
    with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
        entries.append(_add_file(tar, dump, f"{DATABASE_DIR}/{dump.name}"))
        for path in _media_files(media_root):
            entries.append(_add_file(tar, path, f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}"))
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at,
            "gongkai_version": _version(),
            "database": {"vendor": database.vendor, "file": entries[0]["path"], **details},
            "migrations": migrations,
            "files": entries,
            "audit": head.as_json() if head else None,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(data))
    return partial, entries


def backup_create(*, output: Path) -> BackupReport:
    """Write one archive with a consistent copy of the database, every file under MEDIA_ROOT and
    a manifest. The archive appears at ``output`` only once complete (written beside it, then
    renamed). The database is copied first: a file added later is in the archive without a row
    (harmless; `gongkai sweep-attachments` clears it); only a file deleted between the two steps
    can be missing, and a restore reports such files."""
    output = Path(output).absolute()
    media_root = _media_root().absolute()
    if output.is_dir():
        raise BackupError(f"{output} is a directory; name the archive file to write, e.g. -o backup.tar")
    if not output.parent.is_dir():
        raise BackupError(f"cannot write {output}: the directory {output.parent} does not exist")
    if output.parent.resolve().is_relative_to(media_root.resolve()):
        raise BackupError(f"write the archive outside {media_root}, which it copies")
    database = database_for_connection()
    created_at = timezone.localtime().isoformat(timespec="seconds")
    try:
        with tempfile.TemporaryDirectory(prefix=".gongkai-backup-", dir=output.parent) as tmp:
            partial, entries = _write_archive(database, media_root, Path(tmp), created_at)
            os.replace(partial, output)
    except OSError as exc:  # a full disk, a directory we may not write to
        raise BackupError(f"cannot write {output}: {exc.strerror or exc}") from exc
    report = BackupReport(
        archive=str(output),
        created_at=created_at,
        vendor=database.vendor,
        files=len(entries) - 1,
        bytes=output.stat().st_size,
    )
    audit_record(
        actor=None,
        action="backup_create",
        after={"archive": output.name, "files": report.files, "bytes": report.bytes, "vendor": report.vendor},
    )
    audit_anchor_write(reason=f"backup {output.name}")
    return report


# --- checking an archive -----------------------------------------------------------------------


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or ".." in path.parts
        or len(path.parts) < 2
        or path.parts[0] not in (DATABASE_DIR, MEDIA_DIR)
    ):
        raise BackupError(f"the archive holds an unexpected entry {name!r}; it is not a Gongkai backup")
    return path


def _read_manifest(raw: bytes | None) -> dict:
    if raw is None:
        raise BackupError("not a Gongkai backup: the archive has no manifest.json (or was cut off)")
    try:
        manifest = json.loads(raw)
    except ValueError as exc:
        raise BackupError("the archive's manifest.json is not valid JSON; the archive is damaged") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Gongkai backup: its manifest.json is of another format")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupError(
            f"the backup has format version {version!r}, made by a newer Gongkai; "
            f"this version reads format {FORMAT_VERSION}"
        )
    database, files = manifest.get("database"), manifest.get("files")
    well_formed = (
        isinstance(database, dict)
        and database.get("vendor") in ("sqlite", "postgresql")
        and isinstance(database.get("file"), str)
        and isinstance(manifest.get("migrations"), dict)
        and isinstance(manifest.get("created_at"), str)
        and isinstance(files, list)
        and all(
            isinstance(f, dict)
            and isinstance(f.get("path"), str)
            and isinstance(f.get("size"), int)
            and isinstance(f.get("sha256"), str)
            for f in files
        )
    )
    if not well_formed:
        raise BackupError("the archive's manifest.json lacks required entries; the archive is damaged")
    return manifest


def unpack_verified(archive: Path, into: Path) -> dict:
    """Unpack ``archive`` under ``into`` and check it against its manifest: every listed file
    present with its size and SHA-256, nothing unlisted, the database file among them. Returns
    the manifest; raises BackupError saying what is wrong. Touches nothing outside ``into``."""
    try:
        tar = tarfile.open(archive, "r:*")
    except FileNotFoundError as exc:
        raise BackupError(f"cannot read {archive}: no such file") from exc
    except IsADirectoryError as exc:
        raise BackupError(f"{archive} is a directory, not a backup archive") from exc
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"{archive} is not a tar archive; it is not a Gongkai backup") from exc
    found: dict[str, tuple[int, str]] = {}
    manifest_raw = None
    try:
        with tar:
            for member in tar:
                if member.name == MANIFEST and member.isfile() and member.size <= _MANIFEST_MAX_BYTES:
                    manifest_raw = tar.extractfile(member).read()
                    continue
                if member.isdir():
                    continue
                path = _member_path(member.name)
                if not member.isfile() or member.name in found:
                    raise BackupError(f"the archive holds an unexpected entry {member.name!r}")
                dest = into.joinpath(*path.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as src, open(dest, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                found[member.name] = (member.size, digest.hexdigest())
    except (tarfile.TarError, EOFError) as exc:
        raise BackupError(f"the archive is damaged or cut off ({exc}); nothing was changed") from exc
    except OSError as exc:  # a full disk while unpacking, say
        raise BackupError(f"cannot unpack {archive}: {exc.strerror or exc}; nothing was changed") from exc
    manifest = _read_manifest(manifest_raw)
    listed = {f["path"]: f for f in manifest["files"]}
    for name, f in listed.items():
        if name not in found:
            raise BackupError(f"the archive lacks {name}, which its manifest lists; the archive is damaged")
        if found[name] != (f["size"], f["sha256"]):
            raise BackupError(f"checksum mismatch for {name}: the archive is corrupted; nothing was changed")
    for name in found:
        if name not in listed:
            raise BackupError(f"the archive holds {name}, which its manifest does not list")
    if (
        not manifest["database"]["file"].startswith(DATABASE_DIR + "/")
        or manifest["database"]["file"] not in found
    ):
        raise BackupError("the archive's manifest names no database file; the archive is damaged")
    return manifest


# --- restore -----------------------------------------------------------------------------------


def _check_migrations(recorded: dict) -> None:
    """Refuse a backup made by a newer Gongkai: migrations this code does not know."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(recorded.items())
        if app in loader.migrated_apps
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise BackupError(
            f"the backup was made by a newer Gongkai (migrations {shown}); install that version or later"
        )


def target_contents() -> dict[str, int]:
    """Rows per model in the configured database, leaving out what migrate itself creates;
    empty for a new or freshly migrated database."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models():
        meta = model._meta
        if (
            not meta.managed
            or meta.proxy
            or meta.db_table not in tables
            or meta.label_lower in MIGRATION_SEEDED
        ):
            continue
        n = model._base_manager.count()
        if n:
            counts[meta.label_lower] = n
    return counts


def _refuse_if_not_empty(media_root: Path) -> None:
    counts = target_contents()
    files = len(_media_files(media_root))
    if not counts and not files:
        return
    held = [f"{n} {label}" for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    what = ", ".join(held[:8]) + (", …" if len(held) > 8 else "")
    parts = ([f"{what} row(s)"] if held else []) + ([f"{files} file(s) under {media_root}"] if files else [])
    raise TargetNotEmpty(
        f"the target is not empty and would be overwritten ({' and '.join(parts)}); pass --yes to replace it"
    )


def _swap_media(new: Path, media_root: Path) -> Path | None:
    """Put ``new`` in place of MEDIA_ROOT by two renames on one file system; returns where the
    old directory went (None when there was none)."""
    new.mkdir(exist_ok=True)
    aside = None
    if media_root.exists():
        aside = media_root.with_name(f".{media_root.name}-before-restore-{secrets.token_hex(4)}")
        os.rename(media_root, aside)
    try:
        os.rename(new, media_root)
    except OSError:
        if aside is not None:
            os.rename(aside, media_root)
        raise
    return aside


def _unswap_media(aside: Path | None, media_root: Path) -> None:
    shutil.rmtree(media_root, ignore_errors=True)
    if aside is not None:
        os.rename(aside, media_root)


def _migrate() -> list[str]:
    """Apply the migrations the restored database lacks; returns their names."""
    connections.close_all()
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _put_in_place(database, manifest: dict, staging: Path, media_root: Path) -> list[str]:
    """Swap files and database, then migrate; on any failure put the previous ones back."""
    try:
        aside = _swap_media(staging / MEDIA_DIR, media_root)
    except OSError as exc:
        raise BackupError(f"cannot move the files into {media_root}: {exc.strerror or exc}") from exc
    try:
        swap = database.put_in_place(
            staging.joinpath(*PurePosixPath(manifest["database"]["file"]).parts), manifest["database"]
        )
    except BaseException as exc:
        _unswap_media(aside, media_root)
        if isinstance(exc, Exception) and not isinstance(exc, BackupError):
            raise BackupError(f"putting the database in place failed, nothing was changed: {exc}") from exc
        raise
    try:
        applied = _migrate()
    except BaseException as exc:
        swap.undo()
        _unswap_media(aside, media_root)
        if isinstance(exc, Exception):
            raise BackupError(
                f"migrating the restored database failed, the previous state is back: {exc}"
            ) from exc
        raise
    swap.finish()
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)
    return applied


def missing_files() -> list[str]:
    """Stored names that a file field of some row points to but that are not on disk."""
    missing = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            names = model._base_manager.exclude(**{f.attname: ""}).values_list(f.attname, flat=True)
            missing.extend(name for name in names.iterator() if not f.storage.exists(name))
    return sorted(missing)


def backup_restore(
    *, archive: Path, rebuild_index: Callable[[], int | None], replace: bool = False
) -> RestoreReport:
    """Restore a backup made by `backup_create` into the configured database and MEDIA_ROOT.
    Refuses (changing nothing) a damaged or foreign archive, another database vendor, a newer
    Gongkai's backup, and, unless ``replace``, a target holding data. Then migrates, rebuilds
    the search index (``rebuild_index``: the number of documents indexed, None when the index
    was busy; core sits below the search app, so the operations layer passes it in: see
    gongkai/operations/backup.py), verifies the audit chain and records the restore as an
    audit event."""
    archive = Path(archive).absolute()
    database = database_for_connection()
    media_root = _media_root()
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside MEDIA_ROOT so the files go in place by a rename on one file system.
    staging = Path(tempfile.mkdtemp(prefix=".gongkai-restore-", dir=media_root.parent))
    try:
        manifest = unpack_verified(archive, staging)
        vendor = manifest["database"]["vendor"]
        if vendor != database.vendor:
            raise BackupError(
                f"the backup holds a {vendor} database but the configured database is {database.vendor}; "
                f"restore it with DATABASE_URL naming a {vendor} database"
            )
        _check_migrations(manifest["migrations"])
        database.check_restorable(manifest["database"])
        if not replace:
            _refuse_if_not_empty(media_root)
        applied = _put_in_place(database, manifest, staging, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    indexed = rebuild_index()
    broken = audit_verify()
    anchored = manifest.get("audit")  # absent in backups made before anchors existed
    anchor_problems = audit_anchor_problems(anchored) if isinstance(anchored, dict) else []
    report = RestoreReport(
        archive=str(archive),
        created_at=manifest["created_at"],
        vendor=vendor,
        files=len(manifest["files"]) - 1,
        migrations_applied=applied,
        search_indexed=indexed,
        audit_events=AuditEvent.objects.count(),
        audit_broken=broken,
        missing_files=missing_files(),
        audit_anchor_problems=anchor_problems,
    )
    audit_record(
        actor=None,
        action="backup_restore",
        after={
            "archive": archive.name,
            "created_at": report.created_at,
            "files": report.files,
            "migrations_applied": applied,
            "audit_broken": len(broken),
            "audit_anchor_problems": anchor_problems,
        },
    )
    # The restored head is the new baseline: later anchors are of the trail as restored.
    audit_anchor_write(reason=f"restore {archive.name}")
    return report
