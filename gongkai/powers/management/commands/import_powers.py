"""`gongkai import-powers FILE.jsonl --agency CODE`: load or update an agency's power list
(权力清单), one version of one power a line, all or nothing."""

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand
from gongkai.powers.importing import POWER_FIELDS, import_powers


class Command(GongkaiCommand):
    help = (
        "Import an agency's power list from a JSON-lines file, all or nothing. "
        f"Fields: {', '.join(POWER_FIELDS)} (procedure_steps: a list of step names; decisions: "
        '{"YYYY": count}). A new code adds a power; a known code with a later effective_from adds a '
        "version; a line identical to a stored version is skipped. "
        'With --json prints {"created": N, "revised": M, "unchanged": K, "decision_counts": D}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument(
            "--agency", required=True, metavar="CODE", help="code of the agency whose list it is"
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
        try:
            result = import_powers(lines, agency=target, dry_run=dry_run)
        except ImportFailed as exc:
            self.fail_import(exc, file)
        if json:
            self.emit_json(
                {
                    "created": result.created,
                    "revised": result.revised,
                    "unchanged": result.unchanged,
                    "decision_counts": result.decision_counts,
                }
            )
        else:
            would = "would " if dry_run else ""
            self.stdout.write(
                f"{target.name}: {would}add {result.created} powers and {result.revised} new versions, "
                f"{result.unchanged} unchanged, {would}record {result.decision_counts} decision counts."
            )
