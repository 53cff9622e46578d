"""Paperwork in and out on the application page (issue 18 item 3): the oral application's
record and the 送达回证 printed to be signed, a letter posted then signed for or e-mailed, and
the scans that come back. Each POST parses one form, calls one service, goes back to the page."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications import paperwork, services
from gongkai.applications.models import Application, Consultation, Dispatch
from gongkai.applications.services import ApplicationError, can_handle

from .. import selectors_applications as selectors
from ..forms_paperwork import EmailForm, PostForm, ScanForm, SignedForForm
from .application_page import render_application
from .applications import _download
from .common import forbidden, run_form

ANCHOR = "paperwork"


def _get(request, pk: int) -> Application:
    return selectors.application_for_staff(request.user, pk)


def _back(application: Application):
    return redirect(reverse("workbench:application_detail", kwargs={"pk": application.pk}) + f"#{ANCHOR}")


def _act(request, application: Application, form, call, done: str):
    """Run ``call`` with the form's data and go back to the page; an invalid form or a refusal
    shows the page again (400) with the reasons."""

    def again(form, status):
        reasons = "；".join(str(e) for errors in form.errors.values() for e in errors)
        return render_application(request, application, error=reasons, status=400)

    return run_form(
        request, form, call, errors=(ApplicationError,), again=again, success=done,
        then=lambda _result: _back(application),
    )  # fmt: skip


def _printable(request, application: Application):
    """The forms carry the applicant's details: for those who handle the case's agency."""
    if not can_handle(request.user, application.agency):
        return forbidden(request, _("只有本机关的承办人员可以打印该表格。"))
    return None


@require_http_methods(["GET", "HEAD"])
@staff_required
def oral_record_pdf(request, pk: int):
    application = _get(request, pk)
    if refusal := _printable(request, application):
        return refusal
    return _download(
        paperwork.oral_record_pdf(application),
        filename=f"口头申请记录_{application.tracking_no}.pdf",
        content_type="application/pdf",
    )


@require_POST
@staff_required
def oral_record_attach(request, pk: int):
    application = _get(request, pk)
    return _act(
        request, application, ScanForm(request.POST, request.FILES),
        lambda d: services.oral_record_attach(application=application, data=d["scan"], filename=d["scan"].name,
                                              actor=request.user),
        _("已保存申请人签字的口头申请记录。"),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD"])
@staff_required
def delivery_receipt_pdf(request, pk: int, letter_pk: int):
    application = _get(request, pk)
    letter = selectors.letter_of(application, letter_pk)
    if refusal := _printable(request, application):
        return refusal
    dispatch = letter.dispatches.order_by("-created_at", "-id").first()
    return _download(
        paperwork.delivery_receipt_pdf(letter, dispatch),
        filename=f"送达回证_{application.tracking_no}_{letter.pk}.pdf",
        content_type="application/pdf",
    )


@require_POST
@staff_required
def letter_post(request, pk: int, letter_pk: int):
    application = _get(request, pk)
    letter = selectors.letter_of(application, letter_pk)
    return _act(
        request, application, PostForm(request.POST),
        lambda d: services.letter_post(letter=letter, method=d["method"], on=d["on"], carrier=d["carrier"],
                                       tracking_no=d["tracking_no"], actor=request.user),
        _("已登记交寄，签收后请登记签收。"),
    )  # fmt: skip


@require_POST
@staff_required
def letter_email(request, pk: int, letter_pk: int):
    application = _get(request, pk)
    letter = selectors.letter_of(application, letter_pk)
    return _act(
        request, application, EmailForm(request.POST),
        lambda d: services.letter_email(letter=letter, to=d["to"], actor=request.user),
        _("电子邮件已提交发送，发送结果见送达记录。"),
    )  # fmt: skip


def _dispatch(application: Application, pk: int) -> Dispatch:
    return get_object_or_404(Dispatch, pk=pk, application=application)


@require_POST
@staff_required
def dispatch_signed_for(request, pk: int, dispatch_pk: int):
    application = _get(request, pk)
    dispatch = _dispatch(application, dispatch_pk)
    return _act(
        request, application, SignedForForm(request.POST, request.FILES),
        lambda d: services.dispatch_signed_for(
            dispatch=dispatch, on=d["on"], signer=d["signer"], scan=d["scan"],
            scan_filename=d["scan"].name if d["scan"] else "", actor=request.user,
        ),
        _("已登记签收。"),
    )  # fmt: skip


@require_POST
@staff_required
def dispatch_scan(request, pk: int, dispatch_pk: int):
    application = _get(request, pk)
    dispatch = _dispatch(application, dispatch_pk)
    return _act(
        request, application, ScanForm(request.POST, request.FILES),
        lambda d: services.delivery_receipt_attach(dispatch=dispatch, data=d["scan"], filename=d["scan"].name,
                                                   actor=request.user),
        _("已保存送达回证扫描件。"),
    )  # fmt: skip


@require_POST
@staff_required
def consultation_opinion(request, pk: int, consultation_pk: int):
    application = _get(request, pk)
    consultation = get_object_or_404(Consultation, pk=consultation_pk, application=application)
    return _act(
        request, application, ScanForm(request.POST, request.FILES),
        lambda d: services.consultation_opinion_attach(consultation=consultation, data=d["scan"],
                                                       filename=d["scan"].name, actor=request.user),
        _("已保存书面意见扫描件。"),
    )  # fmt: skip
