"""`gongkai import-powers FILE.jsonl --agency CODE`: load or update an agency's power list
(权力清单), one version of one power a line, all or nothing."""

from gongkai.agencies.management.base import AgencyImportCommand
from gongkai.powers.importing import POWER_FIELDS, import_powers


class Command(AgencyImportCommand):
    help = (
        "Import an agency's power list from a JSON-lines file, all or nothing. "
        f"Fields: {', '.join(POWER_FIELDS)} (procedure_steps: a list of step names; decisions: "
        '{"YYYY": count}). A new code adds a power; a known code with a later effective_from adds a '
        "version; a line identical to a stored version is skipped. "
        'With --json prints {"created": N, "revised": M, "unchanged": K, "decision_counts": D}.'
    )
    agency_help = "code of the agency whose list it is"

    def run_import(self, file, *, agency, dry_run, **options):
        return import_powers(self.read_jsonl(file), agency=agency, dry_run=dry_run)

    def summary(self, result) -> dict:
        return {
            "created": result.created,
            "revised": result.revised,
            "unchanged": result.unchanged,
            "decision_counts": result.decision_counts,
        }

    def describe(self, result, *, agency, dry_run) -> str:
        would = "would " if dry_run else ""
        return (
            f"{agency.name}: {would}add {result.created} powers and {result.revised} new versions, "
            f"{result.unchanged} unchanged, {would}record {result.decision_counts} decision counts."
        )
