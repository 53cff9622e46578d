"""Index-number sequences per agency and period, in the agency's own format
(IndexNumberScheme; index_numbers.py has the pure format and parse).

``allocate`` takes the next numbers under the sequence row's lock, so numbers are gap-free and
safe under concurrent publication; it runs in the caller's transaction, so a rollback returns
them. ``advance_past`` moves a sequence on past numbers the agency published before it used the
platform (kept verbatim on import), so new numbers continue after the highest of the period.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from gongkai.agencies.models import Agency

from .index_numbers import Scheme
from .models import IndexNumberScheme, IndexSequence


def scheme_for(agency: Agency) -> Scheme:
    """The agency's format, else the deployment's default (settings.GONGKAI_INDEX_NUMBER_FORMAT)."""
    row = IndexNumberScheme.objects.filter(agency=agency).first()
    if row is None:
        return Scheme(settings.GONGKAI_INDEX_NUMBER_FORMAT, code=agency.code)
    return Scheme(row.pattern, code=agency.code, region=row.region, prefix=row.prefix)


@transaction.atomic
def allocate(
    *, agency: Agency, year: int, month: int = 0, count: int = 1, scheme: Scheme | None = None
) -> list[str]:
    """The next ``count`` numbers of ``agency`` for the period of ``year`` (and ``month`` when
    its format shows the month), in order."""
    if count <= 0:
        return []
    scheme = scheme or scheme_for(agency)
    year, month = scheme.period(year=year, month=month)
    IndexSequence.objects.get_or_create(agency=agency, year=year, month=month)
    # The UPDATE takes the row lock (PostgreSQL) or the database write lock (SQLite,
    # IMMEDIATE transactions), so concurrent publishers queue here.
    rows = IndexSequence.objects.filter(agency=agency, year=year, month=month)
    rows.update(last=F("last") + count)
    last = rows.get().last
    return [scheme.format(year=year, month=month, seq=seq) for seq in range(last - count + 1, last + 1)]


def allocate_periods(
    *, agency: Agency, counts: dict[tuple[int, int], int], scheme: Scheme | None = None
) -> dict[tuple[int, int], list[str]]:
    """``allocate`` for several periods (``(year, month)`` as ``scheme.period`` gives them) in
    ONE statement, an upsert that returns each period's new last number: an import batch
    spanning decades made three statements per year before. The rows are locked in period
    order, as ``allocate`` called in sorted order would lock them."""
    scheme = scheme or scheme_for(agency)
    wanted = sorted((period, n) for period, n in counts.items() if n > 0)
    if not wanted:
        return {}
    quote = connection.ops.quote_name
    table = quote(IndexSequence._meta.db_table)
    c_agency, c_year, c_month, c_last = (quote(c) for c in ("agency_id", "year", "month", "last"))
    values = ", ".join(["(%s, %s, %s, %s)"] * len(wanted))
    params = [v for (year, month), n in wanted for v in (agency.pk, year, month, n)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({c_agency}, {c_year}, {c_month}, {c_last}) VALUES {values} "
            f"ON CONFLICT ({c_agency}, {c_year}, {c_month}) "
            f"DO UPDATE SET {c_last} = {table}.{c_last} + excluded.{c_last} "
            f"RETURNING {c_year}, {c_month}, {c_last}",
            params,
        )
        last = {(year, month): value for year, month, value in cursor.fetchall()}
    return {
        (year, month): [
            scheme.format(year=year, month=month, seq=seq)
            for seq in range(last[year, month] - n + 1, last[year, month] + 1)
        ]
        for (year, month), n in wanted
    }


@transaction.atomic
def advance_past(*, agency: Agency, index_nos: Iterable[str], scheme: Scheme | None = None) -> int:
    """Move the agency's sequences past the numbers of ``index_nos`` written in its format
    (others are kept but do not count); returns how many periods moved."""
    scheme = scheme or scheme_for(agency)
    highest: dict[tuple[int, int], int] = {}
    for index_no in index_nos:
        parsed = scheme.parse(index_no)
        if parsed:
            year, month, seq = parsed
            key = scheme.period(year=year, month=month)
            highest[key] = max(highest.get(key, 0), seq)
    for (year, month), seq in sorted(highest.items()):
        IndexSequence.objects.get_or_create(agency=agency, year=year, month=month)
        IndexSequence.objects.filter(agency=agency, year=year, month=month).update(
            last=Greatest(F("last"), seq)
        )
    return len(highest)
