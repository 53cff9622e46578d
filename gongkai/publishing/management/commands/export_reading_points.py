"""`gongkai export-reading-points --agency CODE --from DATE --to DATE -o FILE.zip`: the package of
an agency's proactively disclosed documents for archives and libraries (Art. 25)."""

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.agencies.models import Agency
from gongkai.core.management.base import GongkaiCommand
from gongkai.publishing.export import reading_point_package


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(GongkaiCommand):
    help = "Write the reading-point package (catalogue CSV/XLSX and files) of an agency and period."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, metavar="CODE")
        parser.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
        parser.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
        parser.add_argument("-o", "--output", required=True, metavar="FILE.zip")
        parser.add_argument("--json", action="store_true", help='print {"documents": N, "file": ...}')

    def handle(self, *args, agency, start, end, output, json, **options):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"no agency with code {agency}")
        if end < start:
            raise CommandError("--to is before --from")
        data, count = reading_point_package(agency=found, start=start, end=end)
        Path(output).write_bytes(data)
        if json:
            self.emit_json({"documents": count, "file": output})
        else:
            self.say(f"wrote {count} document(s) to {output}")
