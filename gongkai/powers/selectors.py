"""Reading the power lists: what the public sees of an agency's list, one power with its
versions, and the yearly decision totals that feed Table 1 of the annual report."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone

from gongkai.agencies.models import Agency

from .models import TABLE1_DECISION_TYPES, DecisionCount, Power, PowerVersion


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


def public_powers(agency: Agency, *, type: str | None = None, day: date | None = None) -> QuerySet:
    """The agency's powers that are in force on ``day`` (today) or announced to come into force,
    ordered by type and code, each annotated with ``in_force_from`` (the current version's first
    day) or else ``starts_on`` (the first day of the first version to come)."""
    day = day or timezone.localdate()
    current = PowerVersion.objects.in_force_on(day).filter(power=OuterRef("pk")).values("effective_from")[:1]
    upcoming = (
        PowerVersion.objects.filter(power=OuterRef("pk"), effective_from__gt=day)
        .order_by("effective_from")
        .values("effective_from")[:1]
    )
    powers = Power.objects.filter(agency=agency).annotate(
        in_force_from=Subquery(current), starts_on=Subquery(upcoming)
    )
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


def decision_totals(agency: Agency, year: int) -> dict[str, int]:
    """Decisions the agency made in ``year`` under its licensing, penalty and enforcement powers
    (本年处理决定数量 of Table 1), 0 where none is recorded."""
    recorded = decision_totals_by_agency(Agency.objects.filter(pk=agency.pk), year).get(agency.pk, {})
    return {key: recorded.get(key, 0) for key in TABLE1_DECISION_TYPES}
