"""The database half of backup and restore (backup.py), one class per vendor.

Each class takes a consistent snapshot into a file and puts a snapshot in place of the live
database in a way that can be undone until the restore is complete.
"""

import os
import re
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections, transaction
from django.db.migrations.recorder import MigrationRecorder


class BackupError(Exception):
    """A backup or restore was refused or failed; the message is one line saying why and what
    to do. Raised before anything changed, or after the change was undone."""


@dataclass(frozen=True)
class Swap:
    """A database put in place by a restore: ``undo()`` brings back the one it replaced,
    ``finish()`` drops that one once the restore has succeeded."""

    undo: Callable[[], None]
    finish: Callable[[], None]


def _applied_migrations_by_app(pairs) -> dict[str, list[str]]:
    by_app: dict[str, list[str]] = {}
    for app, name in pairs:
        by_app.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(by_app.items())}


# --- SQLite ------------------------------------------------------------------------------------


class SqliteDatabase:
    """The embedded database file. sqlite3's online backup API copies it page by page inside
    one read transaction, so the copy is consistent while the application writes (WAL)."""

    vendor = "sqlite"
    dump_name = "gongkai.sqlite3"

    def __init__(self, settings_dict: dict):
        self.path = Path(settings_dict["NAME"])

    def snapshot(self, directory: Path) -> tuple[Path, dict, dict[str, list[str]]]:
        """Copy the live database to ``directory``; returns the file, vendor details for the
        manifest and the migrations applied in the copy."""
        if not self.path.is_file():
            raise BackupError(f"there is no database at {self.path}; nothing to back up")
        dest = directory / self.dump_name
        src = sqlite3.connect(self.path, timeout=30)
        try:
            _copy_sqlite(src, dest)
        finally:
            src.close()
        copy = sqlite3.connect(dest)
        try:
            # A self-contained file: no -wal beside it to forget.
            copy.execute("PRAGMA journal_mode=DELETE")
            try:
                pairs = copy.execute("SELECT app, name FROM django_migrations").fetchall()
            except sqlite3.OperationalError as exc:
                raise BackupError(
                    "the database has no tables yet; nothing to back up (run `gongkai migrate`)"
                ) from exc
        finally:
            copy.close()
        return dest, {"sqlite_version": sqlite3.sqlite_version}, _applied_migrations_by_app(pairs)

    def check_restorable(self, database: dict) -> None:
        """Nothing beyond the vendor check: any SQLite reads any SQLite 3 file."""

    def put_in_place(self, dump: Path, database: dict) -> Swap:
        """Write ``dump`` over the live database with the backup API, which writes the whole
        destination in one transaction (other connections see the old or the new content,
        never a mix); a copy of the old content is kept to undo."""
        connections.close_all()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        previous = dump.with_name("before-restore.sqlite3")
        live = sqlite3.connect(self.path, timeout=30)
        try:
            _copy_sqlite(live, previous)
            _copy_sqlite_into(dump, live)
        finally:
            live.close()

        def undo() -> None:
            connections.close_all()
            target = sqlite3.connect(self.path, timeout=30)
            try:
                _copy_sqlite_into(previous, target)
            finally:
                target.close()

        return Swap(undo=undo, finish=lambda: previous.unlink(missing_ok=True))


def _copy_sqlite(src: sqlite3.Connection, dest: Path) -> None:
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # pages=-1: one step, so one consistent snapshot
    finally:
        dst.close()


def _copy_sqlite_into(src_path: Path, dst: sqlite3.Connection) -> None:
    src = sqlite3.connect(src_path)
    try:
        src.backup(dst)
    finally:
        src.close()


# --- PostgreSQL --------------------------------------------------------------------------------

PG_BIN_DIRS = "/usr/lib/postgresql/*/bin"  # Debian's postgresql-client-N packages
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def tool_version(path: str) -> tuple[int, str] | None:
    """(major, "15.20") of a PostgreSQL client program, or None when it does not run."""
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    match = re.search(r"\b(\d+)(?:\.(\d+))?", out)
    return (int(match.group(1)), match.group(0)) if match else None


def find_pg_tool(name: str, *, min_major: int, candidates: list[str] | None = None) -> str:
    """The first ``name`` on PATH or in Debian's versioned directories whose major version is at
    least ``min_major`` (pg_dump refuses a newer server; pg_restore cannot read a newer dump)."""
    if candidates is None:
        on_path = shutil.which(name)
        versioned = sorted(
            Path("/").glob(PG_BIN_DIRS.lstrip("/") + f"/{name}"),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
            reverse=True,
        )
        candidates = ([on_path] if on_path else []) + [str(p) for p in versioned]
    found = [(path, v) for path in candidates if (v := tool_version(path))]
    for path, (major, _) in found:
        if major >= min_major:
            return path
    if not found:
        raise BackupError(
            f"{name} is not installed; install the postgresql-client package (scripts/install-system-deps.sh)"
        )
    newest = max(v for _, v in found)
    raise BackupError(
        f"{name} {newest[1]} is older than PostgreSQL {min_major}; "
        f"install postgresql-client {min_major} or newer"
    )


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


class PostgresDatabase:
    """One schema of a PostgreSQL database (the connection's current schema, normally
    ``public``). The backup is ``pg_dump --format=custom`` of that schema. A restore renames the
    live schema aside and loads the dump, in one transaction, so a failed load changes nothing;
    the old schema is dropped only once migrations have run on the new one."""

    vendor = "postgresql"
    dump_name = "gongkai.pgdump"

    def __init__(self, settings_dict: dict):
        self.settings = settings_dict

    def _env(self) -> dict[str, str]:
        s = self.settings
        env = dict(os.environ)
        values = {
            "PGHOST": s.get("HOST"),
            "PGPORT": s.get("PORT"),
            "PGUSER": s.get("USER"),
            "PGPASSWORD": s.get("PASSWORD"),
            "PGDATABASE": s.get("NAME"),
        }
        for option, var in _LIBPQ_OPTIONS.items():
            values[var] = (s.get("OPTIONS") or {}).get(option)
        env.update({k: str(v) for k, v in values.items() if v not in (None, "")})
        env.setdefault("PGCONNECT_TIMEOUT", "10")
        return env

    @staticmethod
    def _server() -> tuple[int, str]:
        connection.ensure_connection()
        version = connection.pg_version  # e.g. 150020
        return version // 10000, f"{version // 10000}.{version % 10000}"

    @staticmethod
    def _current_schema() -> str | None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            return cursor.fetchone()[0]

    @staticmethod
    def _schema_exists(name: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [name])
            return cursor.fetchone() is not None

    def _run(self, args: list[str], what: str) -> None:
        run = subprocess.run(args, env=self._env(), capture_output=True, text=True)
        if run.returncode:
            raise BackupError(f"{what} failed: {_last_line(run.stderr)}")

    def snapshot(self, directory: Path) -> tuple[Path, dict, dict[str, list[str]]]:
        """Dump the current schema with pg_dump (one repeatable-read snapshot)."""
        major, server = self._server()
        pg_dump = find_pg_tool("pg_dump", min_major=major)
        schema = self._current_schema()
        if schema is None:
            raise BackupError("the database has no schema to back up; check DATABASE_URL's search_path")
        recorder = MigrationRecorder(connection)
        if not recorder.has_table():
            raise BackupError("the database has no tables yet; nothing to back up (run `gongkai migrate`)")
        migrations = _applied_migrations_by_app(recorder.applied_migrations())
        dest = directory / self.dump_name
        self._run([pg_dump, "--format=custom", f"--schema={_quote(schema)}", f"--file={dest}"], "pg_dump")
        details = {
            "server_version": server,
            "pg_dump_version": tool_version(pg_dump)[1],
            "schema": schema,
        }
        return dest, details, migrations

    def check_restorable(self, database: dict) -> None:
        """Refuse what cannot work before anything changes: missing or too old client programs,
        a dump of another schema."""
        dumped = str(database.get("schema") or "")
        current = self._current_schema()
        if not dumped or (current and dumped != current):
            raise BackupError(
                f"the backup holds schema {dumped!r} but the database uses {current!r}; "
                "restore it into a database whose search_path names that schema"
            )
        dump_major = int(str(database.get("pg_dump_version", "0")).split(".")[0] or 0)
        find_pg_tool("pg_restore", min_major=dump_major)
        find_pg_tool("psql", min_major=0)

    def put_in_place(self, dump: Path, database: dict) -> Swap:
        """Rename the live schema aside and load the dump into a new one, in one transaction:
        psql stops at the first error and rolls everything back."""
        schema = database["schema"]
        dump_major = int(str(database.get("pg_dump_version", "0")).split(".")[0] or 0)
        pg_restore = find_pg_tool("pg_restore", min_major=dump_major)
        psql = find_pg_tool("psql", min_major=0)
        aside = f"gongkai_before_restore_{secrets.token_hex(4)}"
        had_schema = self._schema_exists(schema)
        # A script file first, then one psql transaction: piping pg_restore into psql would
        # let psql commit a partial load if pg_restore died half-way.
        script = dump.with_name("restore.sql")
        # --no-owner/--no-privileges: the restored objects belong to the configured user, as
        # the ones they replace did (the dump may come from a server with other roles).
        self._run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(dump)], "pg_restore")
        args = [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction"]
        if had_schema:
            args.append(f"--command=ALTER SCHEMA {_quote(schema)} RENAME TO {_quote(aside)}")
        connections.close_all()
        try:
            self._run([*args, f"--file={script}"], "loading the database dump (nothing was changed)")
        finally:
            script.unlink(missing_ok=True)
        connections.close_all()

        def undo() -> None:
            connections.close_all()
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA {_quote(schema)} CASCADE")
                if had_schema:
                    cursor.execute(f"ALTER SCHEMA {_quote(aside)} RENAME TO {_quote(schema)}")
            connections.close_all()

        def finish() -> None:
            if had_schema:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA {_quote(aside)} CASCADE")

        return Swap(undo=undo, finish=finish)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def database_for_connection() -> SqliteDatabase | PostgresDatabase:
    """The handler for the configured database."""
    if connection.vendor == "sqlite":
        if str(connection.settings_dict["NAME"]) == ":memory:" or "mode=memory" in str(
            connection.settings_dict["NAME"]
        ):
            raise BackupError("an in-memory SQLite database cannot be backed up or restored")
        return SqliteDatabase(connection.settings_dict)
    if connection.vendor == "postgresql":
        return PostgresDatabase(connection.settings_dict)
    raise BackupError(f"backup does not support the {connection.vendor} database")
