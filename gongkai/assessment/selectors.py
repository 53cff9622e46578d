"""Reads: whose ranking a user may see, the stored ranking, and the public's ratings per agency."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from gongkai.agencies.models import Agency, StaffRole

from .models import AssessmentResult, Evaluation, Scheme
from .services import ASSESSOR_ROLES, assessed_agencies


def authorities_for(user) -> list[Agency]:
    """The agencies whose assessment ``user`` runs (supervisor or administrator there)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Agency.objects.active().filter(parent__isnull=True))
    ids = StaffRole.objects.filter(user=user, role__in=ASSESSOR_ROLES).values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year, active=True).prefetch_related("indicators").order_by("pk").first()


def results_for(scheme: Scheme, authority: Agency, period: str) -> list[AssessmentResult]:
    """The stored results of the agencies under ``authority``, best first."""
    ids = [a.pk for a in assessed_agencies(authority)]
    return list(
        AssessmentResult.objects.filter(scheme=scheme, period=period, agency_id__in=ids).select_related(
            "agency"
        )
    )


def result_for_report(agency: Agency, year: int) -> AssessmentResult | None:
    """The agency's yearly result, for its annual report."""
    return (
        AssessmentResult.objects.filter(agency=agency, period=str(year), scheme__active=True)
        .order_by("-computed_at")
        .first()
    )


@dataclass
class RatingSummary:
    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


def evaluation_summary(
    agency_ids: list[int], *, kind: str | None = None, start: date | None = None, end: date | None = None
) -> dict[int, RatingSummary]:
    """Count, mean and 1-5 distribution of ratings per agency, in one grouped query."""
    qs = Evaluation.objects.filter(agency_id__in=agency_ids)
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    summary = {pk: RatingSummary() for pk in agency_ids}
    for row in qs.values("agency_id", "rating").annotate(n=Count("pk")).order_by():
        s = summary[row["agency_id"]]
        s.count += row["n"]
        s.total += row["rating"] * row["n"]
        s.distribution[row["rating"]] += row["n"]
    return summary
