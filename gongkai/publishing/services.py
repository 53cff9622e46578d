"""State changes of proactive disclosure: one entry point each (STYLE.md, habit 3).

先审查、后公开 (Art. 17): a record reaches the public catalogue only through
``submission_decide`` approving the last step of its chain (or ``publish_scheduled`` carrying
out that approval at the chosen time). Every service checks its permission (permissions.py),
checks the state against rules.TRANSITIONS, writes, and audits in one transaction.
"""

import hashlib
from datetime import datetime, time
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.catalogue.attachments import (
    AttachmentError,
    attachment_add,
    attachment_remove,
    attachment_replace_content,
)
from gongkai.catalogue.models import DisclosureAttribute, Document, Validity, Visibility
from gongkai.catalogue.services import (
    CatalogueError,
    DocumentFields,
    document_create,
    document_publish,
    document_replace_text,
    document_set_clarifies,
    document_set_disclosure,
    document_set_validity,
    document_update,
    document_withdraw,
)
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import workday_add
from gongkai.core.scan import ScanError, scan_file, scan_text

from . import permissions
from .models import (
    DeadlineRule,
    FindingDecision,
    ReviewAction,
    ReviewChain,
    ScanFinding,
    SealedOriginal,
    Submission,
    TimelinessFigure,
)
from .redaction import RedactionError, redact_file, redact_text
from .rules import (
    DEFAULT_CHAIN,
    SECRECY_REFERRAL_STEP,
    SHANGHAI,
    STATUTORY_DEADLINE,
    Decision,
    InfoType,
    NonDisclosureGround,
    StepSpec,
    SubmissionKind,
    SubmissionState,
    chain_from_data,
    days_late,
    next_state,
    publication_due,
)

SCANNED_FIELDS = ("title", "summary", "body")


class PublishingError(Exception):
    """A refusal with a message for the person who asked (Chinese, says what to do)."""


class NotPermitted(PublishingError):
    pass


class Conflict(PublishingError):
    """Someone else acted first (two reviewers on one step): reload and look again."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise NotPermitted(_("您没有办理此事项的权限。"))


def _transition(submission: Submission, event: str) -> str:
    state = next_state(submission.state, event)
    if state is None:
        raise PublishingError(
            _("当前状态为“%(state)s”，不能进行此操作。") % {"state": submission.get_state_display()}
        )
    return state


def _lock(submission: Submission, expected_version: int | None) -> Submission:
    """Re-read the submission under a row lock; refuse when it changed since the form was shown."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("该事项已被他人处理或修改，请刷新页面后查看最新状态。"))
    return locked


def _snapshot(s: Submission) -> dict:
    return {
        "state": s.state,
        "step": s.step,
        "round": s.round,
        "due_at": s.due_at.isoformat() if s.due_at else None,
        "publish_at": s.publish_at.isoformat() if s.publish_at else None,
        "payload": s.payload,
    }


def _save(submission: Submission, actor, action: str, before: dict) -> Submission:
    submission.version += 1
    submission.save()
    audit_record(actor=actor, action=action, obj=submission, before=before, after=_snapshot(submission))
    return submission


# --- chains and deadlines --------------------------------------------------------------


def chain_for(agency: Agency) -> tuple[StepSpec, ...]:
    try:
        return chain_from_data(agency.review_chain.steps)
    except ReviewChain.DoesNotExist:
        return DEFAULT_CHAIN


@transaction.atomic
def review_chain_set(*, agency: Agency, steps: list[dict], actor) -> ReviewChain:
    """Configure an agency's review chain (administrators of the agency). In-flight submissions
    keep the chain they started with."""
    from gongkai.agencies.access import has_role
    from gongkai.agencies.models import Role

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


# --- drafting ---------------------------------------------------------------------------


@transaction.atomic
def record_draft(
    *,
    agency: Agency,
    fields: DocumentFields,
    actor,
    disclosure_attribute: str = DisclosureAttribute.PROACTIVE,
    non_disclosure_ground: str = "",
    info_type: str = InfoType.DOCUMENT,
    formed_at: datetime | None = None,
    clarifies: Document | None = None,
) -> Submission:
    """Draft a record: the document (internal until published) and its submission, with the
    publication clock running from its formation (成文/形成日期)."""
    _require(permissions.can_record_draft(actor, agency))
    _check_attribute(disclosure_attribute, non_disclosure_ground)
    if clarifies is not None and (
        clarifies.agency_id != agency.pk or clarifies.visibility != Visibility.PUBLIC
    ):
        raise PublishingError(_("只能澄清本机关已公开的信息。"))
    try:
        document = document_create(agency=agency, fields=fields, actor=actor)
        document_set_disclosure(
            document=document, attribute=disclosure_attribute, ground=non_disclosure_ground, actor=actor
        )
        if clarifies is not None:
            document_set_clarifies(document=document, clarifies=clarifies, actor=actor)
    except CatalogueError as exc:
        raise PublishingError(str(exc)) from exc
    submission = Submission(
        agency=agency,
        document=document,
        kind=SubmissionKind.PUBLISH,
        info_type=info_type,
        formed_at=formed_at,
        created_by=actor,
    )
    _set_clock(submission, document)
    return _save(submission, actor, "record_draft", {})


@transaction.atomic
def record_update(
    *,
    submission: Submission,
    fields: DocumentFields,
    actor,
    expected_version: int | None = None,
    disclosure_attribute: str | None = None,
    non_disclosure_ground: str = "",
    info_type: str | None = None,
    formed_at: datetime | None = None,
) -> Submission:
    """Edit a draft or returned record. A changed formation date restarts its clock."""
    submission = _lock(submission, expected_version)
    _require(permissions.can_record_update(actor, submission))
    if submission.kind != SubmissionKind.PUBLISH:
        raise PublishingError(_("撤回或有效性变更事项不能修改文件内容。"))
    before = _snapshot(submission)
    document = submission.document
    attribute = disclosure_attribute or document.disclosure_attribute
    _check_attribute(
        attribute, non_disclosure_ground if disclosure_attribute else document.non_disclosure_ground
    )
    document_update(document=document, fields=fields, actor=actor)
    if disclosure_attribute:
        document_set_disclosure(
            document=document, attribute=attribute, ground=non_disclosure_ground, actor=actor
        )
    if info_type:
        submission.info_type = info_type
    submission.formed_at = formed_at  # None: formed on the written-on date
    _set_clock(submission, document)
    return _save(submission, actor, "record_update", before)


@transaction.atomic
def record_attachment_add(*, submission: Submission, data, filename: str, title: str = "", actor):
    """Attach a file to a draft or returned record (never to one already in review).
    Raises AttachmentError with the reason when the file is refused."""
    submission = _lock(submission, None)
    _require(submission.kind == SubmissionKind.PUBLISH and permissions.can_record_update(actor, submission))
    attachment = attachment_add(
        document=submission.document, data=data, filename=filename, title=title, actor=actor
    )
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    return attachment


@transaction.atomic
def record_attachment_remove(*, submission: Submission, attachment_id: int, actor) -> None:
    """Remove an attachment from a draft or returned record."""
    submission = _lock(submission, None)
    _require(submission.kind == SubmissionKind.PUBLISH and permissions.can_record_update(actor, submission))
    attachment = submission.document.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise PublishingError(_("附件不存在。"))
    attachment_remove(attachment=attachment, actor=actor)
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])


@transaction.atomic
def change_propose(
    *,
    document: Document,
    kind: str,
    actor,
    reason: str,
    validity: str = "",
    replaced_by: Document | None = None,
) -> Submission:
    """Propose withdrawing a published record or changing its validity; the proposal is the
    originator's opinion and goes straight into review."""
    _require(permissions.can_change_propose(actor, document))
    if document.visibility != Visibility.PUBLIC:
        raise PublishingError(_("只有已公开的信息可以撤回或变更有效性。"))
    if not reason.strip():
        raise PublishingError(_("请填写事由。"))
    payload: dict = {}
    if kind == SubmissionKind.VALIDITY:
        if validity not in Validity.values or validity == document.validity:
            raise PublishingError(_("请选择新的有效性。"))
        if replaced_by is not None and (
            replaced_by.pk == document.pk or replaced_by.visibility != Visibility.PUBLIC
        ):
            raise PublishingError(_("替代文件必须是另一份已公开的文件。"))
        payload = {"validity": validity, "replaced_by": replaced_by.pk if replaced_by else None}
    elif kind != SubmissionKind.WITHDRAW:
        raise PublishingError(_("未知的事项。"))
    if Submission.objects.open().filter(document=document).exists():
        raise PublishingError(_("该信息已有正在办理的事项，请先办结。"))
    submission = Submission(
        agency=document.agency,
        document=document,
        kind=kind,
        payload=payload,
        reason=reason.strip(),
        created_by=actor,
    )
    _save(submission, actor, "change_propose", {})
    return submission_submit(submission=submission, actor=actor, opinion=reason)


# --- review -------------------------------------------------------------------------------


def _scan(submission: Submission) -> None:
    """Scan the record's texts and attachments; findings already settled in an earlier round
    keep their decision when the same value is found again in the same place."""
    previous = {
        (f.field, f.attachment_id, f.kind, f.value): f
        for f in submission.findings.exclude(decision=FindingDecision.PENDING)
    }
    submission.findings.all().delete()
    document = submission.document
    rows = []
    for field in SCANNED_FIELDS:
        for f in scan_text(getattr(document, field) or ""):
            rows.append((field, None, f))
    for attachment in document.attachments.all():
        try:
            found = scan_file(Path(attachment.file.path))
        except (ScanError, OSError) as exc:
            raise PublishingError(
                _("附件《%(title)s》无法扫描（%(reason)s），不能送审公开；请替换为可读取的文件。")
                % {"title": attachment.title, "reason": exc}
            ) from exc
        rows.extend(("attachment", attachment, f) for f in found)
    for field, attachment, f in rows:
        row = ScanFinding(
            submission=submission,
            field=field,
            attachment=attachment,
            kind=str(f.kind),
            confidence=str(f.confidence),
            start=f.start,
            end=f.end,
            value=f.text[:300],
            excerpt=f.excerpt[:300],
        )
        settled = previous.get((field, attachment.pk if attachment else None, row.kind, row.value))
        if settled is not None:
            row.decision, row.reason = settled.decision, settled.reason
            row.decided_by_id, row.decided_at = settled.decided_by_id, settled.decided_at
        row.save()


@transaction.atomic
def submission_submit(
    *,
    submission: Submission,
    actor,
    opinion: str = "",
    publish_at: datetime | None = None,
    expected_version: int | None = None,
) -> Submission:
    """Send a draft (or a returned record, after changes) into the review chain with the
    originator's opinion; the pre-scan runs on what was submitted."""
    submission = _lock(submission, expected_version)
    _require(permissions.can_submission_submit(actor, submission))
    state = _transition(submission, "submit")
    before = _snapshot(submission)
    document = submission.document
    if submission.kind == SubmissionKind.PUBLISH:
        _check_attribute(document.disclosure_attribute, document.non_disclosure_ground)
        if not document.body.strip() and not document.attachments.exists():
            raise PublishingError(_("正文和附件不能都为空。"))
        if publish_at is not None and publish_at <= timezone.now():
            raise PublishingError(_("定时发布时间须晚于当前时间。"))
        submission.publish_at = publish_at
        _scan(submission)
    chain = chain_for(submission.agency)
    submission.chain = [s.__dict__ for s in chain]
    submission.round += 1
    submission.step = 1
    submission.state = state
    submission.submitted_by = actor
    ReviewAction.objects.create(
        submission=submission,
        round=submission.round,
        step=0,
        step_key=chain[0].key,
        step_label=chain[0].label,
        actor=actor,
        decision=Decision.SUBMIT,
        opinion=opinion.strip(),
    )
    return _save(submission, actor, "submission_submit", before)


@transaction.atomic
def finding_settle(*, finding: ScanFinding, actor, decision: str, reason: str = "") -> ScanFinding:
    """Settle one pre-scan finding: redact it from what is published, or keep it with a reason."""
    submission = Submission.objects.select_for_update().get(pk=finding.submission_id)
    _require(permissions.can_finding_settle(actor, submission))
    if decision not in (FindingDecision.REDACT, FindingDecision.KEEP):
        raise PublishingError(_("请选择删除或保留。"))
    if decision == FindingDecision.KEEP and not reason.strip():
        raise PublishingError(_("保留须说明理由。"))
    finding = ScanFinding.objects.get(pk=finding.pk, submission=submission)
    before = {"decision": finding.decision, "reason": finding.reason}
    finding.decision = decision
    finding.reason = reason.strip()[:300] if decision == FindingDecision.KEEP else ""
    finding.decided_by = actor
    finding.decided_at = timezone.now()
    finding.save()
    audit_record(
        actor=actor,
        action="finding_settle",
        obj=finding,
        before=before,
        after={
            "decision": finding.decision,
            "reason": finding.reason,
            "kind": finding.kind,
            "excerpt": finding.excerpt,
        },
    )
    submission.version += 1
    submission.save(update_fields=["version", "updated_at"])
    return finding


@transaction.atomic
def submission_decide(
    *, submission: Submission, actor, decision: str, opinion: str = "", expected_version: int | None = None
) -> Submission:
    """The current step's decision: approve (the next step, or the end of the chain), return
    to the drafter with reasons, or refer to the secrecy bureau (a step is inserted)."""
    submission = _lock(submission, expected_version)
    if submission.state != SubmissionState.IN_REVIEW:
        raise Conflict(
            _("该事项已不在审查中（当前状态：%(state)s）。") % {"state": submission.get_state_display()}
        )
    _require(permissions.can_submission_decide(actor, submission))
    before = _snapshot(submission)
    step = submission.current_step
    steps = list(submission.steps)
    if decision == Decision.RETURN:
        if not opinion.strip():
            raise PublishingError(_("退回须说明理由。"))
        submission.state = _transition(submission, "return")
        submission.step = 0
    elif decision == Decision.REFER:
        if any(s.key == SECRECY_REFERRAL_STEP.key for s in steps):
            raise PublishingError(_("本轮已报保密行政管理部门。"))
        # The bureau's answer is registered first; then the referring step decides again.
        steps.insert(submission.step, SECRECY_REFERRAL_STEP)
        submission.chain = [s.__dict__ for s in steps]
    elif decision == Decision.APPROVE:
        last = submission.step == len(steps) - 1
        if (step.settles_findings or last) and submission.findings.filter(
            decision=FindingDecision.PENDING
        ).exists():
            raise PublishingError(_("还有扫描发现未处理：请逐条选择删除或保留（并说明理由）后再审批。"))
        if not last:
            submission.state = _transition(submission, "approve_step")
            submission.step += 1
    else:
        raise PublishingError(_("未知的审查决定。"))
    ReviewAction.objects.create(
        submission=submission,
        round=submission.round,
        step=before["step"],
        step_key=step.key,
        step_label=step.label,
        actor=actor,
        decision=decision,
        opinion=opinion.strip(),
    )
    if decision == Decision.APPROVE and before["step"] == len(steps) - 1:
        scheduled = submission.publish_at is not None and submission.publish_at > timezone.now()
        if scheduled:
            submission.state = _transition(submission, "approve_final_scheduled")
        else:
            _carry_out(submission, actor)
    return _save(submission, actor, "submission_decide", before)


@transaction.atomic
def submission_cancel(
    *, submission: Submission, actor, reason: str, expected_version: int | None = None
) -> Submission:
    """Abandon a draft, a returned record or a scheduled publication (with the reason)."""
    submission = _lock(submission, expected_version)
    _require(permissions.can_submission_cancel(actor, submission))
    if not reason.strip():
        raise PublishingError(_("请填写撤销理由。"))
    before = _snapshot(submission)
    submission.state = _transition(submission, "cancel")
    submission.reason = reason.strip()
    submission.done_at = timezone.now()
    return _save(submission, actor, "submission_cancel", before)


# --- carrying out -------------------------------------------------------------------------


def _redact(submission: Submission, actor) -> None:
    """Apply the settled redactions to what will be public: texts, then attachments. The
    originals are kept on the submission (texts) and as sealed files (attachments)."""
    document = submission.document
    to_redact = submission.findings.filter(decision=FindingDecision.REDACT)
    texts = {}
    for field in SCANNED_FIELDS:
        spans = [(f.start, f.end) for f in to_redact if f.field == field]
        if spans:
            original = getattr(document, field)
            submission.original_text[field] = original
            texts[field] = redact_text(original, spans)
    if texts:
        document_replace_text(document=document, texts=texts, actor=actor)
    by_attachment: dict[int, list[str]] = {}
    for f in to_redact:
        if f.attachment_id:
            by_attachment.setdefault(f.attachment_id, []).append(f.value)
    for attachment in document.attachments.filter(pk__in=by_attachment):
        with attachment.file.open("rb") as fh:
            data = fh.read()
        try:
            redacted = redact_file(data, attachment.content_type, sorted(set(by_attachment[attachment.pk])))
        except RedactionError as exc:
            raise PublishingError(
                _("附件《%(title)s》脱敏失败：%(reason)s") % {"title": attachment.title, "reason": exc}
            ) from exc
        sealed = SealedOriginal(
            submission=submission,
            attachment=attachment,
            title=attachment.title,
            sha256=hashlib.sha256(data).hexdigest(),
        )
        sealed.file.save(
            f"{sealed.sha256}{Path(attachment.storage_name).suffix}", ContentFile(data), save=False
        )
        sealed.save()
        try:
            attachment_replace_content(attachment=attachment, data=redacted, actor=actor)
        except AttachmentError as exc:
            raise PublishingError(str(exc)) from exc


def _carry_out(submission: Submission, actor) -> None:
    """What the approved submission asks for, inside the approving transaction."""
    document = Document.objects.select_for_update().get(pk=submission.document_id)
    submission.document = document
    try:
        if submission.kind == SubmissionKind.PUBLISH:
            if document.disclosure_attribute == DisclosureAttribute.PROACTIVE:
                _redact(submission, actor)
                document_publish(document=document, actor=actor)
        elif submission.kind == SubmissionKind.WITHDRAW:
            document_withdraw(document=document, reason=submission.reason, actor=actor)
        elif submission.kind == SubmissionKind.VALIDITY:
            replaced_by = (
                Document.objects.get(pk=submission.payload["replaced_by"])
                if submission.payload.get("replaced_by")
                else None
            )
            document_set_validity(
                document=document,
                validity=submission.payload["validity"],
                replaced_by=replaced_by,
                actor=actor,
            )
    except CatalogueError as exc:
        raise PublishingError(str(exc)) from exc
    submission.state = SubmissionState.DONE
    submission.done_at = timezone.now()
    if submission.due_at is not None:
        submission.save()
        timeliness_refresh(agency=submission.agency, month=submission.done_at.astimezone(SHANGHAI).date())


def publish_scheduled(*, now: datetime | None = None) -> list[int]:
    """Carry out every scheduled publication whose time has come, each in its own transaction
    (a crash leaves each one either published or still scheduled, never half-done). Meant to
    run every few minutes (`gongkai publish-scheduled`)."""
    now = now or timezone.now()
    done = []
    due = Submission.objects.filter(state=SubmissionState.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            submission = Submission.objects.select_for_update().get(pk=pk)
            if submission.state != SubmissionState.SCHEDULED:
                continue  # another runner got there first
            before = _snapshot(submission)
            _transition(submission, "publish_due")
            approver = submission.actions.filter(round=submission.round).order_by("-at", "-id").first().actor
            _carry_out(submission, approver)
            _save(submission, None, "publish_scheduled", before)
            done.append(pk)
    return done


def timeliness_refresh(*, agency: Agency, month) -> TimelinessFigure:
    """Recount one agency-month of publications against their deadlines."""
    start = month.replace(day=1)
    end = (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )
    rows = Submission.objects.filter(
        agency=agency,
        kind=SubmissionKind.PUBLISH,
        state=SubmissionState.DONE,
        due_at__isnull=False,
        done_at__gte=datetime.combine(start, time(0), tzinfo=SHANGHAI),
        done_at__lt=datetime.combine(end, time(0), tzinfo=SHANGHAI),
    ).values_list("due_at", "done_at")
    on_time = late = total_late = 0
    for due_at, done_at in rows:
        n = days_late(due_at, done_at)
        if n:
            late, total_late = late + 1, total_late + n
        else:
            on_time += 1
    figure, _created = TimelinessFigure.objects.update_or_create(
        agency=agency, month=start, defaults={"on_time": on_time, "late": late, "days_late": total_late}
    )
    return figure


def timeliness_totals(agency: Agency, year: int) -> dict:
    return TimelinessFigure.objects.filter(agency=agency, month__year=year).aggregate(
        on_time=Sum("on_time"), late=Sum("late"), days_late=Sum("days_late")
    )
