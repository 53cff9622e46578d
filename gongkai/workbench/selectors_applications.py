"""Reads for disclosure on application in the workbench: every query is limited to the agencies
in the user's scope, so an application out of scope is answered like one that does not exist.
Personal data is masked here unless the reader is staff of the application's own agency
(security.md, "Personal information")."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404

from gongkai.agencies.access import agencies_in_scope, holds_role_at
from gongkai.agencies.models import Agency, Role
from gongkai.applications.case_file import EVENT_LABELS  # noqa: F401  (re-exported for the pages)
from gongkai.applications.models import Application, ApplicationFile, DeliveryRecord, Letter, RemedyCase
from gongkai.applications.personal_data import masked_id_number, masked_phone
from gongkai.applications.rules import OPEN_STATES, ApplicationState
from gongkai.applications.selectors import similar_applications

# "即将到期" on the dashboard and the default of the list's "due within" filter, in calendar days.
DUE_SOON_DAYS = 5

# Files that only the agency's own staff may open: identity proofs, unredacted originals and
# other material the applicant sent. What the applicant was given (redacted) is readable by all
# who read the application.
PERSONAL_FILE_KINDS = (
    ApplicationFile.Kind.IDENTITY_PROOF,
    ApplicationFile.Kind.PROVIDED_ORIGINAL,
    ApplicationFile.Kind.OTHER,
    # Paperwork in and out (issue 18 item 3): scans that carry the applicant's or others' data.
    ApplicationFile.Kind.LETTER_SCAN,
    ApplicationFile.Kind.ENVELOPE,
    ApplicationFile.Kind.ORAL_RECORD,
    ApplicationFile.Kind.OPINION,
    ApplicationFile.Kind.DELIVERY_RECEIPT,
)

masked_id = masked_id_number  # one masking for the workbench, the admin and the export


def applicant_key(application: Application) -> str:
    """Who applied, for telling applicants apart: ID number, else organisation code, else name.
    Anonymised applications are each their own unknown applicant (they share only the marker)."""
    if application.anonymised_at:
        return f"#{application.pk}"
    return application.id_number or application.org_code or application.name.strip()


# --- access -----------------------------------------------------------------------------------


def applications_in_scope(user) -> QuerySet:
    """Every application of an agency the user may read (supervisors: the agencies below)."""
    return Application.objects.filter(agency__in=agencies_in_scope(user)).select_related(
        "agency", "assigned_to"
    )


def application_for_staff(user, pk: int) -> Application:
    """One application, or 404 when it does not exist or is out of the user's scope."""
    application = (
        Application.objects.select_related(
            "agency", "agency__parent", "assigned_to", "registered_by", "merged_into"
        )
        .filter(pk=pk, agency__in=agencies_in_scope(user))
        .first()
    )
    if application is None:
        raise Http404
    return application


def is_agency_staff(user, agency: Agency) -> bool:
    """Staff of the agency itself (any role): they see the applicant's full details. Supervisors
    of a parent agency read the file with personal data masked."""
    return holds_role_at(user, agency)


def handling_agencies(user) -> QuerySet:
    """Agencies where the user registers and handles applications (clerk or office head)."""
    return agencies_in_scope(user, Role.CLERK, Role.OFFICE_HEAD).order_by("path")


def handlers_of(agency: Agency) -> QuerySet:
    """Who may be given an application of ``agency`` to handle: its active clerks and office
    heads (the same rule as services.can_handle)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, staff_roles__agency=agency, staff_roles__role__in=(Role.CLERK, Role.OFFICE_HEAD)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def handlers_in(agencies: QuerySet) -> QuerySet:
    """The active clerks and office heads of any of ``agencies`` (bulk assignment)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_roles__agency__in=agencies,
            staff_roles__role__in=(Role.CLERK, Role.OFFICE_HEAD),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# What a tracking number or the start of one looks like: the date it was given (20YYMMDD) and
# more digits, or an imported case's "H" number (applications/importing.py). Phone numbers
# start with 0 or 1, so they are still searched as text.
_NUMBER = re.compile(r"20\d{6,12}|H[0-9A-Z]{8,31}")


def search_applications(qs: QuerySet, user, q: str) -> QuerySet:
    """Search by number, request text, legacy reference and applicant name, and by contact and
    phone only at the agencies where the user is staff and reads them unmasked (a supervisor of
    a parent agency sees the phone masked, so may not find a case by it either).

    Input that looks like a tracking number is looked up as one, a prefix of the tracking
    number or the legacy reference itself, by their indexes: the text search is a ``LIKE
    '%…%'`` scan of the agency's whole history (127 ms p95 at 12,385 applications)."""
    q = q.strip()
    if _NUMBER.fullmatch(q.upper()):
        # As a subquery of keys: joined to the scope, SQLite (no statistics) would walk the
        # agency's rows instead of the two indexes.
        found = Application.objects.filter(_tracking_no_prefix(q.upper()) | Q(legacy_ref=q)).values("pk")
        return qs.filter(pk__in=found)
    own = agencies_in_scope(user).filter(staff_roles__user=user)
    personal = Q(contact_name__icontains=q) | Q(phone__icontains=q)
    return qs.filter(
        Q(tracking_no__icontains=q)
        | Q(legacy_ref=q)
        | Q(name__icontains=q)
        | Q(description__icontains=q)
        | (personal & Q(agency__in=own))
    )


def _tracking_no_prefix(prefix: str) -> Q:
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so no index serves it; a range of the binary-ordered
        # unique index does (every string that starts with the prefix sorts in it).
        return Q(tracking_no__gte=prefix, tracking_no__lt=prefix + "\U0010ffff")
    return Q(tracking_no__startswith=prefix)  # PostgreSQL: the unique field's pattern-ops index


def case_of(application: Application, pk: int) -> RemedyCase:
    case = RemedyCase.objects.filter(pk=pk, application=application).first()
    if case is None:
        raise Http404
    return case


def letter_of(application: Application, pk: int) -> Letter:
    letter = Letter.objects.filter(pk=pk, application=application).first()
    if letter is None:
        raise Http404
    return letter


def file_of(application: Application, pk: int) -> ApplicationFile:
    row = ApplicationFile.objects.filter(pk=pk, application=application).first()
    if row is None:
        raise Http404
    return row


def application_by_tracking_no(application: Application, tracking_no: str) -> Application | None:
    """Another application of the same agency, by its tracking number (for merging)."""
    return (
        Application.objects.filter(agency_id=application.agency_id, tracking_no=tracking_no.strip())
        .exclude(pk=application.pk)
        .first()
    )


# --- lists ------------------------------------------------------------------------------------


def open_with_due_date() -> Q:
    return Q(state__in=OPEN_STATES, reply_due_on__isnull=False)


def filter_overdue(qs: QuerySet, today: date) -> QuerySet:
    """Open applications past their reply date (derived on read from the stored due date; a
    paused clock has no due date and is never overdue)."""
    return qs.filter(open_with_due_date(), reply_due_on__lt=today)


def filter_receipt_missing(qs: QuerySet) -> QuerySet:
    """ "回执未登记": open applications with a correction or fee notice out whose receipt by the
    applicant is not recorded, so the applicant's period has not started and cannot lapse."""
    return qs.filter(
        notice_receipt_missing=True,
        state__in=[ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION],
    )


def filter_due_within(qs: QuerySet, today: date, days: int) -> QuerySet:
    """Open applications due from today to ``days`` calendar days ahead (not yet overdue)."""
    return qs.filter(
        open_with_due_date(), reply_due_on__gte=today, reply_due_on__lte=today + timedelta(days=days)
    )


def by_due_date(qs: QuerySet) -> "KeysFirst":
    """Earliest reply date first; applications without one (unconfirmed, paused, closed) last,
    as a sequence for the Paginator (see KeysFirst)."""
    return KeysFirst(qs.order_by(F("reply_due_on").asc(nulls_last=True), "-submitted_at", "-pk"))


class KeysFirst:
    """An ordered queryset as the Paginator reads it, a page at a time: the page's ids come from
    the narrow ordering alone (three columns of every application in scope), then only those 20
    rows are read with their joins. Sorting whole rows (the request text, the applicant, the
    joined agency and handler) of an agency's entire history is what made the list linear in it:
    p95 70 ms at 12,385 applications (bench/README.md, "list page as shipped")."""

    def __init__(self, qs: QuerySet):
        self.qs = qs
        self.ordered = True  # for the Paginator: the order is given

    def count(self) -> int:
        return self.qs.order_by().count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.qs.values_list("pk", flat=True)[index])
        rows = self.qs.order_by().filter(pk__in=ids) if ids else []
        by_pk = {row.pk: row for row in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def __iter__(self):
        return iter(self.qs)


def decorate(applications, today: date) -> list[Application]:
    """Masked identity and phone and the derived lateness, for list rows (no queries)."""
    rows = list(applications)
    for a in rows:
        a.masked_id = masked_id(a)
        a.masked_phone = masked_phone(a.phone)
        a.is_overdue = a.state in OPEN_STATES and a.reply_due_on is not None and a.reply_due_on < today
    return rows


@dataclass
class ApplicationCounts:
    pending: int  # online applications waiting for the office to confirm receipt
    due_soon: int
    overdue: int
    due_soon_days: int


def application_counts(user, today: date) -> ApplicationCounts:
    """The dashboard card, in one query."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    open_due = open_with_due_date()
    counts = Application.objects.filter(agency__in=agencies_in_scope(user)).aggregate(
        pending=Count("pk", filter=Q(state=ApplicationState.SUBMITTED)),
        due_soon=Count("pk", filter=open_due & Q(reply_due_on__gte=today, reply_due_on__lte=soon)),
        overdue=Count("pk", filter=open_due & Q(reply_due_on__lt=today)),
    )
    return ApplicationCounts(due_soon_days=DUE_SOON_DAYS, **counts)


# --- the whole file ---------------------------------------------------------------------------


@dataclass
class ApplicationFileView:
    """Everything recorded about one application, read in a fixed number of queries."""

    events: list
    consultations: list
    fees: list
    letters: list
    deliveries: list
    files: list
    cases: list
    merged: list
    related: list


def application_file(application: Application) -> ApplicationFileView:
    deliveries = DeliveryRecord.objects.select_related("actor", "letter").order_by("on", "pk")
    letters = list(
        application.letters.select_related("created_by").prefetch_related(
            Prefetch("deliveries", queryset=deliveries)
        )
    )
    return ApplicationFileView(
        events=list(application.clock_events.select_related("actor")),
        consultations=list(application.consultations.order_by("started_on", "pk")),
        fees=list(application.fees.select_related("waiver_approved_by").order_by("sent_on", "pk")),
        letters=letters,
        deliveries=list(application.deliveries.select_related("actor", "letter").order_by("on", "pk")),
        files=list(application.files.order_by("created_at", "pk")),
        cases=list(application.cases.order_by("filed_on", "pk")),
        merged=list(application.merged.order_by("submitted_at")),
        related=list(application.related.order_by("submitted_at")),
    )


@dataclass
class Similar:
    applications: list[Application]  # masked for display
    other_applicants: int  # distinct applicants other than this one among them
    suggest_proactive: bool  # Art. 44: several applicants ask for the same information


def similar_for(application: Application, today: date) -> Similar:
    """Earlier applications of the same applicant and others asking for the same thing; when at
    least two others come from different applicants, the information is a candidate for
    proactive disclosure (Art. 44)."""
    found = similar_applications(application, limit=20)
    mine = applicant_key(application)
    others = {applicant_key(a) for a in found if applicant_key(a) != mine}
    for a in found:
        a.same_applicant = applicant_key(a) == mine
    return Similar(
        applications=decorate(found, today), other_applicants=len(others), suggest_proactive=len(others) >= 2
    )
