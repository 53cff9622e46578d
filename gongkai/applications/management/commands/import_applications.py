"""`gongkai import-applications FILE.jsonl --agency CODE`: import an agency's historical
applications and their reconsideration and litigation cases (interfaces.md)."""

import json as jsonlib

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.applications.importing import APPLICATION_FIELDS, CASE_FIELDS, import_applications
from gongkai.applications.signals import APPLICATIONS_IMPORTED
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Import an agency's historical applications from a JSON-lines file, all or nothing. "
        f"Application lines: {', '.join(APPLICATION_FIELDS)}; "
        f'case lines ("record": "case"): {", ".join(CASE_FIELDS[1:])}. '
        "An application with the same ref is updated instead of duplicated. "
        "Where the records of a year disagree with the annual report imported for that year "
        "(`gongkai annual-report import`), each cell is a warning. "
        'With --json prints {"imported": N, "updated": M, "cases": K, "report_disagreements": [...]}.'
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
        disagreements = [] if dry_run else report_disagreements(target, lines)
        if json:
            self.emit_json(
                {
                    "imported": result.imported,
                    "updated": result.updated,
                    "cases": result.cases,
                    "report_disagreements": disagreements,
                }
            )
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
            for d in disagreements:
                self.say(
                    f"warning: {d['year']} {d['table']} {d['row']}/{d['column']}: the imported annual report "
                    f"printed {d['report']}, the records count {d['records']}"
                )


def _years(lines: list[bytes]) -> set[int]:
    """The calendar years of the dates in the file (the import has validated them)."""
    years = set()
    for raw in lines:
        if not raw.strip():
            continue
        try:
            record = jsonlib.loads(raw)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        for key in ("received_on", "closed_on", "filed_on", "decided_on"):
            value = record.get(key)
            if isinstance(value, str) and value[:4].isdigit():
                years.add(int(value[:4]))
    return years


def report_disagreements(agency: Agency, lines: list[bytes]) -> list[dict]:
    """What the apps above answer when told of the import: the cells where the records of a year
    of the file disagree with that year's imported annual report (reports.signals)."""
    answers = APPLICATIONS_IMPORTED.send(sender=Command, agency=agency, years=_years(lines))
    return [cell for _receiver, cells in answers for cell in (cells or [])]
