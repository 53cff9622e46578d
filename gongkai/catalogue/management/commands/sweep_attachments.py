"""`gongkai sweep-attachments`: delete stored attachment files that no attachment row names.

A file is written before its row is committed (so a crash never leaves a row without a file);
a crash between the two leaves an orphan file, which this command removes once it is older
than the grace period. Safe to run from cron at any time."""

from datetime import timedelta

from gongkai.catalogue.attachments import ORPHAN_GRACE, attachment_sweep_orphans
from gongkai.core.joblock import exclusive
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = "Delete stored attachment files that no attachment names (orphans of interrupted uploads)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-hours",
            type=float,
            default=ORPHAN_GRACE.total_seconds() / 3600,
            help="only files older than this many hours (default: %(default)s)",
        )
        parser.add_argument("--json", action="store_true", help='print {"removed": [...]}')

    @exclusive("sweep-attachments")  # one node at a time (core/joblock.py)
    def handle(self, *args, older_than_hours, json, **options):
        removed = attachment_sweep_orphans(older_than=timedelta(hours=older_than_hours))
        if json:
            self.emit_json({"removed": removed})
        else:
            self.say(f"removed {len(removed)} orphan file(s)")
