"""Drafting and editing a record, and the record page."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.decorators import staff_required
from gongkai.catalogue.models import Document, Visibility
from gongkai.publishing import permissions
from gongkai.publishing.rules import SubmissionKind
from gongkai.publishing.services import PublishingError, record_draft, record_update

from .. import selectors
from ..forms import RecordForm, document_fields_of
from .common import forbidden, page, run_service
from .record_page import render_record


def _clarified(request, agencies) -> Document | None:
    """The published document named by ``?clarifies=`` (a link from its record page)."""
    pk = request.GET.get("clarifies", "")
    if not pk:
        return None
    if not pk.isdigit():
        raise Http404
    document = Document.objects.filter(pk=pk, agency__in=agencies, visibility=Visibility.PUBLIC).first()
    if document is None:
        raise Http404
    return document


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def record_new(request):
    agencies = selectors.drafting_agencies(request.user)
    if not agencies.exists():
        raise Http404  # only clerks draft; like everything out of scope, this page is "not found"
    if request.method == "POST":
        form = RecordForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            response = run_service(
                request,
                lambda: record_draft(
                    agency=d["agency"],
                    fields=form.document_fields(),
                    actor=request.user,
                    disclosure_attribute=d["disclosure_attribute"],
                    non_disclosure_ground=d["non_disclosure_ground"],
                    info_type=d["info_type"],
                    formed_at=d["formed_at"],
                    clarifies=d["clarifies"],
                ),
                errors=(PublishingError,),
                refused=lambda exc: form.add_error(None, str(exc)),
                refusal_page=False,  # the form offers only the agencies the user drafts for
                success=_("已保存草稿。可以上传附件，然后送审。"),
                then=lambda submission: redirect("workbench:record_detail", pk=submission.pk),
            )
            if response is not None:
                return response
        clarified = None
    else:
        clarified = _clarified(request, agencies)
        initial = {}
        if clarified is not None:
            initial = {"agency": clarified.agency_id, "clarifies": clarified.index_no}
        elif len(agencies) == 1:
            initial = {"agency": agencies[0].pk}
        form = RecordForm(initial=initial, user=request.user)
    return page(
        request, "workbench/record_form.html", {"form": form, "clarified": clarified, "submission": None}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def record_edit(request, pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    if submission.kind != SubmissionKind.PUBLISH or not permissions.can_record_update(
        request.user, submission
    ):
        return forbidden(request, _("只有起草中或已退回的发布事项可以由本机关经办人修改。"))
    document = submission.document
    conflict = ""
    if request.method == "POST":
        form = RecordForm(request.POST, user=request.user, submission=submission)
        if form.is_valid():
            d = form.cleaned_data

            def refused(exc):
                form.add_error(None, str(exc))

            def conflicted(exc):
                # Keep what was typed; the next save applies it over the current version.
                nonlocal form, conflict
                submission.refresh_from_db()
                conflict = str(exc)
                data = request.POST.copy()
                data["version"] = submission.version
                form = RecordForm(data, user=request.user, submission=submission)

            response = run_service(
                request,
                lambda: record_update(
                    submission=submission,
                    fields=form.document_fields(base=document_fields_of(document)),
                    actor=request.user,
                    expected_version=d["version"],
                    disclosure_attribute=d["disclosure_attribute"],
                    non_disclosure_ground=d["non_disclosure_ground"],
                    info_type=d["info_type"],
                    formed_at=d["formed_at"],
                ),
                errors=(PublishingError,),
                refused=refused,
                conflict=conflicted,
                success=_("修改已保存。"),
                then=lambda _result: redirect("workbench:record_detail", pk=submission.pk),
            )
            if response is not None:
                return response
    else:
        form = RecordForm(
            initial=RecordForm.initial_for(submission), user=request.user, submission=submission
        )
    context = {"form": form, "submission": submission, "clarified": document.clarifies, "conflict": conflict}
    return page(request, "workbench/record_form.html", context, status=409 if conflict else 200)


@staff_required
def record_detail(request, pk: int):
    return render_record(request, selectors.submission_for_staff(request.user, pk))
