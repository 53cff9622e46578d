"""The state changes on a record page: each POST calls one service, then goes back to the
record (PRG); a refusal re-renders the page with the form as typed and the reason."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.catalogue.attachments import AttachmentError
from gongkai.publishing.models import ScanFinding, Submission
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import (
    Conflict,
    PublishingError,
    finding_settle,
    record_attachment_add,
    record_attachment_remove,
    submission_cancel,
    submission_decide,
    submission_submit,
)

from .. import selectors
from ..forms import AttachmentForm, CancelForm, DecideForm, FindingForm, SubmitForm
from .common import run_service
from .record_page import act_on_record, render_record

DONE_MESSAGES = {
    Decision.APPROVE: gettext_lazy("已同意。"),
    Decision.RETURN: gettext_lazy("已退回经办人。"),
    Decision.REFER: gettext_lazy("已报保密行政管理部门。"),
}


def _back(submission: Submission):
    return redirect("workbench:record_detail", pk=submission.pk)


def _conflict(
    request, submission: Submission, exc: Conflict, form_class, typed: dict, kept_opinion: str = ""
):
    """Someone else acted first: show the record as it is now, with the form refilled with
    what the user typed (at the current version, in case they may still act on it)."""
    fresh = selectors.submission_for_staff(request.user, submission.pk)
    message = str(exc) + _("当前状态：%(state)s%(step)s。") % {
        "state": fresh.get_state_display(),
        "step": f"（{fresh.current_step.label}）" if fresh.current_step else "",
    }
    again = form_class(initial={**typed, "version": fresh.version})
    return render_record(
        request,
        fresh,
        forms={form_class.prefix: again},
        conflict=message,
        kept_opinion=kept_opinion,
        status=409,
    )


@require_POST
@staff_required
def record_submit(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return render_record(request, submission, forms={"submit": form})
    d = form.cleaned_data
    return act_on_record(
        request,
        submission,
        lambda: submission_submit(
            submission=submission,
            actor=request.user,
            opinion=d["opinion"],
            publish_at=d["publish_at"],
            expected_version=d["version"],
        ),
        form=form,
        render={"forms": {"submit": form}},
        success=_("已送审。"),
        conflict=lambda exc: _conflict(request, submission, exc, SubmitForm, d, kept_opinion=d["opinion"]),
    )


@require_POST
@staff_required
def record_decide(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        return render_record(request, submission, forms={"decide": form})
    d = form.cleaned_data
    return act_on_record(
        request,
        submission,
        lambda: submission_decide(
            submission=submission,
            actor=request.user,
            decision=d["decision"],
            opinion=d["opinion"],
            expected_version=d["version"],
        ),
        form=form,
        render={"forms": {"decide": form}},
        success=DONE_MESSAGES.get(d["decision"], _("已办理。")),
        conflict=lambda exc: _conflict(request, submission, exc, DecideForm, d, kept_opinion=d["opinion"]),
    )


@require_POST
@staff_required
def record_finding_settle(request, pk: int, finding_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    finding = get_object_or_404(ScanFinding, pk=finding_pk, submission=submission)
    form = FindingForm(request.POST, prefix=f"finding-{finding.pk}", secrecy=finding.kind == "secrecy_mark")
    if not form.is_valid():
        return render_record(request, submission, finding_forms={finding.pk: form})
    return act_on_record(
        request,
        submission,
        lambda: finding_settle(
            finding=finding,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            ground=form.cleaned_data.get("ground") or "",
        ),
        form=form,
        render={"finding_forms": {finding.pk: form}},
        success=_("已处理扫描发现。"),
        then=lambda _result: redirect(
            reverse("workbench:record_detail", kwargs={"pk": submission.pk}) + "#findings"
        ),
    )


@require_POST
@staff_required
def record_cancel(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return render_record(request, submission, forms={"cancel": form})
    d = form.cleaned_data
    return act_on_record(
        request,
        submission,
        lambda: submission_cancel(
            submission=submission, actor=request.user, reason=d["reason"], expected_version=d["version"]
        ),
        form=form,
        render={"forms": {"cancel": form}},
        success=_("已撤销。"),
        conflict=lambda exc: _conflict(request, submission, exc, CancelForm, d, kept_opinion=d["reason"]),
    )


@require_POST
@staff_required
def attachment_upload(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return render_record(request, submission, forms={"attachment": form})
    upload = form.cleaned_data["file"]
    return act_on_record(
        request,
        submission,
        lambda: record_attachment_add(
            submission=submission,
            data=upload,
            filename=upload.name,
            title=form.cleaned_data["title"],
            actor=request.user,
        ),
        form=form,
        render={"forms": {"attachment": form}},
        success=_("附件已上传。"),
        errors=(AttachmentError,),
        field="file",
    )


@require_POST
@staff_required
def attachment_remove(request, pk: int, attachment_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    selectors.attachment_for_staff(submission, attachment_pk)  # 404 when not this record's

    def refused(exc):
        messages.error(request, str(exc))
        return _back(submission)

    return run_service(
        request,
        lambda: record_attachment_remove(
            submission=submission, attachment_id=attachment_pk, actor=request.user
        ),
        errors=(PublishingError,),
        refused=refused,
        success=_("附件已删除。"),
        then=lambda _result: _back(submission),
    )


@staff_required
def attachment_download(request, pk: int, attachment_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    attachment = selectors.attachment_for_staff(submission, attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"  # internal until published
    return response
