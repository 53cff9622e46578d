"""`gongkai annual-report --agency CODE --year YYYY [--format json|html|pdf|docx|xlsx] [-o FILE]`:
an agency's annual report generated from its records (interfaces.md, "Annual report JSON").
A published report is given as published; otherwise it is generated from the records now.

`gongkai annual-report check FILE.json [--previous FILE.json] [--json]` checks a report as
published anywhere (blank cells, broken rules; exit 0 whenever the file could be read), and
`gongkai annual-report import FILE.json --agency CODE --year YYYY` stores one published before
the agency used the platform (read-only, marked imported)."""

import importlib
import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from gongkai.agencies.management.base import agency_named
from gongkai.core.management.base import GongkaiCommand
from gongkai.reports import printed, services
from gongkai.reports.annual import annual_report_data
from gongkai.reports.checks import blank_cells, broken_rules
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
        parser.add_argument(
            "action",
            nargs="*",
            metavar="check FILE | import FILE",
            help="check FILE.json: check a report as published; import FILE.json: store a report "
            "published before the platform (with --agency and --year)",
        )
        parser.add_argument("--agency", metavar="CODE", help="code of the agency")
        parser.add_argument("--year", type=int, metavar="YYYY", help="the report year")
        parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
        parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
        parser.add_argument(
            "--previous", metavar="FILE", help="check: last year's report, for 二 = 上年度的四"
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help='check: print {"checks": [...]} as JSON'
        )

    def handle(self, *args, action, agency, year, format, output, previous, as_json, **options):
        if action:
            verb, *files = action
            if verb not in ("check", "import") or len(files) != 1:
                raise CommandError(
                    "usage: annual-report check FILE.json | import FILE.json --agency CODE --year YYYY"
                )
            if verb == "check":
                return self._check(files[0], previous, as_json=as_json)
            return self._import(files[0], agency, year)
        if agency is None or year is None:
            raise CommandError("give --agency CODE and --year YYYY")
        target = agency_named(agency)
        year = self._year(year)
        report = AnnualReport.objects.filter(agency=target, year=year).first()
        if report is not None and report.status == ReportStatus.PUBLISHED:
            data = report.data
            self.say(
                f"{target.name}: the report for {year} as published on {timezone.localdate(report.published_at)}"
            )
        else:
            data = annual_report_data(agency=target, year=year, regional=bool(report and report.regional))
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

    def _year(self, year: int) -> int:
        this_year = timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise CommandError(f"--year must be between {FIRST_YEAR} and {this_year}")
        return year

    def _read(self, path: str) -> dict:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            return printed.read_json(raw)
        except printed.ReportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc

    def _check(self, path: str, previous_path: str | None, *, as_json: bool) -> None:
        data = self._read(path)
        previous = self._read(previous_path) if previous_path else None
        findings = printed.check(data, previous)
        if as_json:
            self.emit_json({"checks": findings})
            return
        lines = printed.describe(findings, data["format"])
        blanks, rules = len(blank_cells(findings)), broken_rules(findings)
        if not lines:
            self.stdout.write(f"{path}: every rule holds, no blank cell")
            return
        self.stdout.write(
            f"{path}: {len(lines)} finding(s) ({blanks} blank cell(s); "
            f"rules that do not hold: {'; '.join(rules) or 'none'})"
        )
        for line in lines:
            self.stdout.write(f"  {line}")

    def _import(self, path: str, agency: str | None, year: int | None) -> None:
        if agency is None or year is None:
            raise CommandError("import needs --agency CODE and --year YYYY")
        target, year = agency_named(agency), self._year(year)
        data = self._read(path)
        if data.get("year") not in (None, year):
            raise CommandError(f"{path} is the report for {data['year']}, not {year}")
        try:
            report = services.annual_report_import(agency=target, year=year, data=data)
        except services.ReportError as exc:
            raise CommandError(str(exc)) from exc
        findings = report.data["checks"]
        rules = broken_rules(findings)
        self.say(
            f"{target.name} {year}: imported (read-only); {len(blank_cells(findings))} blank cell(s)"
            + (f"; rules that do not hold: {'; '.join(rules)}" if rules else "")
        )

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
