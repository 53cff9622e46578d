"""The record page: what it shows (metadata, highlighted text, chain, history) and which action
forms the user may use. Action views re-render it with their bound form when something is
wrong, so nothing typed is lost."""

from dataclasses import dataclass

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Role
from gongkai.catalogue.models import Document, Validity, Visibility
from gongkai.publishing import permissions
from gongkai.publishing.manual import masked_value, pdf_page_sizes
from gongkai.publishing.models import (
    PERSONAL_DATA_GROUND,
    FindingDecision,
    ImagePage,
    Submission,
    ground_label,
)
from gongkai.publishing.rules import NonDisclosureGround, SubmissionKind, SubmissionState
from gongkai.publishing.services import PublishingError, chain_for

from ..forms import (
    AttachmentForm,
    CancelForm,
    DecideForm,
    FindingForm,
    ManualAreaForm,
    ManualRemoveForm,
    ManualValueForm,
    SubmitForm,
)
from ..highlight import Span, highlight, kind_label
from .common import page, run_service

TEXT_FIELDS = (
    ("title", gettext_lazy("标题")),
    ("summary", gettext_lazy("内容概述")),
    ("body", gettext_lazy("正文")),
)


@dataclass
class ChainRow:
    index: int
    label: str
    role: str
    status: str  # done, current, pending
    action: object | None


def _chain(submission: Submission, actions: list) -> list[ChainRow]:
    steps = submission.steps if submission.chain else chain_for(submission.agency)
    latest = {a.step: a for a in actions if a.round == submission.round}
    rows = []
    for i, step in enumerate(steps):
        if submission.state == SubmissionState.IN_REVIEW:
            status = "done" if i < submission.step else "current" if i == submission.step else "pending"
        elif submission.state in (SubmissionState.DONE, SubmissionState.SCHEDULED):
            status = "done"
        else:
            status = "pending"
        action = latest.get(i) if status == "done" else None
        rows.append(ChainRow(i, step.label, Role(step.role).label, status, action))
    return rows


def _findings(submission: Submission, bound: dict[int, FindingForm]):
    findings = list(submission.findings.select_related("attachment", "decided_by"))
    spans: dict[str, list[Span]] = {}
    for number, f in enumerate(findings, start=1):
        f.number = number
        f.kind_label = kind_label(f.kind)
        f.anchor = f"finding-{f.pk}"
        f.form = bound.get(f.pk) or FindingForm(
            prefix=f.anchor,
            secrecy=f.kind == "secrecy_mark",
            initial={
                "decision": "" if f.decision == FindingDecision.PENDING else f.decision,
                "reason": f.reason,
                "ground": f.ground or PERSONAL_DATA_GROUND,
            },
        )
        if f.attachment_id is None:
            spans.setdefault(f.field, []).append(
                Span(f.start, f.end, f.value, number, f.anchor, f.kind_label, f.decision)
            )
    return findings, spans


PREVIEW_PAGES = 30  # page pictures shown per attachment; later pages by the typed form


def _redactions(submission: Submission, findings, can_redact: bool, area_forms: dict, remove_forms: dict):
    """Manual redactions (with their take-back forms), pictures read or held, the withheld
    parts with their grounds, and the PDF pages to draw areas on."""
    manual = list(submission.manual_redactions.select_related("attachment", "created_by", "removed_by"))
    for m in manual:
        m.masked = masked_value(m.value) if m.value else ""
        m.remove_form = remove_forms.get(m.pk) or ManualRemoveForm(prefix=f"remove-{m.pk}")
    withheld = [
        {
            "where": f.source_label,
            "what": f.kind_label,
            "ground": ground_label(f.ground or PERSONAL_DATA_GROUND),
        }
        for f in findings
        if f.decision == FindingDecision.REDACT
    ]
    withheld += [
        {
            "where": "；".join(m.places[:3]) + ("……" if len(m.places) > 3 else ""),
            "what": m.get_kind_display(),
            "ground": m.ground_label,
        }
        for m in manual
        if m.removed_at is None
    ]
    image_pages = list(submission.image_pages.select_related("attachment", "confirmed_by"))
    drawing = []
    if can_redact:
        for attachment in submission.document.attachments.order_by("sort_order", "pk"):
            sizes = pdf_page_sizes(attachment)
            if not sizes:
                continue
            drawing.append(
                {
                    "attachment": attachment,
                    "pages": [
                        {"number": n, "width": w, "height": h}
                        for n, (w, h) in enumerate(sizes[:PREVIEW_PAGES], 1)
                    ],
                    "page_count": len(sizes),
                    "form": area_forms.get(attachment.pk) or ManualAreaForm(prefix=f"area-{attachment.pk}"),
                }
            )
    return {
        "manual_redactions": manual,
        "withheld": withheld,
        "image_pages": image_pages,
        "held_pages": sum(1 for p in image_pages if p.pending),
        "drawing": drawing,
        "image_held": ImagePage.HELD,
    }


def _proposed_change(submission: Submission) -> dict | None:
    """What a validity change asks for, for the reviewer to read."""
    if submission.kind != SubmissionKind.VALIDITY:
        return None
    validity = submission.payload.get("validity", "")
    replaced_by = submission.payload.get("replaced_by")
    return {
        "validity": Validity(validity).label if validity in Validity.values else validity,
        "replaced_by": Document.objects.filter(pk=replaced_by).only("title", "index_no").first()
        if replaced_by
        else None,
    }


def _ground_label(ground: str) -> str:
    return NonDisclosureGround(ground).label if ground in NonDisclosureGround.values else ground


def render_record(
    request,
    submission: Submission,
    *,
    forms: dict | None = None,
    finding_forms: dict[int, FindingForm] | None = None,
    area_forms: dict[int, ManualAreaForm] | None = None,
    remove_forms: dict[int, ManualRemoveForm] | None = None,
    conflict: str = "",
    kept_opinion: str = "",
    status: int = 200,
):
    """The record page for ``request.user``; ``forms`` replaces the blank action forms by the
    ones the user just sent (with their errors)."""
    user, document = request.user, submission.document
    actions = list(submission.actions.select_related("actor"))
    findings, spans = _findings(submission, finding_forms or {})
    texts = [
        {"name": name, "label": label, "html": highlight(getattr(document, name) or "", spans.get(name, []))}
        for name, label in TEXT_FIELDS
    ]
    is_publish = submission.kind == SubmissionKind.PUBLISH
    can = {
        "edit": is_publish and permissions.can_record_update(user, submission),
        "submit": permissions.can_submission_submit(user, submission),
        "decide": permissions.can_submission_decide(user, submission),
        "cancel": permissions.can_submission_cancel(user, submission),
        "change": document.visibility == Visibility.PUBLIC and permissions.can_change_propose(user, document),
    }
    can["settle"] = can["decide"]  # permissions.can_finding_settle is the same question
    forms = forms or {}
    version = {"version": submission.version}
    step = submission.current_step
    pending = sum(1 for f in findings if f.decision == FindingDecision.PENDING)
    # services.submission_decide refuses approval at this step while findings are pending.
    must_settle = bool(
        pending and step and (step.settles_findings or submission.step == len(submission.steps) - 1)
    )
    context = {
        "submission": submission,
        "document": document,
        "attachments": list(document.attachments.all()),
        "texts": texts,
        "findings": findings,
        "pending_findings": pending,
        "must_settle": must_settle,
        "chain": _chain(submission, actions),
        "actions": actions,
        "others": list(
            document.submissions.exclude(pk=submission.pk)
            .order_by("-created_at")
            .only("pk", "kind", "state", "created_at")
        ),
        "can": can,
        "submit_form": forms.get("submit") or SubmitForm(initial=version),
        "decide_form": forms.get("decide") or DecideForm(initial=version),
        "cancel_form": forms.get("cancel") or CancelForm(initial=version),
        "attachment_form": forms.get("attachment") or AttachmentForm(),
        "conflict": conflict,
        "kept_opinion": kept_opinion,
        "is_overdue": submission.is_overdue(),
        "ground_label": _ground_label(document.non_disclosure_ground),
        "proposed": _proposed_change(submission),
        # What sanitising removed from each published attachment (publishing/sanitise.py).
        "sanitise_report": submission.sanitise_report,
        "manual_value_form": forms.get("manual_value") or ManualValueForm(),
        **_redactions(submission, findings, can["settle"], area_forms or {}, remove_forms or {}),
    }
    return page(request, "workbench/record_detail.html", context, status=status)


def act_on_record(
    request,
    submission: Submission,
    call,
    *,
    form,
    render: dict,
    success: str,
    then=None,
    conflict=None,
    errors: tuple[type[Exception], ...] = (PublishingError,),
    field: str | None = None,
):
    """Run one publishing service for a record-page form (``run_service``): a refusal puts the
    reason on ``form`` (at ``field``) and re-renders the page with ``render`` (the bound forms);
    done, back to the record (or ``then``)."""

    def refused(exc):
        form.add_error(field, str(exc))
        return render_record(request, submission, **render)

    return run_service(
        request, call, errors=errors, refused=refused, conflict=conflict, success=success,
        then=then or (lambda _result: redirect("workbench:record_detail", pk=submission.pk)),
    )  # fmt: skip
