"""`gongkai import-agencies FILE.jsonl`: load or update the agency directory (interfaces.md)."""

from gongkai.agencies.importing import AGENCY_FIELDS, import_agencies
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Load or update the agency directory from a JSON-lines file, all or nothing. One object a line: "
        f"{', '.join(AGENCY_FIELDS)}. A parent is a code already in the directory or on an earlier line. "
        'With --json prints {"created": N, "updated": M} (updated counts every agency the file matched).'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON on stdout")

    def handle(self, *args, file, dry_run, json, **options):
        lines = self.read_jsonl(file)
        try:
            result = import_agencies(lines, dry_run=dry_run)
        except ImportFailed as exc:
            self.fail_import(exc, file)
        counts = {"created": result.created, "updated": result.updated + result.unchanged}
        if json:
            self.emit_json(counts)
        else:
            self.stdout.write(
                f"{'Would create' if dry_run else 'Created'} {result.created} agencies, "
                f"{'would update' if dry_run else 'updated'} {result.updated}, {result.unchanged} unchanged."
            )
