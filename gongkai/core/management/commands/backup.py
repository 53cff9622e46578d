"""`gongkai backup -o FILE.tar [--json]`: one archive with the database, the uploaded files and
a manifest (security.md, "Reliability"; format in gongkai/core/backup.py)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.db import DatabaseError

from gongkai.core.backup import BackupError, backup_create
from gongkai.core.joblock import exclusive
from gongkai.core.management.base import GongkaiCommand


def database_unavailable(exc: DatabaseError) -> CommandError:
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return CommandError(f"cannot open the database ({first_line}); check DATABASE_URL")


class Command(GongkaiCommand):
    help = (
        "Write one archive holding a consistent copy of the database (also while the platform runs), "
        "every file under MEDIA_ROOT and a manifest with their SHA-256. The search index is not "
        "included: `gongkai restore` rebuilds it."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, metavar="FILE.tar", help="the archive to write")
        parser.add_argument(
            "--json",
            action="store_true",
            help='print {"archive", "created_at", "vendor", "files", "bytes"} on stdout',
        )

    @exclusive("backup")  # one node at a time (core/joblock.py)
    def handle(self, *args, output, json, **options):
        try:
            report = backup_create(output=Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise database_unavailable(exc) from exc
        if json:
            self.emit_json(
                {
                    "archive": report.archive,
                    "created_at": report.created_at,
                    "vendor": report.vendor,
                    "files": report.files,
                    "bytes": report.bytes,
                }
            )
        else:
            self.stdout.write(
                f"Backed up the {report.vendor} database and {report.files} file(s) to "
                f"{report.archive} ({report.bytes / 1_048_576:.1f} MiB)."
            )
