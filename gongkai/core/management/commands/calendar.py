"""`gongkai calendar`: working days under the Chinese calendar (interfaces.md).

- ``add-workdays DATE N [--json]``: the Nth working day after DATE (DATE itself not counted);
  ``--json`` prints ``{"date": "YYYY-MM-DD", "provisional": bool}``.
- ``load FILE``: load (or replace) a year's holiday notice; the file format is described in
  gongkai/core/calendar_notice.py and docs/calendar.md.
"""

import argparse
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.calendar import CalendarError
from gongkai.core.calendar_notice import NoticeInvalid, parse_notice, read_notice_json
from gongkai.core.calendar_store import calendar_load, workday_add
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.models import DayKind, HolidayNotice


def _date(value: str) -> date:
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)")


class Command(GongkaiCommand):
    help = "Working days under the Chinese calendar: compute a deadline, or load a year's holiday notice."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{add-workdays,load}", required=True)
        add = sub.add_parser(
            "add-workdays",
            help="the Nth working day after DATE (DATE itself is not counted)",
            description=(
                "Print the Nth working day after DATE under the loaded holiday notices (holidays and "
                "adjusted working days). DATE itself is not counted, as for every statutory period. "
                "The result is provisional when a year it crosses has no notice loaded."
            ),
        )
        add.add_argument("start", metavar="DATE", type=_date, help="YYYY-MM-DD, e.g. the date of receipt")
        add.add_argument("n", metavar="N", type=int, help="number of working days, at least 1")
        add.add_argument("--json", action="store_true", help='print {"date": ..., "provisional": ...}')
        load = sub.add_parser(
            "load",
            help="load or replace a year's holiday notice",
            description=(
                'Load a year\'s holiday notice from a JSON file: {"year": 2027, "source": "国办发明电〔…〕…号", '
                '"holidays": [{"name": "春节", "dates": ["2027-02-06", ...]}, ...], '
                '"workdays": ["2027-02-14", ...]}. A notice already loaded for that year is replaced.'
            ),
        )
        load.add_argument("file", metavar="FILE")

    def handle(self, *args, action, **options):
        if action == "add-workdays":
            self._add_workdays(options["start"], options["n"], as_json=options["json"])
        else:
            self._load(options["file"])

    def _add_workdays(self, start: date, n: int, *, as_json: bool) -> None:
        if n < 1:
            raise CommandError(f"N must be at least 1 (the first working day after DATE is N=1), not {n}")
        try:
            result = workday_add(start, n)
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.emit_json({"date": result.date.isoformat(), "provisional": result.provisional})
            return
        years = ", ".join(str(y) for y in result.missing_years)
        note = f" (provisional: no holiday notice loaded for {years})" if result.provisional else ""
        self.stdout.write(f"{result.date.isoformat()}{note}")
        self.stdout.write(result.explanation)

    def _load(self, path: str) -> None:
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        try:
            data = read_notice_json(content)
            replaced = HolidayNotice.objects.filter(year=parse_notice(data).year).exists()
            row = calendar_load(notice=data, actor=None)
        except NoticeInvalid as exc:
            raise CommandError(f"{path}: {exc}") from exc
        kinds = list(row.days.values_list("kind", flat=True))
        self.stdout.write(
            f"{'Replaced' if replaced else 'Loaded'} the {row.year} holiday notice ({row.source}): "
            f"{kinds.count(DayKind.HOLIDAY)} holidays, {kinds.count(DayKind.WORKDAY)} adjusted working days."
        )
