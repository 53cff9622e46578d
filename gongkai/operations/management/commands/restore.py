"""`gongkai restore FILE.tar [--yes] [--json]`: put a backup made by `gongkai backup` in place
of the configured database and MEDIA_ROOT, migrate, rebuild the search index and verify the
audit trail (gongkai/core/backup.py)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError

from gongkai.core.backup import BackupError
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.management.commands.backup import database_unavailable
from gongkai.operations.backup import backup_restore


class Command(GongkaiCommand):
    help = (
        "Restore a backup archive: check every checksum first (a damaged or foreign archive changes "
        "nothing), replace the database and the uploaded files, migrate, rebuild the search index "
        "and verify the audit trail. Exit 1 when the audit trail is broken or the index was busy."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE.tar", help="an archive written by `gongkai backup`")
        parser.add_argument(
            "--yes", action="store_true", help="replace the database and files even when they hold data"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help='print {"archive", "created_at", "vendor", "files", "migrations_applied", "search", '
            '"audit", "missing_files"} on stdout',
        )

    def handle(self, *args, archive, yes, json, **options):
        try:
            report = backup_restore(archive=Path(archive), replace=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise database_unavailable(exc) from exc
        if json:
            self.emit_json(report.as_json())
        else:
            self.stdout.write(
                f"Restored the backup of {report.created_at}: the {report.vendor} database and "
                f"{report.files} file(s)."
            )
            if report.migrations_applied:
                self.stdout.write(f"Applied {len(report.migrations_applied)} migration(s).")
            if report.search_indexed is not None:
                self.stdout.write(f"Indexed {report.search_indexed} public document(s).")
            if not report.audit_broken:
                self.stdout.write(f"Audit trail intact: {report.audit_events} event(s) verified.")
        for problem in report.audit_anchor_problems:
            self.say(f"warning: the restored audit trail does not match the backup's anchor: {problem}")
        if report.missing_files:
            shown = ", ".join(report.missing_files[:5]) + (" …" if len(report.missing_files) > 5 else "")
            self.say(f"warning: {len(report.missing_files)} file(s) named by records are missing: {shown}")
        if report.search_indexed is None:
            raise CommandError("restored, but the search index was busy; run `gongkai reindex`")
        if report.audit_broken:
            shown = ", ".join(str(i) for i in report.audit_broken[:50])
            raise CommandError(
                f"restored, but the audit trail is broken at {len(report.audit_broken)} event(s): {shown}"
            )
