"""Reads for the annual-report pages of the workbench. An agency out of the user's scope is
"not found", as is a report that was never started (security.md)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency, Role
from gongkai.reports.annual import report_due_on
from gongkai.reports.models import AnnualReport, ManualFigure, ReportStatus

FIRST_YEAR = 2008  # the Regulation took effect on 1 May 2008
EDITING_ROLES = (Role.CLERK, Role.OFFICE_HEAD)  # as reports.services.can_edit
SUMMARY_ROLES = (Role.SUPERVISOR, Role.ADMINISTRATOR)


def report_years(today: date | None = None) -> list[int]:
    """The years a report may be written for, latest first (this year's only as a draft)."""
    this_year = (today or timezone.localdate()).year
    return list(range(this_year, FIRST_YEAR - 1, -1))


def default_year(today: date | None = None) -> int:
    """Reports are written in January to March about the year before."""
    return (today or timezone.localdate()).year - 1


def agency_in_scope(user, code: str) -> Agency:
    agency = agencies_in_scope(user).filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


def report_for_staff(user, code: str, year: int) -> AnnualReport:
    """The agency's report of ``year`` if the agency is in the user's scope; else Http404."""
    agency = agency_in_scope(user, code)
    report = (
        AnnualReport.objects.select_related("agency", "published_by").filter(agency=agency, year=year).first()
    )
    if report is None:
        raise Http404
    return report


def summary_agencies(user) -> QuerySet:
    """Agencies whose sum over the agencies below the user may see: those in scope as a
    supervisor or administrator."""
    return agencies_in_scope(user, *SUMMARY_ROLES).order_by("path", "sort_order")


@dataclass
class AgencyRow:
    """One agency of the report list: its report of the chosen year (or None) and the others."""

    agency: Agency
    report: AnnualReport | None
    due_on: date
    late: bool
    can_start: bool
    other_years: list[AnnualReport]


def report_rows(user, agencies: list[Agency], year: int, today: date | None = None) -> list[AgencyRow]:
    """The report list for ``agencies`` (one page of them) in two queries."""
    today = today or timezone.localdate()
    ids = [a.pk for a in agencies]
    editable = set(agencies_in_scope(user, *EDITING_ROLES).filter(pk__in=ids).values_list("pk", flat=True))
    by_agency: dict[int, list[AnnualReport]] = {}
    for report in AnnualReport.objects.filter(agency_id__in=ids).order_by("-year"):
        by_agency.setdefault(report.agency_id, []).append(report)
    rows = []
    for agency in agencies:
        reports = by_agency.get(agency.pk, [])
        this = next((r for r in reports if r.year == year), None)
        due_on = report_due_on(agency, year)
        published_on = this.published_on if this else None
        # An imported report without its publication day is not known to be late.
        unknown = this is not None and this.imported and published_on is None
        late = not unknown and today > due_on and (published_on is None or published_on > due_on)
        rows.append(
            AgencyRow(
                agency=agency,
                report=this,
                due_on=due_on,
                late=late,
                can_start=this is None and agency.pk in editable,
                other_years=[r for r in reports if r.year != year],
            )
        )
    return rows


def manual_figures(agency: Agency, year: int) -> dict[str, ManualFigure]:
    """The figures entered by hand for the agency's report of ``year``, by key."""
    return {f.key: f for f in ManualFigure.objects.filter(agency=agency, year=year)}


def is_published(report: AnnualReport) -> bool:
    return report.status == ReportStatus.PUBLISHED


def published_count(authority: Agency, year: int) -> int:
    """How many of the authority's agencies (itself included) have published their report."""
    return AnnualReport.objects.filter(
        agency__in=Agency.objects.below(authority).filter(is_active=True),
        year=year,
        status=ReportStatus.PUBLISHED,
    ).count()
