"""Anonymising old public evaluations (security.md, "Personal information"; the period and its
reasons: core/retention.py, counted from the rating).

An evaluation holds a keyed hash of the rater's network address (for spotting repeated votes,
useless once the period has passed) and, for a reply, the applicant's free comment, which may
name them or give a phone number. After the period the hash is blanked and the comment scrubbed
like other kept free text; the rating, kind, agency, page and date, which the assessment and the
annual report count, stay. A run is audited as one summary event: page ratings are anonymous and
numerous and are not audited one by one either.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.core.audit import audit_record
from gongkai.core.retention import RetentionResult, scrub_personal

from .models import Evaluation
from .services import NotPermitted

APPLICANT_FIELDS = ("name", "id_number", "phone", "email", "address")


def _known(evaluation: Evaluation) -> list[str]:
    application = evaluation.application
    return [getattr(application, f) for f in APPLICANT_FIELDS] if application else []


@transaction.atomic
def evaluations_anonymise(*, cutoff: date, actor=None, dry_run: bool = False) -> RetentionResult:
    """Blank the address hash and scrub the comment of evaluations made before ``cutoff``;
    only those that change are counted (a second run counts none)."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted("only the purge-personal-data command or an administrator may anonymise")
    before = timezone.make_aware(datetime.combine(cutoff, time.min))
    old = (
        Evaluation.objects.select_for_update(of=("self",))
        .filter(created_at__lt=before)
        .filter(~Q(client_ip="") | ~Q(comment=""))
        .select_related("application")
        .order_by("pk")
    )
    changed = []
    for evaluation in old:
        comment = scrub_personal(evaluation.comment, _known(evaluation))
        if evaluation.client_ip or comment != evaluation.comment:
            evaluation.client_ip, evaluation.comment = "", comment
            changed.append(evaluation)
    result = RetentionResult(records=[str(e.pk) for e in changed])
    if changed and not dry_run:
        Evaluation.objects.bulk_update(changed, ["client_ip", "comment"], batch_size=500)
        audit_record(
            actor=actor,
            action="evaluation_anonymise",
            after={"count": len(changed), "retention_cutoff": cutoff.isoformat()},
        )
    return result
