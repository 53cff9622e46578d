"""`gongkai import-applications FILE.jsonl --agency CODE`: import an agency's historical
applications and their reconsideration and litigation cases (interfaces.md)."""

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.applications.importing import APPLICATION_FIELDS, CASE_FIELDS, import_applications
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Import an agency's historical applications from a JSON-lines file, all or nothing. "
        f"Application lines: {', '.join(APPLICATION_FIELDS)}; "
        f'case lines ("record": "case"): {", ".join(CASE_FIELDS[1:])}. '
        "An application with the same ref is updated instead of duplicated. "
        'With --json prints {"imported": N, "updated": M, "cases": K}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument(
            "--agency", required=True, metavar="CODE", help="code of the agency that received them"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON on stdout")

    def handle(self, *args, file, agency, dry_run, json, **options):
        code = normalize_code(agency)
        target = Agency.objects.filter(code=code).first()
        if target is None:
            raise CommandError(
                f"no agency with code {agency!r}; load the directory first with `gongkai import-agencies FILE.jsonl`"
            )
        lines = self.read_jsonl(file)
        total = sum(1 for raw in lines if raw.strip())
        try:
            with self.progress(total=total, desc="import") as advance:
                result = import_applications(lines, agency=target, dry_run=dry_run, progress=advance)
        except ImportFailed as exc:
            self.fail_import(exc, file)
        if json:
            self.emit_json({"imported": result.imported, "updated": result.updated, "cases": result.cases})
        else:
            verb = (
                ("would import", "would update", "would record")
                if dry_run
                else ("imported", "updated", "recorded")
            )
            self.stdout.write(
                f"{target.name}: {verb[0]} {result.imported} historical applications, {verb[1]} {result.updated}, "
                f"{verb[2]} {result.cases} reconsideration and litigation cases."
            )
