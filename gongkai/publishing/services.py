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

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.selectors import public_contact_values
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
from gongkai.core.scan import Kind, ScanError, scan_text
from gongkai.core.scan.files import file_parts
from gongkai.core.scan.labels import KIND_LABELS
from gongkai.core.scan.parts import part_label

from . import permissions
from .models import (
    PERSONAL_DATA_GROUND,
    REDACTION_GROUNDS,
    SECRECY_DECISIONS,
    DeadlineRule,
    FindingDecision,
    ImagePage,
    ManualRedaction,
    ReviewAction,
    ReviewChain,
    ScanFinding,
    SealedOriginal,
    Submission,
    TimelinessFigure,
)
from .ocr import boxes_for_span, read_pictures, text_of
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
from .sanitise import SanitiseError, sanitise_file
from .verify import find_values

SCANNED_FIELDS = ("title", "summary", "keywords", "body")


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


def _attachment_label(attachment) -> str:
    """How a refusal names an attachment without quoting its title (which may itself hold
    what is being protected): by its place in the list."""
    ids = list(attachment.document.attachments.order_by("sort_order", "pk").values_list("pk", flat=True))
    number = ids.index(attachment.pk) + 1 if attachment.pk in ids else 0
    return _("第 %(n)d 个附件") % {"n": number} if number else _("附件")


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


# --- carrying out -------------------------------------------------------------------------


def _check_secrecy(submission: Submission) -> None:
    """A document bearing a secrecy mark is published only after its declassification or a
    finding that the mark is not its own, both recorded by the secrecy reviewer."""
    marks = submission.findings.filter(kind=Kind.SECRECY_MARK).exclude(decision__in=SECRECY_DECISIONS)
    if marks.exists():
        raise PublishingError(
            _(
                "文件带有密级或内部标志（%(n)d 处），未经保密审查人员登记解密或认定为引用他文，不能公开；"
                "删除标志不能代替解密。"
            )
            % {"n": marks.count()}
        )


def _kind_label(kind: str) -> str:
    from .manual import MANUAL_KIND

    if kind == MANUAL_KIND:
        return _("人工遮盖的内容")
    return str(KIND_LABELS.get(kind, kind))


def _refuse_hit(where: str, kind: str) -> PublishingError:
    return PublishingError(
        _(
            "复核未通过：脱敏和净化之后，%(where)s中仍能读到一项已决定删除的内容（%(kind)s），"
            "已停止公开。请人工处理该文件（例如重新导出）后重新上传，或联系技术人员。"
        )
        % {"where": where, "kind": kind}
    )


def _held_pages(submission: Submission) -> int:
    """Pictures OCR could not read that no reviewer has confirmed yet."""
    return submission.image_pages.filter(method=ImagePage.HELD, confirmed_at__isnull=True).count()


def redaction_plan(submission: Submission) -> tuple[dict[str, str], list[ScanFinding], list[ManualRedaction]]:
    """What publication deletes: every value to delete with its kind (findings settled as
    deleted, and the manual values, kind ``manual``), those findings, and the manual
    redactions in force."""
    from .manual import MANUAL_KIND

    to_redact = list(submission.findings.filter(decision=FindingDecision.REDACT).select_related("attachment"))
    manual = list(submission.manual_redactions.filter(removed_at__isnull=True))
    values = {f.value: f.kind for f in to_redact if f.value.strip()}
    for m in manual:
        if m.kind == ManualRedaction.VALUE and m.value.strip():
            values.setdefault(m.value, MANUAL_KIND)
    return values, to_redact, manual


def _attachment_areas(submission: Submission, attachment, plan) -> list[list]:
    """The page areas to remove from one attachment: where OCR read a finding settled as
    deleted or any value to delete, and the areas the reviewers drew."""
    from .manual import ocr_boxes

    values, to_redact, manual = plan
    areas = [box for f in to_redact if f.attachment_id == attachment.pk for box in f.boxes]
    areas += [
        [m.page, *m.box]
        for m in manual
        if m.kind == ManualRedaction.AREA and m.attachment_id == attachment.pk
    ]
    pages = list(submission.image_pages.filter(attachment=attachment, method=ImagePage.OCR))
    areas += ocr_boxes(pages, list(values))
    unique = []
    for area in areas:
        if area not in unique:
            unique.append(area)
    return unique


def _build_public_file(submission: Submission, attachment, plan):
    """(original bytes, first sanitising, public result, values redacted) of one attachment:
    sanitised, its areas removed, the values to delete redacted, sanitised again, and read
    back by the independent verifier. Publication and the reviewers' preview both use it."""
    from .manual import redact_areas, text_left_in_areas

    which = _attachment_label(attachment)
    values = plan[0]
    with attachment.file.open("rb") as fh:
        data = fh.read()
    content_type = attachment.content_type
    areas = _attachment_areas(submission, attachment, plan)
    try:
        first = sanitise_file(data, content_type)
        out = redact_areas(first.data, areas) if areas else first.data
        present = [h.value for h in find_values(out, content_type, values)]
        if present:
            out = redact_file(out, content_type, sorted(set(present)))
        # The redactor's library may add its own properties: the rebuild runs once more.
        result = sanitise_file(out, content_type) if out is not first.data else first
    except (RedactionError, SanitiseError) as exc:
        raise PublishingError(_("%(which)s不能公开：%(reason)s") % {"which": which, "reason": exc}) from exc
    hits = find_values(result.data, content_type, values)
    if hits:
        hit = hits[0]
        raise _refuse_hit(f"{which}的“{part_label(hit.part)}”", _kind_label(values[hit.value]))
    if text_left_in_areas(result.data, areas):
        raise _refuse_hit(which, _("遮盖区域内的文字"))
    return data, first, result, present


def attachment_public_preview(*, submission: Submission, attachment, actor) -> bytes:
    """The attachment as it would be published now (sanitised and redacted by the same
    functions as publication), for the reviewers to check before they approve. Nothing is
    stored; refusals are raised as publication would raise them."""
    _require(permissions.can_view(actor, submission.agency))
    if attachment.document_id != submission.document_id:
        raise PublishingError(_("附件不存在。"))
    return _build_public_file(submission, attachment, redaction_plan(submission))[2].data


def _publish_attachment(submission: Submission, attachment, plan, actor) -> dict:
    """Rebuild one attachment for the public (_build_public_file). Returns what sanitising
    removed. The original is sealed (internal only) whenever the public file differs from it."""
    data, first, result, present = _build_public_file(submission, attachment, plan)
    removed = [*first.removed, *(r for r in result.removed if r not in first.removed)]
    if result.data != data:
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
            attachment_replace_content(attachment=attachment, data=result.data, actor=actor)
        except AttachmentError as exc:
            raise PublishingError(str(exc)) from exc
    return {
        "attachment": attachment.pk,
        "title": attachment.title,
        "stage": "published",
        "removed": removed,
        "pictures": result.pictures,
        "redacted": len(set(present)),
    }


def _redact(submission: Submission, actor) -> None:
    """Apply the settled redactions to everything that will be public: the texts (title,
    summary, keywords, body), the attachments' titles and file names, and the attachments,
    each rebuilt clean (sanitise.py) and verified by a second reader (verify.py). The values
    deleted are those of the findings settled as deleted and the reviewers' manual values
    (manual.py); drawn areas and values read by OCR in pictures are removed from the pages.
    Any value to delete that can still be read anywhere refuses the publication, naming the
    place, never the value. The originals are kept on the submission (texts) and as sealed
    files (attachments)."""
    from .manual import value_spans

    _check_secrecy(submission)
    if _held_pages(submission):
        raise PublishingError(_("还有未能文字识别的图像页待确认，不能公开。"))
    document = submission.document
    plan = redaction_plan(submission)
    values, to_redact, manual = plan
    manual_values = [m.value for m in manual if m.kind == ManualRedaction.VALUE]

    def spans_of(text: str, findings) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in findings] + value_spans(text or "", manual_values)

    texts = {}
    for field in ("title", "summary", "body"):
        original = getattr(document, field)
        spans = spans_of(original, [f for f in to_redact if f.field == field])
        if spans:
            submission.original_text[field] = original
            texts[field] = redact_text(original, spans)
    if texts:
        document_replace_text(document=document, texts=texts, actor=actor)
    keyword_spans = spans_of(document.keywords, [f for f in to_redact if f.field == "keywords"])
    if keyword_spans:
        submission.original_text["keywords"] = document.keywords
        document.keywords = redact_text(document.keywords, keyword_spans)
        document.save(update_fields=["keywords", "updated_at"])
        audit_record(
            actor=actor,
            action="document_redact_keywords",
            obj=document,
            after={"chars": len(document.keywords)},
        )
    report = []
    for attachment in document.attachments.order_by("sort_order", "pk"):
        names = {}
        for field, attr in (("attachment_title", "title"), ("attachment_name", "original_name")):
            spans = spans_of(
                getattr(attachment, attr),
                [f for f in to_redact if f.attachment_id == attachment.pk and f.field == field],
            )
            if spans:
                names[attr] = redact_text(getattr(attachment, attr), spans)
        if names:
            submission.original_text.setdefault("attachments", {})[str(attachment.pk)] = {
                attr: getattr(attachment, attr) for attr in names
            }
            for attr, value in names.items():
                setattr(attachment, attr, value)
            attachment.save(update_fields=list(names))
            audit_record(
                actor=actor,
                action="attachment_redact_names",
                obj=attachment,
                after={attr: {"chars": len(value)} for attr, value in names.items()},
            )
        report.append(_publish_attachment(submission, attachment, plan, actor))
    submission.sanitise_report = report
    # The second reader over the public texts too: nothing deleted may be left in them.
    public_texts = [
        (_("标题"), document.title),
        (_("内容概述"), document.summary),
        (_("主题词"), document.keywords),
        (_("正文"), document.body),
    ]
    for attachment in document.attachments.all():
        public_texts += [
            (_("%(which)s的名称") % {"which": _attachment_label(attachment)}, attachment.title),
            (_("%(which)s的原文件名") % {"which": _attachment_label(attachment)}, attachment.original_name),
        ]
    for where, text in public_texts:
        hits = find_values((text or "").encode(), "text/plain", values)
        if hits:
            raise _refuse_hit(str(where), _kind_label(values[hits[0].value]))


def _carry_out(submission: Submission, actor) -> None:
    """What the approved submission asks for, inside the approving transaction."""
    document = Document.objects.select_for_update().get(pk=submission.document_id)
    submission.document = document
    try:
        if submission.kind == SubmissionKind.PUBLISH:
            if document.disclosure_attribute == DisclosureAttribute.PROACTIVE:
                _redact(submission, actor)
                # The approved submission is the proof document_publish checks (approval.py).
                document_publish(document=document, actor=actor, approval=submission)
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
