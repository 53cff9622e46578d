"""Reads: whose ranking a user may see, the stored ranking, and the public's ratings per agency."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from gongkai.agencies.access import agencies_where
from gongkai.agencies.models import Agency

from .models import AssessmentResult, Evaluation, Scheme
from .scoring import DEFAULT_TARGETS, IndicatorKey
from .services import ASSESSOR_ROLES, assessed_agencies


def authorities_for(user) -> list[Agency]:
    """The agencies whose assessment ``user`` runs (supervisor or administrator there)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Agency.objects.active().filter(parent__isnull=True))
    ids = agencies_where(user, *ASSESSOR_ROLES)
    return list(Agency.objects.filter(pk__in=ids).order_by("path"))


def scheme_for_year(year: int) -> Scheme | None:
    return Scheme.objects.filter(year=year, active=True).prefetch_related("indicators").order_by("pk").first()


def guide_review_limit_days(year: int) -> int:
    """How many days a review of the disclosure guide keeps it current: the target of the
    guide_current indicator in the year's active scheme, else the default (365)."""
    scheme = scheme_for_year(year)
    targets = [
        i.target
        for i in (scheme.indicators.all() if scheme else [])
        if i.key == IndicatorKey.GUIDE_CURRENT and i.target is not None
    ]
    return int(targets[0] if targets else DEFAULT_TARGETS[IndicatorKey.GUIDE_CURRENT])


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


def report_assessment(agency: Agency, year: int) -> dict:
    """What section 六 of the agency's annual report for ``year`` states about supervision:
    ``assessment`` {scheme, total, rank, ranked} from its yearly result (when computed) and
    ``evaluation`` {ratings, mean} from the public's ratings in the year (when there were any)."""
    section: dict = {}
    result = result_for_report(agency, year)
    if result is not None and result.total is not None:
        ranked = AssessmentResult.objects.filter(
            scheme=result.scheme_id, period=result.period, rank__isnull=False
        ).count()
        section["assessment"] = {
            "scheme": result.scheme.name,
            "total": format(result.total.normalize(), "f"),
            "rank": result.rank,
            "ranked": ranked,
        }
    ratings = evaluation_summary([agency.pk], start=date(year, 1, 1), end=date(year, 12, 31))[agency.pk]
    if ratings.count:
        section["evaluation"] = {"ratings": ratings.count, "mean": ratings.mean}
    return section
