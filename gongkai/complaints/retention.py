"""Anonymising complaints and suggestions whose retention period has passed (security.md,
"Personal information"; the period and its reasons: core/retention.py, counted from the answer).

What goes: the complainant's name and contact (a marker takes their place: a complaint must
name its author), the network address and form key of the submission and the query code. The
content, the answer and the investigation note are kept for their substance, with the known
name and contact and any ID, phone or card number or e-mail address replaced by a marker. The
published summary and answer were checked for personal data when published and stay as they
are. Everything the assessment counts stays: kind, agencies, dates, state, whether upheld.
Complaints not yet answered are never anonymised.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from gongkai.core.audit import audit_record
from gongkai.core.retention import ANONYMISED, UNUSABLE_CODE_HASH, RetentionResult, scrub_personal

from .models import Complaint
from .rules import State
from .services import ComplaintError, NotPermitted


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` in Asia/Shanghai (the project's time zone)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def complaints_past_retention(*, cutoff: date) -> QuerySet:
    """Complaints not yet anonymised that were answered before ``cutoff``, oldest first."""
    return Complaint.objects.filter(
        anonymised_at__isnull=True, state=State.ANSWERED, answered_at__lt=_start_of(cutoff)
    ).order_by("answered_at", "pk")


def _require_system(actor) -> None:
    # Run by the operator's command (no actor) or an administrator: it is not a case action.
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted("only the purge-personal-data command or an administrator may anonymise")


@transaction.atomic
def complaint_anonymise(*, complaint: Complaint, cutoff: date, actor=None) -> bool:
    """Remove the personal data of one complaint past its retention period; False when it was
    already anonymised. Refused for one not answered before ``cutoff``."""
    _require_system(actor)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.anonymised_at is not None:
        return False
    if not complaints_past_retention(cutoff=cutoff).filter(pk=complaint.pk).exists():
        raise ComplaintError("the complaint is not answered or is inside its retention period")
    known = [complaint.name, complaint.contact]
    complaint.content = scrub_personal(complaint.content, known)
    complaint.answer = scrub_personal(complaint.answer, known)
    complaint.investigation_note = scrub_personal(complaint.investigation_note, known)
    complaint.name = ANONYMISED if complaint.name else ""
    complaint.contact = ANONYMISED if complaint.contact else ""
    complaint.client_ip = complaint.idempotency_key = None
    complaint.query_code_hash = UNUSABLE_CODE_HASH
    complaint.anonymised_at = timezone.now()
    complaint.version = F("version") + 1
    complaint.save()
    complaint.refresh_from_db()
    audit_record(
        actor=actor,
        action="complaint_anonymise",
        obj=complaint,
        after={"anonymised_at": complaint.anonymised_at.isoformat(), "retention_cutoff": cutoff.isoformat()},
    )
    return True


def complaints_anonymise(*, cutoff: date, actor=None, dry_run: bool = False) -> RetentionResult:
    """Anonymise every complaint past ``cutoff``, one transaction each; with ``dry_run``, only
    list them."""
    _require_system(actor)
    candidates = list(complaints_past_retention(cutoff=cutoff).values_list("pk", "tracking_no"))
    result = RetentionResult()
    for pk, tracking_no in candidates:
        if dry_run or complaint_anonymise(complaint=Complaint(pk=pk), cutoff=cutoff, actor=actor):
            result.records.append(tracking_no)
    return result
