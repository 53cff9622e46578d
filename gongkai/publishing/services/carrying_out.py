"""Carrying out an approved submission: the redactions applied to everything public (checked by
a second reader), the document published, withdrawn or its validity changed, scheduled
publications run when their time comes, and the timeliness figures recounted.
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
from gongkai.catalogue.attachments import AttachmentError, attachment_replace_content
from gongkai.catalogue.models import DisclosureAttribute, Document
from gongkai.catalogue.services import (
    CatalogueError,
    document_publish,
    document_replace_text,
    document_set_validity,
    document_withdraw,
)
from gongkai.core.audit import audit_record
from gongkai.core.files.redaction import RedactionError, redact_file, redact_text
from gongkai.core.scan import Kind
from gongkai.core.scan.labels import KIND_LABELS
from gongkai.core.scan.parts import part_label

# The module, not its names: manual.py imports this package's errors (a cycle at import time).
from .. import manual as manual_redaction
from .. import permissions
from ..models import (
    SECRECY_DECISIONS,
    FindingDecision,
    ImagePage,
    ManualRedaction,
    ScanFinding,
    SealedOriginal,
    Submission,
    TimelinessFigure,
)
from ..rules import SHANGHAI, SubmissionKind, SubmissionState, days_late
from ..sanitise import SanitiseError, sanitise_file
from ..verify import find_values
from .base import PublishingError, _attachment_label, _require, _save, _snapshot, _transition


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
    if kind == manual_redaction.MANUAL_KIND:
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
    to_redact = list(submission.findings.filter(decision=FindingDecision.REDACT).select_related("attachment"))
    manual = list(submission.manual_redactions.filter(removed_at__isnull=True))
    values = {f.value: f.kind for f in to_redact if f.value.strip()}
    for m in manual:
        if m.kind == ManualRedaction.VALUE and m.value.strip():
            values.setdefault(m.value, manual_redaction.MANUAL_KIND)
    return values, to_redact, manual


def _attachment_areas(submission: Submission, attachment, plan) -> list[list]:
    """The page areas to remove from one attachment: where OCR read a finding settled as
    deleted or any value to delete, and the areas the reviewers drew."""
    values, to_redact, manual = plan
    areas = [box for f in to_redact if f.attachment_id == attachment.pk for box in f.boxes]
    areas += [
        [m.page, *m.box]
        for m in manual
        if m.kind == ManualRedaction.AREA and m.attachment_id == attachment.pk
    ]
    pages = list(submission.image_pages.filter(attachment=attachment, method=ImagePage.OCR))
    areas += manual_redaction.ocr_boxes(pages, list(values))
    unique = []
    for area in areas:
        if area not in unique:
            unique.append(area)
    return unique


def _build_public_file(submission: Submission, attachment, plan):
    """(original bytes, first sanitising, public result, values redacted) of one attachment:
    sanitised, its areas removed, the values to delete redacted, sanitised again, and read
    back by the independent verifier. Publication and the reviewers' preview both use it."""
    which = _attachment_label(attachment)
    values = plan[0]
    with attachment.file.open("rb") as fh:
        data = fh.read()
    content_type = attachment.content_type
    areas = _attachment_areas(submission, attachment, plan)
    try:
        first = sanitise_file(data, content_type)
        out = manual_redaction.redact_areas(first.data, areas) if areas else first.data
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
    if manual_redaction.text_left_in_areas(result.data, areas):
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
    _check_secrecy(submission)
    if _held_pages(submission):
        raise PublishingError(_("还有未能文字识别的图像页待确认，不能公开。"))
    document = submission.document
    plan = redaction_plan(submission)
    values, to_redact, manual = plan
    manual_values = [m.value for m in manual if m.kind == ManualRedaction.VALUE]

    def spans_of(text: str, findings) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in findings] + manual_redaction.value_spans(text or "", manual_values)

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
