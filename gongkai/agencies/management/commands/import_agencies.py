"""`gongkai import-agencies FILE.jsonl`: load or update the agency directory (interfaces.md)."""

from gongkai.agencies.importing import AGENCY_FIELDS, import_agencies
from gongkai.core.importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Load or update the agency directory from a JSON-lines file, all or nothing. One object a line: "
        f"{', '.join(AGENCY_FIELDS)}. A parent is a code already in the directory or on an earlier line. "
        'With --json prints {"created": N, "updated": M} (updated counts every agency the file matched).'
    )

    def run_import(self, file, *, agency, dry_run, **options):
        return import_agencies(self.read_jsonl(file), dry_run=dry_run)

    def summary(self, result) -> dict:
        return {"created": result.created, "updated": result.updated + result.unchanged}

    def describe(self, result, *, agency, dry_run) -> str:
        return (
            f"{'Would create' if dry_run else 'Created'} {result.created} agencies, "
            f"{'would update' if dry_run else 'updated'} {result.updated}, {result.unchanged} unchanged."
        )
