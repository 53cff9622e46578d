"""Manual redaction on the record page (issue 17): search-and-redact by value, areas drawn on
page previews, taking a wrong one back, confirming pictures OCR could not read, and the
preview of the public file. Each POST calls one service (publishing/manual.py) and goes back
to the record; a refusal re-renders the page with the form as typed."""

import io

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.publishing.manual import (
    image_page_confirm,
    manual_area_add,
    manual_redaction_remove,
    manual_value_add,
    page_preview,
)
from gongkai.publishing.models import ImagePage, ManualRedaction
from gongkai.publishing.services import PublishingError, attachment_public_preview

from .. import selectors
from ..forms import ManualAreaForm, ManualRemoveForm, ManualValueForm
from .common import run_service
from .record_page import act_on_record, render_record

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _to_redactions(submission):
    return redirect(reverse("workbench:record_detail", kwargs={"pk": submission.pk}) + "#redactions")


@require_POST
@staff_required
def record_manual_value(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    form = ManualValueForm(request.POST)
    if not form.is_valid():
        return render_record(request, submission, forms={"manual_value": form})
    return act_on_record(
        request,
        submission,
        lambda: manual_value_add(
            submission=submission,
            actor=request.user,
            value=form.cleaned_data["value"],
            ground=form.cleaned_data["ground"],
        ),
        form=form,
        render={"forms": {"manual_value": form}},
        success=_("已添加人工遮盖：公开时将在所有位置删除该内容。"),
        then=lambda _result: _to_redactions(submission),
    )


@require_POST
@staff_required
def record_manual_area(request, pk: int, attachment_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    attachment = selectors.attachment_for_staff(submission, attachment_pk)
    form = ManualAreaForm(request.POST, prefix=f"area-{attachment.pk}")
    if not form.is_valid():
        return render_record(request, submission, area_forms={attachment.pk: form})
    d = form.cleaned_data
    return act_on_record(
        request,
        submission,
        lambda: manual_area_add(
            submission=submission,
            actor=request.user,
            attachment_id=attachment.pk,
            page=d["page"],
            box=[d["x0"], d["y0"], d["x1"], d["y1"]],
            ground=d["ground"],
        ),
        form=form,
        render={"area_forms": {attachment.pk: form}},
        success=_("已添加遮盖区域：公开时该区域内的文字和图像将被删除。"),
        then=lambda _result: _to_redactions(submission),
    )


@require_POST
@staff_required
def record_manual_remove(request, pk: int, redaction_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    redaction = get_object_or_404(ManualRedaction, pk=redaction_pk, submission=submission)
    form = ManualRemoveForm(request.POST, prefix=f"remove-{redaction.pk}")
    if not form.is_valid():
        return render_record(request, submission, remove_forms={redaction.pk: form})
    return act_on_record(
        request,
        submission,
        lambda: manual_redaction_remove(
            redaction=redaction, actor=request.user, reason=form.cleaned_data["reason"]
        ),
        form=form,
        render={"remove_forms": {redaction.pk: form}},
        success=_("已撤销该人工遮盖。"),
        then=lambda _result: _to_redactions(submission),
    )


@require_POST
@staff_required
def record_image_page_confirm(request, pk: int, image_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    image_page = get_object_or_404(ImagePage, pk=image_pk, submission=submission)

    def refused(exc):
        messages.error(request, str(exc))
        return _to_redactions(submission)

    return run_service(
        request,
        lambda: image_page_confirm(image_page=image_page, actor=request.user),
        errors=(PublishingError,),
        refused=refused,
        success=_("已确认该图像页。"),
        then=lambda _result: _to_redactions(submission),
    )


@staff_required
def record_page_image(request, pk: int, attachment_pk: int, page: int):
    """A page of a PDF attachment as a picture, for drawing areas on (staff in scope only)."""
    submission = selectors.submission_for_staff(request.user, pk)
    attachment = selectors.attachment_for_staff(submission, attachment_pk)
    if not attachment.content_type.startswith("application/pdf"):
        return HttpResponse(status=404)
    try:
        png, _width, _height = page_preview(attachment, page)
    except PublishingError:
        return HttpResponse(status=404)
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="page-{page}.png"'
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def record_attachment_preview(request, pk: int, attachment_pk: int):
    """The attachment as it would be published now (sanitised and redacted by the functions
    publication uses); not stored, never public."""
    submission = selectors.submission_for_staff(request.user, pk)
    attachment = selectors.attachment_for_staff(submission, attachment_pk)

    def refused(exc):
        messages.error(request, str(exc))
        return _to_redactions(submission)

    return run_service(
        request,
        lambda: attachment_public_preview(submission=submission, attachment=attachment, actor=request.user),
        errors=(PublishingError,),
        refused=refused,
        then=lambda data: _preview_response(attachment, data),
    )


def _preview_response(attachment, data: bytes):
    name = attachment.original_name.rsplit(".", 1)
    filename = f"{name[0]}-公开预览.{name[1]}" if len(name) == 2 else f"{attachment.original_name}-公开预览"
    response = FileResponse(
        io.BytesIO(data), as_attachment=True, filename=filename, content_type=attachment.content_type
    )
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    return response
