"""Reading the power lists: what the public sees of an agency's list, one power with its
versions, and the yearly decision totals that feed Table 1 of the annual report."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency, Role

from .models import TABLE1_DECISION_TYPES, TRIAL_TABLE1_TYPES, DecisionCount, Power, PowerVersion


def version_in_force(versions: list[PowerVersion], day: date) -> PowerVersion | None:
    """The version in force on ``day`` among a power's versions (None before the first)."""
    for version in versions:
        if version.effective_from <= day and (version.effective_to is None or version.effective_to >= day):
            return version
    return None


def power_version_on(power: Power, day: date | None = None) -> PowerVersion | None:
    """The power's version in force on ``day`` (today when None), or None."""
    day = day or timezone.localdate()
    return PowerVersion.objects.in_force_on(day).filter(power=power).first()


def _with_version_dates(powers: QuerySet, day: date) -> QuerySet:
    """``powers`` annotated with ``in_force_from`` (the first day of the version in force on
    ``day``) and ``starts_on`` (the first day of the first version still to come)."""
    current = PowerVersion.objects.in_force_on(day).filter(power=OuterRef("pk")).values("effective_from")[:1]
    upcoming = (
        PowerVersion.objects.filter(power=OuterRef("pk"), effective_from__gt=day)
        .order_by("effective_from")
        .values("effective_from")[:1]
    )
    return powers.annotate(in_force_from=Subquery(current), starts_on=Subquery(upcoming))


def public_powers(agency: Agency, *, type: str | None = None, day: date | None = None) -> QuerySet:
    """The agency's powers that are in force on ``day`` (today) or announced to come into force,
    ordered by type and code, each annotated with ``in_force_from`` (the current version's first
    day) or else ``starts_on`` (the first day of the first version to come)."""
    powers = _with_version_dates(Power.objects.filter(agency=agency), day or timezone.localdate())
    if type:
        powers = powers.filter(type=type)
    return powers.exclude(in_force_from__isnull=True, starts_on__isnull=True).order_by("type", "code")


@dataclass
class PowerRecord:
    """One power with every version (newest first), the one in force on the day asked, the
    first one to come when none is yet, and its decision counts by year (newest first)."""

    power: Power
    versions: list[PowerVersion]
    current: PowerVersion | None
    upcoming: PowerVersion | None
    decision_counts: list[DecisionCount]

    @property
    def shown(self) -> PowerVersion | None:
        """The version to show first: the one in force, else the one to come."""
        return self.current or self.upcoming


def public_power_get(agency: Agency, code: str, *, day: date | None = None) -> PowerRecord | None:
    """The agency's power ``code`` as the public sees it, or None when there is no such power."""
    day = day or timezone.localdate()
    power = Power.objects.select_related("agency").filter(agency=agency, code=code).first()
    if power is None:
        return None
    versions = list(power.versions.order_by("-effective_from"))
    if not versions:
        return None
    upcoming = [v for v in versions if v.effective_from > day]
    return PowerRecord(
        power=power,
        versions=versions,
        current=version_in_force(versions, day),
        upcoming=upcoming[-1] if upcoming else None,
        decision_counts=list(power.decision_counts.order_by("-year")),
    )


def decision_totals_by_agency(agencies: QuerySet, year: int) -> dict[int, dict[str, int]]:
    """For each of ``agencies`` with decision counts recorded for ``year``: the Table 1 keys
    ("licensing", "penalty", "enforcement") that have at least one count, with their sum. A key
    missing means nothing was recorded (as opposed to a recorded 0)."""
    by_type = {power_type: key for key, power_type in TABLE1_DECISION_TYPES.items()}
    rows = (
        DecisionCount.objects.filter(power__agency__in=agencies, power__type__in=by_type, year=year)
        .order_by()
        .values("power__agency_id", "power__type")
        .annotate(total=Sum("count"))
    )
    totals: dict[int, dict[str, int]] = {}
    for row in rows:
        totals.setdefault(row["power__agency_id"], {})[by_type[row["power__type"]]] = row["total"]
    return totals


def trial_figures_by_agency(agencies: QuerySet, year: int) -> dict[int, dict[str, dict[str, int]]]:
    """2019's trial Table 1 from the power lists, for each of ``agencies`` that keeps powers of a
    row's types (TRIAL_TABLE1_TYPES): ``previous_items`` (powers in force on 31 December of the
    year before), ``change`` (in force on 31 December of ``year``, less those) and, when counts
    were recorded for ``year``, ``decisions``. A row missing means the agency lists no such power."""
    row_of = {power_type: key for key, types in TRIAL_TABLE1_TYPES.items() for power_type in types}
    figures: dict[int, dict[str, dict[str, int]]] = {}
    for agency_id, power_type in (
        Power.objects.filter(agency__in=agencies, type__in=row_of, versions__isnull=False)
        .order_by()
        .values_list("agency_id", "type")
        .distinct()
    ):
        figures.setdefault(agency_id, {}).setdefault(row_of[power_type], {"previous_items": 0, "change": 0})

    def in_force(day: date):
        return (
            PowerVersion.objects.in_force_on(day)
            .filter(power__agency__in=agencies, power__type__in=row_of)
            .order_by()
            .values("power__agency_id", "power__type")
            .annotate(n=Count("power", distinct=True))
        )

    for row in in_force(date(year - 1, 12, 31)):
        cells = figures[row["power__agency_id"]][row_of[row["power__type"]]]
        cells["previous_items"] += row["n"]
        cells["change"] -= row["n"]
    for row in in_force(date(year, 12, 31)):
        figures[row["power__agency_id"]][row_of[row["power__type"]]]["change"] += row["n"]
    for row in (
        DecisionCount.objects.filter(power__agency__in=agencies, power__type__in=row_of, year=year)
        .order_by()
        .values("power__agency_id", "power__type")
        .annotate(total=Sum("count"))
    ):
        rows = figures.setdefault(row["power__agency_id"], {})
        cells = rows.setdefault(row_of[row["power__type"]], {"previous_items": 0, "change": 0})
        cells["decisions"] = cells.get("decisions", 0) + row["total"]
    return figures


def decision_totals(agency: Agency, year: int) -> dict[str, int]:
    """Decisions the agency made in ``year`` under its licensing, penalty and enforcement powers
    (本年处理决定数量 of Table 1), 0 where none is recorded."""
    recorded = decision_totals_by_agency(Agency.objects.filter(pk=agency.pk), year).get(agency.pk, {})
    return {key: recorded.get(key, 0) for key in TABLE1_DECISION_TYPES}


# --- the staff workbench ---------------------------------------------------------------------

# Who keeps an agency's power list (services.can_manage_powers asks the same).
MANAGING_ROLES = (Role.ADMINISTRATOR, Role.OFFICE_HEAD)


def agencies_managed(user) -> QuerySet:
    """Agencies whose power list the user may keep: as administrator (with the agencies below)
    or as head of the disclosure office."""
    return agencies_in_scope(user, *MANAGING_ROLES)


def powers_in_scope(user) -> QuerySet:
    """Every power of an agency the user may read (supervisors and administrators: the agencies
    below theirs too), with its agency."""
    return Power.objects.filter(agency__in=agencies_in_scope(user)).select_related("agency")


def with_list_figures(powers: QuerySet, *, day: date | None = None) -> QuerySet:
    """``powers`` annotated for the staff list, in one query however many: ``in_force_from`` and
    ``starts_on`` (see public_powers), and ``decisions_this_year`` and ``decisions_last_year``
    (None where no count is recorded, as opposed to a recorded 0)."""
    day = day or timezone.localdate()

    def count_of(year: int) -> Subquery:
        return Subquery(DecisionCount.objects.filter(power=OuterRef("pk"), year=year).values("count")[:1])

    return _with_version_dates(powers, day).annotate(
        decisions_this_year=count_of(day.year), decisions_last_year=count_of(day.year - 1)
    )


def power_for_staff(user, pk: int, *, day: date | None = None) -> PowerRecord:
    """One power with every version (and who entered it) and its yearly counts; Http404 when it
    does not exist or its agency is out of the user's scope."""
    day = day or timezone.localdate()
    power = powers_in_scope(user).filter(pk=pk).first()
    if power is None:
        raise Http404
    versions = list(power.versions.select_related("created_by").order_by("-effective_from"))
    upcoming = [v for v in versions if v.effective_from > day]
    return PowerRecord(
        power=power,
        versions=versions,
        current=version_in_force(versions, day),
        upcoming=upcoming[-1] if upcoming else None,
        decision_counts=list(power.decision_counts.order_by("-year")),
    )
