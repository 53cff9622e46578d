"""`gongkai purge-personal-data [--dry-run] [--before DATE] [--json]`: anonymise the personal
data of applications (with their casework), complaints and evaluations whose retention period has passed
(security.md, "Personal information"; the period: core/retention.py). Each app anonymises its
own records through its public service; this command only puts them in order. Safe to run from
cron at any time: a second run changes nothing."""

import argparse
from datetime import date

from django.core.management.base import CommandError

from gongkai.applications.retention import application_files_sweep, applications_anonymise
from gongkai.assessment.retention import evaluations_anonymise
from gongkai.casework.retention import casework_anonymise
from gongkai.complaints.retention import complaints_anonymise
from gongkai.core.joblock import exclusive
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.retention import RetentionError, retention_cutoff, retention_years


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(GongkaiCommand):
    help = (
        "Anonymise closed applications, answered complaints and evaluations older than the "
        "retention period (GONGKAI_PERSONAL_DATA_RETENTION_YEARS); statistics stay intact."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be anonymised, change nothing"
        )
        parser.add_argument(
            "--before",
            type=_date,
            metavar="DATE",
            help="only records closed before DATE (no later than the retention period allows)",
        )
        parser.add_argument("--json", action="store_true", help="print the counts and references as JSON")

    @exclusive("purge-personal-data")  # one node at a time (core/joblock.py)
    def handle(self, *args, dry_run, before, json, **options):
        try:
            cutoff = retention_cutoff(before=before)
            years = retention_years()
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        # Evaluations first: a reply's comment is scrubbed while the applicant's name is known.
        evaluations = evaluations_anonymise(cutoff=cutoff, dry_run=dry_run)
        applications = applications_anonymise(cutoff=cutoff, dry_run=dry_run)
        # The casework (internal notes, 交办/协办 answers) goes with its application.
        casework = casework_anonymise(tracking_nos=applications.records, dry_run=dry_run)
        complaints = complaints_anonymise(cutoff=cutoff, dry_run=dry_run)
        orphans = application_files_sweep(dry_run=dry_run)
        if json:
            self.emit_json(
                {
                    "dry_run": dry_run,
                    "retention_years": years,
                    "cutoff": cutoff.isoformat(),
                    "applications": applications.as_dict(),
                    "casework": casework,
                    "complaints": complaints.as_dict(),
                    "evaluations": {"count": len(evaluations.records)},
                    "orphan_files": len(orphans),
                }
            )
            return
        verb, deleted = ("would anonymise", "to delete") if dry_run else ("anonymised", "deleted")
        self.say(
            f"{verb} what was closed before {cutoff.isoformat()} ({years}-year retention): "
            f"{len(applications.records)} application(s) ({applications.files} file(s) {deleted}), "
            f"{casework['notes']} note(s) and {casework['tasks']} task(s) of their casework, "
            f"{len(complaints.records)} complaint(s), {len(evaluations.records)} evaluation(s); "
            f"{len(orphans)} orphan file(s) {deleted}"
        )
        if dry_run:
            for tracking_no in applications.records + complaints.records:
                self.stdout.write(tracking_no)
