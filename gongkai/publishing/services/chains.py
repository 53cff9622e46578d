"""Review chains and publication deadlines: the chain an agency's records go through, its
configuration, the deadline rule of each type of information and the publication clock.
"""

from datetime import datetime, time

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import DisclosureAttribute, Document
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import workday_add

from ..models import DeadlineRule, ReviewChain, Submission
from ..rules import (
    DEFAULT_CHAIN,
    SHANGHAI,
    STATUTORY_DEADLINE,
    NonDisclosureGround,
    StepSpec,
    SubmissionKind,
    chain_from_data,
    publication_due,
)
from .base import PublishingError, _require


def chain_for(agency: Agency) -> tuple[StepSpec, ...]:
    try:
        return chain_from_data(agency.review_chain.steps)
    except ReviewChain.DoesNotExist:
        return DEFAULT_CHAIN


@transaction.atomic
def review_chain_set(*, agency: Agency, steps: list[dict], actor) -> ReviewChain:
    """Configure an agency's review chain (administrators of the agency). In-flight submissions
    keep the chain they started with."""
    _require(actor.is_superuser or has_role(actor, agency, Role.ADMINISTRATOR))
    try:
        chain_from_data(steps)
    except ValueError as exc:
        raise PublishingError(str(exc)) from exc
    chain, _created = ReviewChain.objects.update_or_create(agency=agency, defaults={"steps": steps})
    audit_record(actor=actor, action="review_chain_set", obj=chain, after={"steps": steps})
    return chain


def deadline_for(agency: Agency, info_type: str) -> tuple[int, str]:
    """(amount, unit) of the rule for this agency and type: the agency's own, else the
    platform-wide one, else Art. 26's 20 working days."""
    rule = (
        DeadlineRule.objects.filter(info_type=info_type, agency=agency).first()
        or DeadlineRule.objects.filter(info_type=info_type, agency__isnull=True).first()
    )
    return (rule.amount, rule.unit) if rule else STATUTORY_DEADLINE


def _set_clock(submission: Submission, document: Document) -> None:
    """The publication deadline of a proactive record; none for other attributes."""
    if (
        submission.kind != SubmissionKind.PUBLISH
        or document.disclosure_attribute != DisclosureAttribute.PROACTIVE
    ):
        submission.due_at, submission.due_provisional, submission.due_explanation = None, False, ""
        return
    # Without an explicit formation time, the record was formed on its written-on date.
    formed = submission.formed_at or datetime.combine(document.written_on, time(0), tzinfo=SHANGHAI)
    amount, unit = deadline_for(submission.agency, submission.info_type)
    due, provisional, explanation = publication_due(formed, amount, unit, workday_add)
    submission.due_at, submission.due_provisional, submission.due_explanation = (
        due,
        provisional,
        explanation[:300],
    )


def _check_attribute(attribute: str, ground: str) -> None:
    if attribute not in DisclosureAttribute.values:
        raise PublishingError(_("请选择公开属性。"))
    if attribute != DisclosureAttribute.PROACTIVE and ground not in NonDisclosureGround.values:
        raise PublishingError(_("依申请公开或不予公开的信息须选择一项理由。"))
