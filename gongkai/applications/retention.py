"""Anonymising applications whose retention period has passed (security.md, "Personal
information"; the period and its reasons: core/retention.py).

What goes: the applicant's name, identity document, organisation code, contact person, phone,
e-mail, address, postcode, purpose, the network address and form key of the submission, and the
query code
(the progress page then answers "not found"); the files of the case (identity proofs, papers
sent, information provided, unredacted originals), from storage once the change commits; the
text of the letters (each keeps its kind, number, title, outcome and date); delivery proofs;
the names and reasons of consulted third parties. Free text that is kept for its substance (the
description of the information asked for, notes on clock events and remedy cases, another
agency's reasons) has the applicant's known values and any ID, phone or card number or e-mail
address replaced by a marker; a fee waiver's reason (the applicant's circumstances) goes.

What stays: everything the annual report, the statistics and the assessment count: agency,
tracking number, channel, applicant type, the description, form and delivery chosen, dates,
state, outcome, fees, the clock events, remedy cases, links to other applications.

Never anonymised, whatever their age: open applications, and those with a reconsideration or
lawsuit still pending or decided inside the period (the period then runs from that decision).
A merged duplicate follows the application it was merged into.
"""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from gongkai.core.audit import audit_record
from gongkai.core.retention import (
    ANONYMISED,
    UNUSABLE_CODE_HASH,
    RetentionResult,
    delete_files_on_commit,
    scrub_personal,
)

from .clock import EventKind
from .models import Application, ApplicationFile, ClockEventRecord, Consultation, RemedyCase
from .rules import ApplicationState
from .services import ApplicationError, NotPermitted

FILE_DIR = "applications"
ORPHAN_GRACE = timedelta(days=1)  # files younger than this may belong to a running transaction
PERSONAL_FIELDS = ("name", "id_number", "org_code", "contact_name", "phone", "email", "address")


def _live_cases(application_ref, cutoff: date) -> QuerySet:
    """Remedy cases that keep an application's data: pending, or decided on or after cutoff."""
    return RemedyCase.objects.filter(application=application_ref).filter(
        Q(decided_on__isnull=True) | Q(decided_on__gte=cutoff)
    )


def applications_past_retention(*, cutoff: date) -> QuerySet:
    """Applications not yet anonymised that were closed before ``cutoff`` (merged duplicates:
    whose target was), with no remedy case that keeps them. Oldest first."""
    closed = Q(state=ApplicationState.CLOSED, closed_on__lt=cutoff)
    merged = Q(
        state=ApplicationState.MERGED,
        merged_into__state=ApplicationState.CLOSED,
        merged_into__closed_on__lt=cutoff,
    ) & ~Exists(_live_cases(OuterRef("merged_into"), cutoff))
    return (
        Application.objects.filter(anonymised_at__isnull=True)
        .filter(closed | merged)
        .exclude(Exists(_live_cases(OuterRef("pk"), cutoff)))
        .order_by("closed_on", "pk")
    )


def _require_system(actor) -> None:
    # Run by the operator's command (no actor) or an administrator: it is not a case action.
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted("only the purge-personal-data command or an administrator may anonymise")


def _known_values(application: Application) -> list[str]:
    values = [getattr(application, name) for name in PERSONAL_FIELDS]
    values += application.consultations.filter(party=Consultation.Party.THIRD_PARTY).values_list(
        "party_name", flat=True
    )
    return [v for v in values if v and v != ANONYMISED]


def _scrub_related(application: Application, known: list[str]) -> None:
    consultations = list(application.consultations.all())
    for c in consultations:
        if c.party == Consultation.Party.THIRD_PARTY:
            c.party_name, c.reasons = ANONYMISED, ""
        else:
            c.reasons = scrub_personal(c.reasons, known)
    Consultation.objects.bulk_update(consultations, ["party_name", "reasons"])
    events = list(application.clock_events.exclude(note=""))
    for e in events:
        e.note = "" if e.kind == EventKind.FEE_WAIVED else scrub_personal(e.note, known)
    ClockEventRecord.objects.bulk_update(events, ["note"])
    cases = list(application.cases.exclude(note=""))
    for case in cases:
        case.note = scrub_personal(case.note, known)
    RemedyCase.objects.bulk_update(cases, ["note"])
    application.letters.update(paragraphs=[ANONYMISED])
    application.deliveries.update(proof="")
    application.dispatches.update(signer="", email_to="")  # who signed, where it was e-mailed


def _remove_files(application: Application) -> int:
    files = list(application.files.all())
    storage = ApplicationFile._meta.get_field("file").storage
    names = [f.file.name for f in files]
    application.files.all().delete()
    delete_files_on_commit(storage, names)
    return len(files)


@transaction.atomic
def application_anonymise(*, application: Application, cutoff: date, actor=None) -> int:
    """Remove the personal data of one application past its retention period; returns the
    number of files deleted. Refused for one that must be kept; a second call does nothing."""
    _require_system(actor)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.anonymised_at is not None:
        return 0
    if not applications_past_retention(cutoff=cutoff).filter(pk=application.pk).exists():
        raise ApplicationError(
            "the application is open, inside its retention period or has a live remedy case"
        )
    known = _known_values(application)
    _scrub_related(application, known)
    files = _remove_files(application)
    application.name = ANONYMISED
    for name in (*PERSONAL_FIELDS[1:], "id_type", "postcode", "purpose"):
        setattr(application, name, "")
    application.description = scrub_personal(application.description, known)
    application.doc_no = scrub_personal(application.doc_no, known)
    application.client_ip = application.idempotency_key = None
    application.query_code_hash = UNUSABLE_CODE_HASH
    application.anonymised_at = timezone.now()
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db()
    # What was removed is counted, never shown: the audit trail holds no personal data.
    audit_record(
        actor=actor,
        action="application_anonymise",
        obj=application,
        after={
            "anonymised_at": application.anonymised_at.isoformat(),
            "retention_cutoff": cutoff.isoformat(),
            "files_deleted": files,
        },
    )
    return files


def applications_anonymise(*, cutoff: date, actor=None, dry_run: bool = False) -> RetentionResult:
    """Anonymise every application past ``cutoff``, one transaction each (a failure keeps the
    ones done); with ``dry_run``, only list them and count their files."""
    _require_system(actor)
    result = RetentionResult()
    candidates = applications_past_retention(cutoff=cutoff)
    if dry_run:
        result.records = list(candidates.values_list("tracking_no", flat=True))
        result.files = ApplicationFile.objects.filter(application__in=candidates).count()
        return result
    for pk, tracking_no in list(candidates.values_list("pk", "tracking_no")):
        result.files += application_anonymise(application=Application(pk=pk), cutoff=cutoff, actor=actor)
        result.records.append(tracking_no)
    return result


def application_files_orphaned(*, older_than: timedelta = ORPHAN_GRACE, now=None) -> list[str]:
    """Stored files under ``applications/`` that no row names, older than ``older_than``: left
    by a crash between a commit and its file deletion, or by an upload that failed."""
    storage = ApplicationFile._meta.get_field("file").storage
    try:
        _, files = storage.listdir(FILE_DIR)
    except FileNotFoundError:
        return []
    cutoff = (now or timezone.now()) - older_than
    paths = [f"{FILE_DIR}/{name}" for name in files]
    known: set[str] = set()
    for i in range(0, len(paths), 500):
        chunk = paths[i : i + 500]
        known.update(ApplicationFile.objects.filter(file__in=chunk).values_list("file", flat=True))
    return [p for p in paths if p not in known and storage.get_modified_time(p) <= cutoff]


def application_files_sweep(*, older_than: timedelta = ORPHAN_GRACE, dry_run: bool = False) -> list[str]:
    """Delete the orphaned files (see ``application_files_orphaned``); returns their names."""
    orphans = application_files_orphaned(older_than=older_than)
    if not dry_run:
        storage = ApplicationFile._meta.get_field("file").storage
        for name in orphans:
            storage.delete(name)
    return orphans
