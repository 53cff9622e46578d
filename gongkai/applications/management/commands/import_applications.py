"""`gongkai import-applications FILE.jsonl --agency CODE`: import an agency's historical
applications and their reconsideration and litigation cases (interfaces.md)."""

import json as jsonlib
from dataclasses import dataclass

from gongkai.agencies.management.base import AgencyImportCommand
from gongkai.agencies.models import Agency
from gongkai.applications.importing import (
    APPLICATION_FIELDS,
    CASE_FIELDS,
    ApplicationImportResult,
    import_applications,
)
from gongkai.applications.signals import APPLICATIONS_IMPORTED


@dataclass
class Outcome:
    result: ApplicationImportResult
    disagreements: list[dict]


class Command(AgencyImportCommand):
    help = (
        "Import an agency's historical applications from a JSON-lines file, all or nothing. "
        f"Application lines: {', '.join(APPLICATION_FIELDS)}; "
        f'case lines ("record": "case"): {", ".join(CASE_FIELDS[1:])}. '
        "An application with the same ref is updated instead of duplicated. "
        "Where the records of a year disagree with the annual report imported for that year "
        "(`gongkai annual-report import`), each cell is a warning. "
        'With --json prints {"imported": N, "updated": M, "cases": K, "report_disagreements": [...]}.'
    )
    agency_help = "code of the agency that received them"

    def run_import(self, file, *, agency, dry_run, **options) -> Outcome:
        lines = self.read_jsonl(file)
        total = sum(1 for raw in lines if raw.strip())
        with self.progress(total=total, desc="import") as advance:
            result = import_applications(lines, agency=agency, dry_run=dry_run, progress=advance)
        return Outcome(result, [] if dry_run else report_disagreements(agency, lines))

    def summary(self, outcome: Outcome) -> dict:
        return {
            "imported": outcome.result.imported,
            "updated": outcome.result.updated,
            "cases": outcome.result.cases,
            "report_disagreements": outcome.disagreements,
        }

    def describe(self, outcome: Outcome, *, agency, dry_run) -> str:
        result = outcome.result
        verb = (
            ("would import", "would update", "would record")
            if dry_run
            else ("imported", "updated", "recorded")
        )
        return (
            f"{agency.name}: {verb[0]} {result.imported} historical applications, {verb[1]} {result.updated}, "
            f"{verb[2]} {result.cases} reconsideration and litigation cases."
        )

    def warnings(self, outcome: Outcome) -> list[str]:
        return [
            f"warning: {d['year']} {d['table']} {d['row']}/{d['column']}: the imported annual report "
            f"printed {d['report']}, the records count {d['records']}"
            for d in outcome.disagreements
        ]


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
