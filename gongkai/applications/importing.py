"""Importing historical applications from JSON lines (`gongkai import-applications`,
interfaces.md, "Historical application record").

Records from an agency's former system carry no personal data: the application is stored under
a placeholder name with the facts the annual report needs (receipt and closing dates, channel,
applicant type, outcome, fee) and the reconsideration and litigation cases about it. Every line
is checked before anything is written; one bad line means nothing is imported. An application
is identified by its ``ref`` in the agency: importing the same ref again updates it.
"""

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError
from django.utils import timezone

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import calendar_for
from gongkai.core.jsonl import FieldReader, ImportFailed, LineError, all_or_nothing, read_jsonl

from . import clock as clock_engine
from .models import Application, ClockEventRecord, RemedyCase
from .rules import ApplicantType, ApplicationState, Channel, Delivery, InfoForm, Outcome

APPLICATION_FIELDS = (
    "record",
    "ref",
    "received_on",
    "channel",
    "applicant_type",
    "closed_on",
    "outcome",
    "fee_yuan",
)
CASE_FIELDS = ("record", "kind", "filed_on", "decided_on", "result", "application_ref")
HISTORICAL_NAME = "（历史数据）"
HISTORICAL_DESCRIPTION = "（历史数据导入）"
# Unknown in the former systems; the commonest form, so that nothing downstream meets a blank.
HISTORICAL_FORM = InfoForm.PAPER
HISTORICAL_DELIVERY = Delivery.POST
RECEIPT_NOTE = "历史数据导入：原系统中的补正、征求意见、延期等事项未导入，答复期限按收到申请之日推算。"
TRACKING_PREFIX = "H"  # never a digit: online and registered tracking numbers are all digits
SUFFIX_LENGTH = 13  # "H" + an 18-character USCC + 13 = 32, the column's width; 65 bits of hash
MAX_REF_LENGTH = 64
MAX_FEE = Decimal("99999999.99")  # fee_yuan: 10 digits, 2 after the point
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What the file says about an application: written on import, compared on re-import.
_FACTS = ("received_on", "channel", "applicant_type", "closed_on", "outcome", "fee_yuan", "state")


@dataclass(frozen=True)
class ApplicationRecord:
    line: int
    ref: str
    received_on: date
    channel: str
    applicant_type: str
    closed_on: date | None
    outcome: str
    fee_yuan: Decimal

    @property
    def state(self) -> str:
        # Open in the former system = carried over: handled from now on in Gongkai.
        return ApplicationState.CLOSED if self.closed_on else ApplicationState.RECEIVED


@dataclass(frozen=True)
class CaseRecord:
    line: int
    kind: str
    filed_on: date
    decided_on: date | None
    result: str
    application_ref: str


@dataclass
class ApplicationImportResult:
    imported: int = 0
    updated: int = 0  # matched applications already imported, changed or not
    cases: int = 0  # case lines written, new or updated


def tracking_no_for(agency: Agency, ref: str) -> str:
    """The tracking number of an imported application: the same for the same agency and ref,
    so that a re-import finds it, and never one that Gongkai issues itself."""
    digest = base64.b32encode(hashlib.sha256(ref.encode()).digest()).decode()
    return f"{TRACKING_PREFIX}{agency.code}{digest[:SUFFIX_LENGTH]}"


# --- reading lines --------------------------------------------------------------------------


def _date(reader: FieldReader, key: str, *, today: date, required: bool = False) -> date | None:
    raw = reader.text(key, required=required)
    if not raw:
        return None
    try:
        if not _ISO_DATE.fullmatch(raw):
            raise ValueError
        value = date.fromisoformat(raw)
    except ValueError:
        reader.error(f"field {key!r}: {raw!r} is not a date (use YYYY-MM-DD)")
        return None
    if value > today:
        reader.error(f"field {key!r}: {raw} is in the future")
        return None
    return value


def _code(reader: FieldReader, key: str, choices: Iterable[str], *, required: bool = False) -> str:
    raw = reader.text(key, required=required)
    choices = list(choices)
    if raw and raw not in choices:
        reader.error(f"field {key!r}: unknown code {raw!r} (expected one of: {', '.join(choices)})")
        return ""
    return raw


def _ref(reader: FieldReader, key: str) -> str:
    """A legacy id: a string, or a whole number as old systems often write them."""
    raw = reader.obj.get(key)
    if isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    return reader.text(key, required=True, max_length=MAX_REF_LENGTH)


def _fee(reader: FieldReader) -> Decimal:
    raw = reader.obj.get("fee_yuan")
    if raw is None or raw == "":
        return Decimal("0.00")
    problem = f"field 'fee_yuan': {raw!r} is not an amount in yuan (a number such as 0 or 12.50)"
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        reader.error(problem)
        return Decimal("0.00")
    try:
        fee = Decimal(str(raw).strip())
    except InvalidOperation:
        fee = None
    if fee is None or not fee.is_finite():
        reader.error(problem)
    elif fee < 0:
        reader.error(f"field 'fee_yuan': {raw!r} is negative")
    elif fee > MAX_FEE or fee != fee.quantize(Decimal("0.01")):
        reader.error(f"field 'fee_yuan': {raw!r} must be at most {MAX_FEE} with at most two decimals")
    else:
        return fee.quantize(Decimal("0.01"))
    return Decimal("0.00")


def parse_application_line(obj: dict, line: int, *, today: date) -> ApplicationRecord | list[LineError]:
    reader = FieldReader(obj, line, allowed=APPLICATION_FIELDS)
    ref = _ref(reader, "ref")
    received_on = _date(reader, "received_on", today=today, required=True)
    channel = _code(reader, "channel", Channel.values, required=True)
    applicant_type = _code(reader, "applicant_type", ApplicantType.values, required=True)
    closed_on = _date(reader, "closed_on", today=today)
    outcome = _code(reader, "outcome", Outcome.values)
    fee_yuan = _fee(reader)
    if received_on and closed_on and closed_on < received_on:
        reader.error(f"closed_on {closed_on} is before received_on {received_on}")
    if outcome and not _given(obj, "closed_on"):
        reader.error("an outcome needs closed_on (the application was closed with it on that day)")
    if closed_on and not _given(obj, "outcome"):
        reader.error("closed_on needs an outcome (a closed application has exactly one)")
    if reader.errors:
        return reader.errors
    return ApplicationRecord(line, ref, received_on, channel, applicant_type, closed_on, outcome, fee_yuan)


def _given(obj: dict, key: str) -> bool:
    """The line sets ``key`` (rightly or not: a wrong value is reported once, by its field)."""
    return obj.get(key) not in (None, "")


def parse_case_line(obj: dict, line: int, *, today: date) -> CaseRecord | list[LineError]:
    reader = FieldReader(obj, line, allowed=CASE_FIELDS)
    kind = _code(reader, "kind", RemedyCase.Kind.values, required=True)
    filed_on = _date(reader, "filed_on", today=today, required=True)
    decided_on = _date(reader, "decided_on", today=today)
    result = _code(reader, "result", RemedyCase.Result.values)
    application_ref = _ref(reader, "application_ref")
    if filed_on and decided_on and decided_on < filed_on:
        reader.error(f"decided_on {decided_on} is before filed_on {filed_on}")
    if result and not _given(obj, "decided_on"):
        reader.error("a result needs decided_on (a pending case has neither)")
    if decided_on and not _given(obj, "result"):
        reader.error("decided_on needs a result (upheld, corrected or other)")
    if reader.errors:
        return reader.errors
    return CaseRecord(line, kind, filed_on, decided_on, result, application_ref)


def parse_application_file(
    lines: Iterable[bytes | str], *, today: date
) -> tuple[list[ApplicationRecord], list[CaseRecord], list[LineError]]:
    """Every application and case of a file, or every error in it that needs no database."""
    applications: dict[str, ApplicationRecord] = {}
    cases: dict[tuple, CaseRecord] = {}
    errors: list[LineError] = []
    for line, obj in read_jsonl(lines):
        if isinstance(obj, LineError):
            errors.append(obj)
            continue
        record_type = obj.get("record", "application")
        if record_type == "case":
            parsed = parse_case_line(obj, line, today=today)
        elif record_type == "application":
            parsed = parse_application_line(obj, line, today=today)
        else:
            errors.append(
                LineError(line, f'unknown record {record_type!r} (expected "application" or "case")')
            )
            continue
        if isinstance(parsed, list):
            errors.extend(parsed)
        elif isinstance(parsed, ApplicationRecord):
            if parsed.ref in applications:
                errors.append(
                    LineError(line, f"ref {parsed.ref!r} is already on line {applications[parsed.ref].line}")
                )
            else:
                applications[parsed.ref] = parsed
        else:
            key = (parsed.application_ref, parsed.kind, parsed.filed_on)
            if key in cases:
                errors.append(
                    LineError(
                        line, f"the same case as line {cases[key].line} (same application, kind and filed_on)"
                    )
                )
            else:
                cases[key] = parsed
    return list(applications.values()), list(cases.values()), errors


# --- checking against what is stored --------------------------------------------------------


class _Existing:
    """The agency's imported applications by ref, and the cases recorded about them (found by
    a join, not a list of ids: an agency's history can pass SQLite's limit on parameters)."""

    def __init__(self, agency: Agency):
        self.prefix = f"{TRACKING_PREFIX}{agency.code}"
        rows = Application.objects.filter(agency=agency, tracking_no__startswith=self.prefix).only(
            "pk", "tracking_no", "legacy_ref", "version", "reply_due_on", "due_provisional", *_FACTS
        )
        self.by_tracking_no = {a.tracking_no: a for a in rows}
        self.by_ref = {a.legacy_ref: a for a in self.by_tracking_no.values()}
        cases = RemedyCase.objects.filter(agency=agency, application__tracking_no__startswith=self.prefix)
        self.cases = {(c.application_id, c.kind, c.filed_on): c for c in cases}
        events = ClockEventRecord.objects.filter(
            application__agency=agency,
            application__tracking_no__startswith=self.prefix,
            kind=clock_engine.EventKind.RECEIVED,
        )
        self.receipts = {e.application_id: e for e in events}


def _check_stored(
    agency: Agency, applications: list[ApplicationRecord], cases: list[CaseRecord], existing: _Existing
) -> list[LineError]:
    errors = []
    for record in applications:
        found = existing.by_tracking_no.get(tracking_no_for(agency, record.ref))
        if found is not None and found.legacy_ref != record.ref:  # a 65-bit hash collision
            errors.append(
                LineError(record.line, f"ref {record.ref!r} cannot be given a tracking number; rename it")
            )
        elif found is not None and found.version and _changes(found, record):
            # Staff have handled it in Gongkai since the import: the file no longer has the last word.
            errors.append(
                LineError(
                    record.line,
                    f"application {record.ref!r} ({found.tracking_no}) has been handled in Gongkai since it "
                    "was imported; remove this line to keep what was recorded there",
                )
            )
    received = {a.legacy_ref: a.received_on for a in existing.by_ref.values()}
    received.update({r.ref: r.received_on for r in applications})
    for case in cases:
        if case.application_ref not in received:
            errors.append(
                LineError(
                    case.line,
                    f"application_ref {case.application_ref!r} is neither in this file nor imported earlier "
                    f"for {agency.code}",
                )
            )
        elif received[case.application_ref] and case.filed_on < received[case.application_ref]:
            errors.append(
                LineError(
                    case.line,
                    f"filed_on {case.filed_on} is before application {case.application_ref!r} was received "
                    f"({received[case.application_ref]})",
                )
            )
    return errors


# --- writing --------------------------------------------------------------------------------


class _DueDates:
    """Reply deadlines of carried-over applications from their receipt alone (one clock event)."""

    def __init__(self, today: date):
        self.today, self.calendar, self.cache = today, calendar_for(), {}

    def __call__(self, received_on: date) -> tuple[date | None, bool]:
        if received_on not in self.cache:
            event = clock_engine.ClockEvent(kind=clock_engine.EventKind.RECEIVED, on=received_on)
            state = clock_engine.compute_clock([event], self.calendar, today=self.today)
            self.cache[received_on] = (state.reply_due_on, state.provisional)
        return self.cache[received_on]


def _facts(record: ApplicationRecord) -> dict:
    """The columns the file decides."""
    return {key: getattr(record, key) for key in _FACTS}


def _changes(app: Application, record: ApplicationRecord) -> dict:
    return {key: value for key, value in _facts(record).items() if getattr(app, key) != value}


def _submitted_at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _receipt_event(app: Application, actor) -> ClockEventRecord:
    return ClockEventRecord(
        application=app,
        kind=clock_engine.EventKind.RECEIVED,
        on=app.received_on,
        basis=clock_engine.BASIS[clock_engine.EventKind.RECEIVED],
        note=RECEIPT_NOTE,
        actor=actor,
    )


class _Writer:
    """Bulk writes (an agency's history is tens of thousands of lines). Only a carried-over
    application gets a clock, started by its receipt: the former system's corrections and
    extensions are unknown, so a closed one keeps no due date that could call it late."""

    def __init__(self, agency: Agency, existing: _Existing, actor, today: date, progress):
        self.agency, self.existing, self.actor = agency, existing, actor
        self.due = _DueDates(today)
        self.progress = progress or (lambda n=1: None)
        self.result = ApplicationImportResult()

    def _clock(self, app: Application, has_receipt: bool) -> None:
        due_on, provisional = self.due(app.received_on) if has_receipt else (None, False)
        app.reply_due_on, app.due_provisional = due_on, provisional

    def applications(self, records: list[ApplicationRecord]) -> None:
        new, matched = [], []
        for record in records:
            found = self.existing.by_tracking_no.get(tracking_no_for(self.agency, record.ref))
            if found is None:
                new.append(record)
            else:
                matched.append((record, found))
        self._create(new)
        self._update(matched)

    def _create(self, records: list[ApplicationRecord]) -> None:
        apps = []
        for record in records:
            app = Application(
                agency=self.agency,
                tracking_no=tracking_no_for(self.agency, record.ref),
                # No query code was ever issued for a historical record: an unusable hash (and
                # no million-round hashing per line) that no code can match.
                query_code_hash=make_password(None),
                legacy_ref=record.ref,
                name=HISTORICAL_NAME,
                description=HISTORICAL_DESCRIPTION,
                form=HISTORICAL_FORM,
                delivery=HISTORICAL_DELIVERY,
                registered_by=self.actor,
                **_facts(record),
            )
            self._clock(app, record.state != ApplicationState.CLOSED)
            apps.append(app)
        Application.objects.bulk_create(apps, batch_size=500)
        # submitted_at is auto_now_add, so it is set after the insert: the receipt day, not today.
        for app in apps:
            app.submitted_at = _submitted_at(app.received_on)
        Application.objects.bulk_update(apps, ["submitted_at"], batch_size=500)
        receipts = [_receipt_event(a, self.actor) for a in apps if a.state != ApplicationState.CLOSED]
        ClockEventRecord.objects.bulk_create(receipts, batch_size=500)
        self.existing.by_ref.update((a.legacy_ref, a) for a in apps)
        self.result.imported += len(apps)
        self.progress(len(apps))

    def _update(self, matched: list[tuple[ApplicationRecord, Application]]) -> None:
        changed, new_receipts, moved_receipts = [], [], []
        for record, app in matched:
            if app.version:  # handled in Gongkai since; _check_stored made sure the file agrees
                continue
            before = (*(getattr(app, k) for k in _FACTS), app.reply_due_on, app.due_provisional)
            for key, value in _facts(record).items():
                setattr(app, key, value)
            receipt = self.existing.receipts.get(app.pk)
            if receipt is None and record.state != ApplicationState.CLOSED:
                receipt = _receipt_event(app, self.actor)
                new_receipts.append(receipt)
            elif receipt is not None and receipt.on != app.received_on:
                receipt.on = app.received_on
                moved_receipts.append(receipt)
            self._clock(app, receipt is not None)
            if (*(getattr(app, k) for k in _FACTS), app.reply_due_on, app.due_provisional) != before:
                app.updated_at = timezone.now()  # bulk_update skips auto_now
                changed.append(app)
        Application.objects.bulk_update(
            changed, [*_FACTS, "reply_due_on", "due_provisional", "updated_at"], batch_size=500
        )
        ClockEventRecord.objects.bulk_create(new_receipts, batch_size=500)
        ClockEventRecord.objects.bulk_update(moved_receipts, ["on"], batch_size=500)
        self.result.updated += len(matched)
        self.progress(len(matched))

    def cases(self, records: list[CaseRecord]) -> None:
        new, changed = [], []
        for record in records:
            app = self.existing.by_ref[record.application_ref]
            case = self.existing.cases.get((app.pk, record.kind, record.filed_on))
            if case is None:
                new.append(
                    RemedyCase(
                        agency=self.agency,
                        application=app,
                        kind=record.kind,
                        filed_on=record.filed_on,
                        decided_on=record.decided_on,
                        result=record.result,
                        note=HISTORICAL_DESCRIPTION,
                    )
                )
            elif (case.decided_on, case.result) != (record.decided_on, record.result):
                case.decided_on, case.result = record.decided_on, record.result
                changed.append(case)
        RemedyCase.objects.bulk_create(new, batch_size=500)
        RemedyCase.objects.bulk_update(changed, ["decided_on", "result"], batch_size=500)
        self.result.cases += len(records)
        self.progress(len(records))


def import_applications(
    lines: Iterable[bytes | str],
    *,
    agency: Agency,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int], object] | None = None,
) -> ApplicationImportResult:
    """Import historical applications and their cases for ``agency``, all or nothing. Raises
    ImportFailed with every error found, by line. With ``dry_run`` the writes are made and
    rolled back, so the counts and errors are those a real run would give. ``actor`` None is
    the operator at the command line; anyone else needs the agency's administrator role."""
    if (
        actor is not None
        and not getattr(actor, "is_superuser", False)
        and not has_role(actor, agency, Role.ADMINISTRATOR)
    ):
        raise ImportFailed([LineError(0, "you may not import applications for this agency")])
    today = timezone.localdate()
    applications, cases, errors = parse_application_file(lines, today=today)
    try:
        with all_or_nothing(dry_run=dry_run):
            existing = _Existing(agency)
            errors += _check_stored(agency, applications, cases, existing)
            if errors:
                raise ImportFailed(sorted(errors, key=lambda e: e.line))
            writer = _Writer(agency, existing, actor, today, progress)
            writer.applications(applications)
            writer.cases(cases)
            result = writer.result
            audit_record(
                actor=actor,
                action="applications_import",
                obj=agency,
                after={f.name: getattr(result, f.name) for f in fields(result)},
            )
    except IntegrityError as exc:  # e.g. the same file imported at the same moment by someone else
        raise ImportFailed([LineError(0, f"the database refused the import ({exc}); try again")]) from exc
    return result
