"""The holiday notices carried by the `chinese-calendar` package (1.11.0: 2004-2026), as notice
files and as seed rows.

The package lists days, not notices; a day in the last week of December that belongs to a New
Year's Day holiday is the next year's notice's (2018-12-29..31 are in the 2019 notice). Every
notice goes through the file format's checks before it is stored, as a loaded file would.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from .calendar import Notice, notice_years
from .calendar_notice import parse_notice

PACKAGE = "chinese-calendar"


def _notice_year(day: date, english_name: str) -> int:
    years = notice_years(day)
    return years[-1] if english_name == "New Year's Day" else years[0]


def package_notice_dicts() -> list[dict]:
    """Every year's notice in the package, in the file format, oldest first."""
    try:  # only `calendar seed` needs the package; without it the error says what to install
        import chinese_calendar
        from chinese_calendar import constants
    except ImportError as exc:
        raise ImportError(
            "the holiday notices are seeded from the chinese-calendar package: pip install chinese-calendar==1.11.0"
        ) from exc

    chinese = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    years: dict[int, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: {"holidays": defaultdict(list), "workdays": defaultdict(list)}
    )
    for kind, days in (("holidays", constants.holidays), ("workdays", constants.workdays)):
        for day, english in sorted(days.items()):
            years[_notice_year(day, english)][kind][chinese[english]].append(day.isoformat())
    version = chinese_calendar.__version__
    return [
        {
            "year": year,
            "source": f"国务院办公厅关于{year}年部分节假日安排的通知（{PACKAGE} {version} 收录）",
            "holidays": [{"name": n, "dates": d} for n, d in years[year]["holidays"].items()],
            "workdays": [{"name": n, "dates": d} for n, d in years[year]["workdays"].items()],
        }
        for year in sorted(years)
    ]


def package_notices() -> list[Notice]:
    """The package's notices, checked."""
    return [parse_notice(data) for data in package_notice_dicts()]


def seed_notices(notice_model, day_model, notices: Iterable[Notice]) -> list[int]:
    """Store the notices whose year has none yet (a notice loaded by an administrator is kept);
    a day another notice already lists is left to it. Returns the years stored. Takes the
    models as arguments so that migrations can pass their historical ones."""
    loaded = set(notice_model.objects.values_list("year", flat=True))
    taken = set(day_model.objects.values_list("date", flat=True))
    stored = []
    for notice in notices:
        if notice.year in loaded:
            continue
        row = notice_model.objects.create(year=notice.year, source=notice.source)
        days = [
            day_model(notice=row, date=day, kind=kind, name=name)
            for kind, entries in (("holiday", notice.holidays), ("workday", notice.workdays))
            for day, name in sorted(entries.items())
            if day not in taken
        ]
        day_model.objects.bulk_create(days)
        stored.append(notice.year)
    return stored
