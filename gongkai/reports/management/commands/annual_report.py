"""`gongkai annual-report --agency CODE --year YYYY [--format json|html|pdf|docx|xlsx] [-o FILE]`:
an agency's annual report generated from its records (interfaces.md, "Annual report JSON").
A published report is given as published; otherwise it is generated from the records now."""

import importlib
import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.core.management.base import GongkaiCommand
from gongkai.reports.annual import annual_report_data
from gongkai.reports.checks import broken_rules
from gongkai.reports.models import AnnualReport, ReportStatus

FORMATS = ("json", "html", "pdf", "docx", "xlsx")
FIRST_YEAR = 2008  # the Regulation took effect on 1 May 2008


def _exporter():
    """gongkai.reports.exports.export, or None while that module is not there."""
    try:
        module = importlib.import_module("gongkai.reports.exports")
    except ModuleNotFoundError as exc:
        if exc.name != "gongkai.reports.exports":
            raise
        return None
    return getattr(module, "export", None)


class Command(GongkaiCommand):
    help = (
        "Generate an agency's government-information-disclosure annual report for a year. "
        "JSON has tables.table1, tables.table2, tables.table3 and checks (the broken rules, empty when "
        "consistent); html, pdf, docx and xlsx lay the tables out as the national format does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="CODE", help="code of the agency")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="the report year")
        parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")

    def handle(self, *args, agency, year, format, output, **options):
        code = normalize_code(agency)
        target = Agency.objects.filter(code=code).first()
        if target is None:
            raise CommandError(
                f"no agency with code {agency!r}; load the directory first with `gongkai import-agencies FILE.jsonl`"
            )
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {this_year}")
        report = AnnualReport.objects.filter(agency=target, year=year).first()
        if report is not None and report.status == ReportStatus.PUBLISHED:
            data = report.data
            self.say(
                f"{target.name}: the report for {year} as published on {timezone.localdate(report.published_at)}"
            )
        else:
            data = annual_report_data(agency=target, year=year)
        broken = broken_rules(data.get("checks") or [])
        if broken:
            self.say(f"{target.name} {year}: {len(broken)} rule(s) do not hold: {'; '.join(broken)}")
        if format == "json":
            self._write_json(data, output)
            return
        export = _exporter()
        if export is None:
            raise CommandError(f"format {format} not available yet; use --format json")
        content = export(data, format, report.narrative if report is not None else {})
        if output:
            self._write_file(output, content)
        elif format == "html":
            self.stdout.write(content.decode("utf-8"))
        else:
            raise CommandError(f"--format {format} writes a binary file: give -o FILE")

    def _write_json(self, data: dict, output: str | None) -> None:
        if output:
            self._write_file(output, json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"))
        else:
            self.emit_json(data)

    def _write_file(self, output: str, content: bytes) -> None:
        try:
            Path(output).write_bytes(content)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
