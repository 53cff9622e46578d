"""Reads of key-area disclosure: the public catalogue and records, the staff's records in scope,
and the compliance figures (in time, late, missing) that the workbench, the reminders and the
assessment use. Status is derived here on read from stored facts (rules.status_of)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency
from gongkai.catalogue.models import DisclosureAttribute, Visibility

from .models import KeyArea, Obligation, Project, StandardItem
from .rules import SETTLED, Status, status_of


def public_published_on(document) -> date | None:
    """The publication date of a fulfilling document while it is public; a withdrawn one no
    longer fulfils anything."""
    if (
        document is None
        or document.visibility != Visibility.PUBLIC
        or document.disclosure_attribute != DisclosureAttribute.PROACTIVE
    ):
        return None
    return document.published_on


@dataclass(frozen=True)
class ObligationRow:
    obligation: Obligation
    status: Status
    document: object | None  # the fulfilling document while it is public

    @property
    def item(self) -> StandardItem:
        return self.obligation.item

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.MISSING


def obligation_row(obligation: Obligation, today: date) -> ObligationRow:
    published_on = public_published_on(obligation.document)
    status = status_of(
        occurred_on=obligation.occurred_on, due_on=obligation.due_on, published_on=published_on, today=today
    )
    return ObligationRow(obligation, status, obligation.document if published_on else None)


def _obligations() -> QuerySet:
    return Obligation.objects.select_related("item", "document")


def _with_obligations(projects: QuerySet) -> QuerySet:
    return projects.select_related("area", "agency").prefetch_related(
        Prefetch("obligations", queryset=_obligations())
    )


# --- public ------------------------------------------------------------------------------------


def areas_public() -> QuerySet:
    return KeyArea.objects.all()


def area_public(code: str) -> KeyArea:
    area = KeyArea.objects.filter(code=code).first()
    if area is None:
        raise Http404("no such key area")
    return area


def items_current(area: KeyArea) -> QuerySet:
    """The items of the version loaded now (retired ones are kept for the records only)."""
    return area.items.filter(retired=False).order_by("sort_order")


def projects_public(*, area: KeyArea | None = None, agency: Agency | None = None) -> QuerySet:
    projects = Project.objects.filter(agency__is_active=True)
    if area is not None:
        projects = projects.filter(area=area)
    if agency is not None:
        projects = projects.filter(agency=agency)
    return _with_obligations(projects).order_by("-year", "-created_at", "-id")


def project_public(pk: int) -> Project:
    project = projects_public().filter(pk=pk).first()
    if project is None:
        raise Http404("no such project")
    return project


@dataclass
class ProjectView:
    project: Project
    rows: list[ObligationRow]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def overdue(self) -> int:
        return self.count(Status.MISSING)

    @property
    def late(self) -> int:
        return self.count(Status.LATE)


def project_view(project: Project, today: date) -> ProjectView:
    """The project with the status of each disclosure it owes (uses the prefetched rows)."""
    return ProjectView(project, [obligation_row(o, today) for o in project.obligations.all()])


# --- staff -------------------------------------------------------------------------------------


def projects_in_scope(user) -> QuerySet:
    """Projects of the agencies the user reaches with any role (supervisors: those below too)."""
    return _with_obligations(Project.objects.filter(agency__in=agencies_in_scope(user))).order_by(
        "-created_at", "-id"
    )


def project_for_staff(user, pk: int) -> Project:
    """One project in the user's scope; out of scope is the same 404 as not there."""
    project = projects_in_scope(user).filter(pk=pk).first()
    if project is None:
        raise Http404("no such project")
    return project


def obligation_for_staff(user, project: Project, pk: int) -> Obligation:
    obligation = _obligations().filter(project=project, pk=pk).first()
    if obligation is None:
        raise Http404("no such obligation")
    return obligation


# --- compliance --------------------------------------------------------------------------------


@dataclass
class Figures:
    """Owed disclosures by status. ``due``: those whose deadline has come or that were
    published (in time + late + missing); the rate is in time over due."""

    counts: dict = field(default_factory=lambda: dict.fromkeys(Status.values, 0))

    def add(self, status: Status) -> None:
        self.counts[status] += 1

    @property
    def in_time(self) -> int:
        return self.counts[Status.IN_TIME]

    @property
    def late(self) -> int:
        return self.counts[Status.LATE]

    @property
    def missing(self) -> int:
        return self.counts[Status.MISSING]

    @property
    def open(self) -> int:
        return self.counts[Status.OPEN]

    @property
    def due(self) -> int:
        return sum(self.counts[s] for s in SETTLED)

    @property
    def rate(self) -> float | None:
        return round(self.in_time / self.due, 4) if self.due else None

    def as_dict(self) -> dict:
        return {**self.counts, "due": self.due, "rate": self.rate}


@dataclass
class ComplianceRow:
    agency: Agency
    area: KeyArea
    figures: Figures


def _statuses(agencies: QuerySet, today: date, year: int | None):
    """(agency id, area id, status) for every owed disclosure of ``agencies``; ``year`` keeps
    those due in that year. One query, no model instances."""
    rows = Obligation.objects.filter(project__agency__in=agencies)
    if year is not None:
        rows = rows.filter(due_on__year=year)
    for agency_id, area_id, occurred_on, due_on, visibility, attribute, published_on in rows.values_list(
        "project__agency_id",
        "project__area_id",
        "occurred_on",
        "due_on",
        "document__visibility",
        "document__disclosure_attribute",
        "document__published_on",
    ):
        public = visibility == Visibility.PUBLIC and attribute == DisclosureAttribute.PROACTIVE
        status = status_of(
            occurred_on=occurred_on, due_on=due_on, published_on=published_on if public else None, today=today
        )
        yield agency_id, area_id, status


def compliance(agencies: QuerySet, *, today: date, year: int | None = None) -> list[ComplianceRow]:
    """Per agency and area that owe anything: in time, late, missing and still open."""
    table: dict[tuple[int, int], Figures] = {}
    for agency_id, area_id, status in _statuses(agencies, today, year):
        table.setdefault((agency_id, area_id), Figures()).add(status)
    agency_by_id = Agency.objects.in_bulk({a for a, _ in table})
    area_by_id = KeyArea.objects.in_bulk({b for _, b in table})
    rows = [ComplianceRow(agency_by_id[a], area_by_id[b], f) for (a, b), f in table.items()]
    return sorted(rows, key=lambda r: (r.agency.path, r.area.sort_order))


def keyarea_figures(*, agencies: QuerySet, today: date, year: int | None = None) -> Figures:
    """The totals over ``agencies`` (for the assessment: ``rate`` is the in-time share)."""
    figures = Figures()
    for _agency, _area, status in _statuses(agencies, today, year):
        figures.add(status)
    return figures


def overdue_obligations(agencies: QuerySet, *, today: date) -> list[ObligationRow]:
    """Owed disclosures past their due date with no public document, oldest first."""
    candidates = (
        _obligations()
        .filter(project__agency__in=agencies, due_on__lt=today)
        .select_related("project__agency", "project__area")
        .order_by("due_on", "id")
    )
    rows = (obligation_row(o, today) for o in candidates)
    return [r for r in rows if r.status == Status.MISSING]


def due_within(agencies: QuerySet, *, today: date, until: date) -> list[ObligationRow]:
    """Owed disclosures not yet published and due by ``until`` (overdue ones included)."""
    candidates = (
        _obligations()
        .filter(project__agency__in=agencies, due_on__lte=until)
        .select_related("project__agency", "project__area")
        .order_by("due_on", "id")
    )
    rows = (obligation_row(o, today) for o in candidates)
    return [r for r in rows if r.status in (Status.MISSING, Status.OPEN)]
