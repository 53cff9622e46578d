"""Statistics for the dashboards of staff, supervisors and the public: disclosure on application
(received, channels, applicant types, outcomes, reply timeliness, overdue now) and proactive
disclosure (volume by month, subject and agency; publication timeliness). Reads only.

Every figure is counted by the database (values/annotate) in a fixed number of queries, however
many agencies or records there are; only working days are counted here, from the stored dates.
All figures are counts and rates: nothing about an applicant is read, so the same figures serve
the public page.

Definitions (shown on the pages as 统计口径):
- An application counts in the year it was received (``received_on``); its outcome, reply
  timeliness and days to reply count in the year it was closed (``closed_on``), as in Table 2
  of the annual report. Duplicates merged into another application are not counted.
- Replied = closed with an outcome other than the two the applicant's inaction causes (no
  correction, fee unpaid), which the clock closes without a reply.
- On time = closed on or before the stored ``reply_due_on``. That is the due date as last
  computed by the clock before closing (corrections, consultations and extensions included);
  an approximation, since the date that counts in law is the day the reply is made and
  ``closed_on`` is the day it was delivered. Historical imports closed in the former system
  carry no due date and count as "due date unknown", neither on time nor late.
- Days to reply = working days after ``received_on`` up to ``closed_on`` under the loaded
  holiday notices (gongkai.core.calendar.count_workdays). Pauses (correction, consultation) are
  not subtracted: this is the time the applicant waited.
- Overdue now = open applications whose stored reply date has passed (as the workbench lists).
- Proactive disclosure = documents in the public catalogue (withdrawn ones excluded) by
  ``published_on``; subjects are counted at the top level of the taxonomy.
- Publication timeliness = the stored TimelinessFigure rows (per agency and month of
  publication) of gongkai.publishing.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.rules import (
    ABANDONMENT_OUTCOME,
    OPEN_STATES,
    OUTCOME_GROUP,
    ApplicantType,
    ApplicationState,
    Channel,
    Outcome,
)
from gongkai.catalogue.models import Document
from gongkai.core.calendar import HolidayCalendar, count_workdays
from gongkai.core.calendar_store import calendar_for
from gongkai.publishing.models import TimelinessFigure

MONTHS = tuple(range(1, 13))
# The groups of Table 2, section 三, in its order, with the short names a chart has room for.
OUTCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("disclosed", _("予以公开")),
    ("partially_disclosed", _("部分公开")),
    ("withheld", _("不予公开")),
    ("unavailable", _("无法提供")),
    ("unprocessed", _("不予处理")),
    ("other_handling", _("其他处理")),
)
NO_SUBJECT = _("未分类")
_ABANDONED = tuple(o.value for o in ABANDONMENT_OUTCOME.values())


# --- pure helpers ------------------------------------------------------------------------------


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a percentage, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


def median_and_p90(days: Counter) -> tuple[float | None, int | None]:
    """The median and the 90th percentile of values given with their frequencies. The median of
    an even number of values is the mean of the middle two; the 90th percentile is the smallest
    value that at least 90% of the values do not exceed (nearest rank)."""
    total = sum(days.values())
    if not total:
        return None, None
    ordered = sorted(days.items())

    def nth(rank: int) -> int:  # 1-based rank in the sorted values
        seen = 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                return value
        raise AssertionError("rank beyond the values")  # pragma: no cover

    middle = (nth((total + 1) // 2) + nth(total // 2 + 1)) / 2
    median = int(middle) if middle == int(middle) else middle
    return median, nth(math.ceil(0.9 * total))


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One bar of a breakdown: a code, its label and the count."""

    key: str
    label: str
    value: int


@dataclass
class MonthFigures:
    month: int
    received: int = 0
    closed: int = 0
    published: int = 0
    published_on_time: int = 0
    published_late: int = 0

    @property
    def label(self) -> str:
        return _("%(month)d月") % {"month": self.month}

    @property
    def publication_rate(self) -> float | None:
        return rate(self.published_on_time, self.published_on_time + self.published_late)


@dataclass
class ReplyFigures:
    """Timeliness of the replies of applications closed in the year."""

    closed: int = 0  # every application closed in the year
    replied: int = 0  # closed with a reply (not lapsed)
    on_time: int = 0
    late: int = 0
    unknown_due: int = 0  # replied, but no due date is stored (historical imports)
    days: Counter = field(default_factory=Counter)  # working days to reply -> how many

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.on_time + self.late)

    @property
    def median_days(self) -> float | None:
        return median_and_p90(self.days)[0]

    @property
    def p90_days(self) -> int | None:
        return median_and_p90(self.days)[1]


@dataclass
class AgencyFigures:
    """One agency's row of the table by agency."""

    code: str
    name: str
    received: int = 0
    overdue_now: int = 0
    reply: ReplyFigures = field(default_factory=ReplyFigures)
    published: int = 0
    published_on_time: int = 0
    published_late: int = 0

    @property
    def publication_rate(self) -> float | None:
        return rate(self.published_on_time, self.published_on_time + self.published_late)

    def has_figures(self) -> bool:
        return bool(
            self.received
            or self.overdue_now
            or self.reply.closed
            or self.published
            or self.published_on_time
            or self.published_late
        )


@dataclass
class Statistics:
    """Every figure of the statistics pages for a set of agencies and a year."""

    year: int
    today: date
    months: list[MonthFigures]
    by_channel: list[Item]
    by_applicant_type: list[Item]
    outcomes: list[Item]  # groups of Table 2
    outcome_details: list[Item]  # every outcome code, in Table 2's order
    reply: ReplyFigures
    overdue_now: int
    by_subject: list[Item]
    by_agency: list[AgencyFigures]  # agencies with at least one figure, in the directory's order
    published_on_time: int
    published_late: int
    published_days_late: int

    @property
    def received(self) -> int:
        return sum(m.received for m in self.months)

    @property
    def published(self) -> int:
        return sum(m.published for m in self.months)

    @property
    def publication_rate(self) -> float | None:
        return rate(self.published_on_time, self.published_on_time + self.published_late)

    @property
    def published_by_agency(self) -> list[Item]:
        rows = [Item(a.code, a.name, a.published) for a in self.by_agency if a.published]
        return sorted(rows, key=lambda i: -i.value)


# --- queries -----------------------------------------------------------------------------------


def _applications(agencies: QuerySet) -> QuerySet:
    return Application.objects.filter(agency__in=agencies).exclude(state=ApplicationState.MERGED).order_by()


def _breakdown(counts: Counter, choices) -> list[Item]:
    """Every choice in its declared order, with its count (zero included: a chart's categories
    stay the same from year to year)."""
    return [Item(c.value, str(c.label), counts.get(c.value, 0)) for c in choices]


def _by_month(field: str, year: int) -> dict:
    """Counts per month of ``field`` as conditional aggregates (m1 … m12): plain SQL on both
    databases, where grouping by an extracted month runs a Python function per row on SQLite."""
    bounds = [date(year, m, 1) for m in MONTHS] + [date(year + 1, 1, 1)]
    return {
        f"m{m}": Count("pk", filter=Q(**{f"{field}__gte": bounds[m - 1], f"{field}__lt": bounds[m]}))
        for m in MONTHS
    }


def _received(agencies: QuerySet, year: int, months: dict, by_agency: dict) -> tuple[Counter, Counter]:
    """Received in the year: by month, channel and applicant type, and by agency (one query)."""
    start, end = year_bounds(year)
    rows = (
        _applications(agencies)
        .filter(received_on__gte=start, received_on__lte=end)
        .values("agency_id", "channel", "applicant_type")
        .annotate(**_by_month("received_on", year))
    )
    channels, types = Counter(), Counter()
    for row in rows:
        n = sum(row[f"m{m}"] for m in MONTHS)
        for m in MONTHS:
            months[m].received += row[f"m{m}"]
        channels[row["channel"]] += n
        types[row["applicant_type"]] += n
        if row["agency_id"] in by_agency:
            by_agency[row["agency_id"]].received += n
    return channels, types


def _closed(agencies: QuerySet, year: int) -> QuerySet:
    start, end = year_bounds(year)
    return _applications(agencies).filter(closed_on__gte=start, closed_on__lte=end, received_on__isnull=False)


def _outcomes(agencies: QuerySet, year: int, months: dict, by_agency: dict, total: ReplyFigures) -> Counter:
    """Closed in the year: by outcome, month and agency (one query)."""
    rows = _closed(agencies, year).values("agency_id", "outcome").annotate(**_by_month("closed_on", year))
    outcomes = Counter()
    for row in rows:
        n = sum(row[f"m{m}"] for m in MONTHS)
        for m in MONTHS:
            months[m].closed += row[f"m{m}"]
        outcomes[row["outcome"]] += n
        total.closed += n
        if row["agency_id"] in by_agency:
            by_agency[row["agency_id"]].reply.closed += n
    return outcomes


def workday_numbers(days: set[date], calendar: HolidayCalendar) -> dict[date, int]:
    """Each day's number of working days after the earliest of ``days``, so that the working
    days between two of them are a subtraction: count_workdays over the span once, not once
    per pair of dates (tens of thousands of replies a year)."""
    numbers, previous, total = {}, None, 0
    for day in sorted(days):
        if previous is not None:
            total += count_workdays(previous, day, calendar)
        numbers[day], previous = total, day
    return numbers


def _replies(
    agencies: QuerySet, year: int, by_agency: dict, total: ReplyFigures, calendar: HolidayCalendar
) -> None:
    """Replies of the year: on time or late against the stored reply date, and the working
    days they took, in total and by agency (one query, grouped by the pair of dates)."""
    due = Q(reply_due_on__isnull=False)
    rows = list(
        _closed(agencies, year)
        .exclude(outcome__in=_ABANDONED)
        .values_list("agency_id", "received_on", "closed_on")
        .annotate(
            n=Count("pk"),
            with_due=Count("pk", filter=due),
            on_time=Count("pk", filter=due & Q(closed_on__lte=F("reply_due_on"))),
        )
    )
    numbers = workday_numbers({d for row in rows for d in row[1:3]}, calendar)
    for agency_id, received_on, closed_on, n, with_due, on_time in rows:
        targets = [total, by_agency[agency_id].reply] if agency_id in by_agency else [total]
        for figures in targets:
            figures.replied += n
            figures.on_time += on_time
            figures.late += with_due - on_time
            figures.unknown_due += n - with_due
            figures.days[numbers[closed_on] - numbers[received_on]] += n


def _overdue_now(agencies: QuerySet, today: date, by_agency: dict) -> int:
    rows = (
        _applications(agencies)
        .filter(state__in=OPEN_STATES, reply_due_on__lt=today)
        .values("agency_id")
        .annotate(n=Count("pk"))
    )
    total = 0
    for row in rows:
        total += row["n"]
        if row["agency_id"] in by_agency:
            by_agency[row["agency_id"]].overdue_now = row["n"]
    return total


def _published(agencies: QuerySet, year: int, months: dict, by_agency: dict) -> list[Item]:
    """Documents published in the year: by month, top-level subject and agency (one query)."""
    start, end = year_bounds(year)
    rows = (
        Document.objects.public()
        .filter(agency__in=agencies, published_on__gte=start, published_on__lte=end)
        .order_by()
        .values("agency_id", topic=Coalesce("subject__parent__name", "subject__name", Value("")))
        .annotate(**_by_month("published_on", year))
    )
    subjects = Counter()
    for row in rows:
        n = sum(row[f"m{m}"] for m in MONTHS)
        for m in MONTHS:
            months[m].published += row[f"m{m}"]
        subjects[row["topic"]] += n
        if row["agency_id"] in by_agency:
            by_agency[row["agency_id"]].published += n
    items = [Item(name, name or str(NO_SUBJECT), n) for name, n in subjects.items()]
    return sorted(items, key=lambda i: (-i.value, i.key == "", i.label))


def _timeliness(agencies: QuerySet, year: int, months: dict, by_agency: dict) -> tuple[int, int, int]:
    """Publication timeliness of the year from the stored figures, one row per agency and
    month already (one query)."""
    rows = TimelinessFigure.objects.filter(agency__in=agencies, month__year=year).values_list(
        "agency_id", "month", "on_time", "late", "days_late"
    )
    on_time = late = days_late = 0
    for agency_id, month, row_on_time, row_late, row_days_late in rows:
        months[month.month].published_on_time += row_on_time
        months[month.month].published_late += row_late
        on_time, late, days_late = on_time + row_on_time, late + row_late, days_late + row_days_late
        if agency_id in by_agency:
            by_agency[agency_id].published_on_time += row_on_time
            by_agency[agency_id].published_late += row_late
    return on_time, late, days_late


def statistics_for(*, agencies: QuerySet, year: int, today: date) -> Statistics:
    """Every figure for ``agencies`` (a queryset, e.g. a user's scope) in ``year``; "overdue
    now" as of ``today``. Eight queries, whatever the size of the scope (two more when the
    holiday calendar has changed since this process last read it)."""
    months = {m: MonthFigures(m) for m in MONTHS}
    by_agency = {
        a["pk"]: AgencyFigures(code=a["code"], name=a["short_name"] or a["name"])
        for a in agencies.order_by("path", "sort_order").values("pk", "code", "name", "short_name")
    }
    channels, types = _received(agencies, year, months, by_agency)
    reply = ReplyFigures()
    outcomes = _outcomes(agencies, year, months, by_agency, reply)
    _replies(agencies, year, by_agency, reply, calendar_for())
    overdue = _overdue_now(agencies, today, by_agency)
    subjects = _published(agencies, year, months, by_agency)
    on_time, late, days_late = _timeliness(agencies, year, months, by_agency)
    groups = defaultdict(int)
    for outcome, n in outcomes.items():
        groups[OUTCOME_GROUP.get(outcome, "other_handling")] += n
    return Statistics(
        year=year,
        today=today,
        months=list(months.values()),
        by_channel=_breakdown(channels, Channel),
        by_applicant_type=_breakdown(types, ApplicantType),
        outcomes=[Item(key, str(label), groups.get(key, 0)) for key, label in OUTCOME_GROUPS],
        outcome_details=_breakdown(outcomes, Outcome),
        reply=reply,
        overdue_now=overdue,
        by_subject=subjects,
        by_agency=[a for a in by_agency.values() if a.has_figures()],
        published_on_time=on_time,
        published_late=late,
        published_days_late=days_late,
    )


def statistics_years(agencies: QuerySet, today: date) -> list[int]:
    """This year and every year back to the first received application or published document,
    latest first: what the year filter offers. Two MIN queries on indexed dates (listing the
    distinct years would read every row)."""
    first = [
        _applications(agencies).aggregate(first=Min("received_on"))["first"],
        Document.objects.public().filter(agency__in=agencies).aggregate(first=Min("published_on"))["first"],
    ]
    start = min([d.year for d in first if d is not None], default=today.year)
    return list(range(today.year, min(start, today.year) - 1, -1))


def latest_statistics_year(agencies: QuerySet, today: date) -> int:
    """The latest year, up to this one, in which ``agencies`` received an application or
    published a document: where the pages open (issue 12 §5), so that a page opened in January
    does not show an empty year. This year when there is nothing at all."""
    last = [
        _applications(agencies).filter(received_on__lte=today).aggregate(last=Max("received_on"))["last"],
        Document.objects.public()
        .filter(agency__in=agencies, published_on__lte=today)
        .aggregate(last=Max("published_on"))["last"],
    ]
    return max([d.year for d in last if d is not None], default=today.year)


def agencies_with_below(agencies: QuerySet, agency: Agency) -> QuerySet:
    """``agency`` and the agencies below it, as far as ``agencies`` (a scope) reaches."""
    return agencies.filter(Q(pk=agency.pk) | Q(path__startswith=agency.path + "/"))
