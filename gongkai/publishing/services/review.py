"""Review: sending a record into its chain (the pre-scan runs on what was submitted), settling the
pre-scan's findings, each step's decision and cancelling.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.models import Role
from gongkai.agencies.selectors import public_contact_values
from gongkai.core.audit import audit_record
from gongkai.core.scan import Kind, ScanError, scan_text
from gongkai.core.scan.files import file_parts

from .. import permissions
from ..models import (
    PERSONAL_DATA_GROUND,
    REDACTION_GROUNDS,
    SECRECY_DECISIONS,
    FindingDecision,
    ImagePage,
    ReviewAction,
    ScanFinding,
    Submission,
)
from ..ocr import boxes_for_span, read_pictures, text_of
from ..rules import SECRECY_REFERRAL_STEP, Decision, SubmissionKind, SubmissionState
from ..sanitise import SanitiseError, sanitise_file
from .base import (
    Conflict,
    NotPermitted,
    PublishingError,
    _attachment_label,
    _lock,
    _require,
    _save,
    _snapshot,
    _transition,
)
from .carrying_out import _carry_out, _held_pages
from .chains import _check_attribute, chain_for

SCANNED_FIELDS = ("title", "summary", "keywords", "body")


def _sanitise_preview(attachment, data: bytes) -> dict:
    row = {"attachment": attachment.pk, "title": attachment.title, "stage": "preview"}
    try:
        result = sanitise_file(data, attachment.content_type)
    except SanitiseError as exc:
        return {**row, "removed": [], "pictures": [], "error": str(exc)}
    return {**row, "removed": result.removed, "pictures": result.pictures}


def _scan(submission: Submission) -> None:
    """Scan everything the public will see: the record's title, summary, keywords (主题词) and
    body, each attachment's title and original file name, and every part of each attachment
    (parts.py: metadata, annotations, form fields, comments, headers, embedded files, earlier
    revisions…). Findings already settled in an earlier round keep their decision when the
    same value is found again in the same place."""
    previous = {
        (f.field, f.attachment_id, f.part, f.kind, f.value): f
        for f in submission.findings.exclude(decision=FindingDecision.PENDING)
    }
    confirmed = {
        (p.attachment_id, p.page, p.reason): p
        for p in submission.image_pages.filter(confirmed_at__isnull=False)
    }
    submission.findings.all().delete()
    submission.image_pages.all().delete()
    document = submission.document
    # The directory's own telephones, e-mails and addresses are not personal data (issue 17).
    known = public_contact_values()
    rows = []
    preview = []
    for field in SCANNED_FIELDS:
        for f in scan_text(getattr(document, field) or "", known=known):
            rows.append((field, None, "", f))
    for attachment in document.attachments.all():
        for field, value in (
            ("attachment_title", attachment.title),
            ("attachment_name", attachment.original_name),
        ):
            rows.extend((field, attachment, "", f) for f in scan_text(value or "", known=known))
        try:
            with attachment.file.open("rb") as fh:
                data = fh.read()
            parts = file_parts(data, name=attachment.storage_name)
        except (ScanError, OSError) as exc:
            # The reason is the parser's, in English; the title is not quoted (it may be
            # personal data itself): the attachment is named by its place.
            raise PublishingError(
                _("%(which)s无法扫描（已加密、已损坏或格式不规范），不能送审公开；请替换为可读取的文件。")
                % {"which": _attachment_label(attachment)}
            ) from exc
        for part, text in parts:
            rows.extend(("attachment", attachment, part, f) for f in scan_text(text, known=known))
        # Pictures are reviewed, not trusted: read by OCR and scanned like text (the findings
        # placed from the words' positions), or held for a reviewer to confirm (ocr.py).
        for reading in read_pictures(data, attachment.content_type):
            image_page = ImagePage(
                submission=submission,
                attachment=attachment,
                page=reading.page,
                reason=reading.reason[:100],
                method=ImagePage.HELD if reading.held else ImagePage.OCR,
                note=reading.note[:300],
                text=reading.text,
                words=reading.words,
            )
            earlier = confirmed.get((attachment.pk, reading.page, image_page.reason))
            if reading.held and earlier is not None:
                image_page.confirmed_by_id, image_page.confirmed_at = (
                    earlier.confirmed_by_id,
                    earlier.confirmed_at,
                )
            image_page.save()
            if reading.held:
                continue
            _text, owners = text_of(reading.words)
            ocr_rows: dict[tuple, tuple] = {}  # the two readings find a value twice: one row
            for f in scan_text(reading.text, known=known):
                boxes = boxes_for_span(reading.words, owners, f.start, f.end, reading.page)
                row = ocr_rows.setdefault(
                    (str(f.kind), f.text), ("attachment", attachment, f"page {reading.page} OCR", f, [])
                )
                row[4].extend(box for box in boxes if box not in row[4])
            rows.extend(ocr_rows.values())
        preview.append(_sanitise_preview(attachment, data))
    # What publication will remove, for the reviewers to see before they approve; replaced by
    # what was removed when the record is published.
    submission.sanitise_report = preview
    for field, attachment, part, f, *boxes in rows:
        row = ScanFinding(
            submission=submission,
            field=field,
            attachment=attachment,
            part=part[:300],
            kind=str(f.kind),
            confidence=str(f.confidence),
            start=f.start,
            end=f.end,
            value=f.text[:300],
            excerpt=f.excerpt[:300],
            boxes=boxes[0] if boxes else [],
        )
        settled = previous.get((field, attachment.pk if attachment else None, row.part, row.kind, row.value))
        if settled is not None:
            row.decision, row.reason, row.ground = settled.decision, settled.reason, settled.ground
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
def finding_settle(
    *, finding: ScanFinding, actor, decision: str, reason: str = "", ground: str = ""
) -> ScanFinding:
    """Settle one pre-scan finding: redact it from what is published, or keep it with a reason.

    A secrecy mark (机密★5年, 内部资料…) is neither redacted nor kept: a document bearing one is
    not published with the mark blacked out. The secrecy reviewer (the disclosure office's head,
    who carries out the confidentiality review) records either its declassification (the
    reason names the declassification record) or that the mark is not the document's own (the
    reason says what document it quotes); otherwise publication is refused."""
    submission = Submission.objects.select_for_update().get(pk=finding.submission_id)
    _require(permissions.can_finding_settle(actor, submission))
    finding = ScanFinding.objects.get(pk=finding.pk, submission=submission)
    if finding.kind == Kind.SECRECY_MARK:
        if decision not in SECRECY_DECISIONS:
            raise PublishingError(
                _(
                    "密级或内部标志不能以删除或保留处理：带有密级标志的文件须经解密，"
                    "或认定该标志不是本文件的（引用其他文件）后方可公开。"
                )
            )
        if Role.OFFICE_HEAD not in permissions.roles_in(actor, submission.agency):
            raise NotPermitted(_("密级标志须由保密审查人员（公开办负责人）认定。"))
        if not reason.strip():
            raise PublishingError(
                _("请填写解密记录（解密文件或通知的文号、日期），或说明该标志所引用的文件。")
                if decision == FindingDecision.DECLASSIFIED
                else _("请说明该标志所引用的是哪一份文件。")
            )
    elif decision not in (FindingDecision.REDACT, FindingDecision.KEEP):
        raise PublishingError(_("请选择删除或保留。"))
    if decision == FindingDecision.KEEP and not reason.strip():
        raise PublishingError(_("保留须说明理由。"))
    if ground and ground not in dict(REDACTION_GROUNDS):
        raise PublishingError(_("请选择不公开的理由（个人信息或一项不予公开的理由）。"))
    before = {"decision": finding.decision, "reason": finding.reason, "ground": finding.ground}
    finding.decision = decision
    finding.reason = reason.strip()[:300] if decision != FindingDecision.REDACT else ""
    # A deletion carries its ground (personal data unless the reviewer chose another).
    finding.ground = (ground or PERSONAL_DATA_GROUND) if decision == FindingDecision.REDACT else ""
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
            "ground": finding.ground,
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
        if (step.settles_findings or last) and _held_pages(submission):
            raise PublishingError(
                _("还有未能文字识别的图像页待确认：请逐页查看，确认无须遮盖或框选遮盖区域后再审批。")
            )
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
