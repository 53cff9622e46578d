"""Disclosure on application in the workbench: the list, registration of applications received
off-line, the application page and what it serves (letters as PDF/DOCX, files, the whole file as
a zip). State changes are in application_actions.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications import letters
from gongkai.applications.models import ApplicationFile
from gongkai.applications.personal_data import Shown, may_reveal
from gongkai.applications.rules import RECEIPT_RULES, Channel
from gongkai.applications.services import (
    ApplicationError,
    application_register,
    applications_assign,
    letter_context,
    letter_rendered,
)

from .. import selectors_applications as selectors
from ..forms_applications import ApplicationFilterForm, BulkAssignForm, StaffRegisterForm
from ..reveal import audit_download
from .application_export import application_package
from .application_page import QUERY_CODE_SESSION_KEY, render_application, session_query_code
from .common import forbidden, page, run_service

PAGE_SIZE = 20
# Served files must never run as a page of this site, whatever their content (security.md).
FILE_CSP = "default-src 'none'; sandbox"


def _download(body, *, filename: str, content_type: str):
    """``body`` (bytes or an open file) as an attachment that no browser runs or caches."""
    if isinstance(body, bytes):
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(body, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, no-store"  # personal data: never kept by a proxy
    return response


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_list(request):
    """Applications of the agencies in scope, earliest reply date first, personal data masked.
    Filters that do not parse are ignored; the valid ones still apply."""
    today = timezone.localdate()
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    applications = selectors.applications_in_scope(request.user)
    can_handle = selectors.handling_agencies(request.user).exists()
    if form.is_bound:
        form.is_valid()
        f = form.cleaned_data
        if f.get("q"):
            applications = selectors.search_applications(applications, request.user, f["q"])
        if f.get("mine"):
            applications = applications.filter(assigned_to=request.user)
        if f.get("state"):
            applications = applications.filter(state=f["state"])
        if f.get("channel"):
            applications = applications.filter(channel=f["channel"])
        if f.get("agency"):
            applications = applications.filter(agency=f["agency"])
        if f.get("overdue"):
            applications = selectors.filter_overdue(applications, today)
        if f.get("receipt_missing"):  # a notice out, its receipt not recorded: cannot lapse
            applications = selectors.filter_receipt_missing(applications)
        if f.get("due_within") is not None:
            applications = selectors.filter_due_within(applications, today, f["due_within"])
    page_obj = Paginator(selectors.by_due_date(applications), PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": selectors.decorate(page_obj.object_list, today),
        "filters": filters,
        "filtered": bool(filters),
        "can_register": can_handle,
        "bulk_form": BulkAssignForm(user=request.user) if can_handle else None,
        "due_soon_days": selectors.DUE_SOON_DAYS,
    }
    return page(request, "workbench/applications/list.html", context)


@require_POST
@staff_required
def application_bulk_assign(request):
    """Assign the applications ticked in the list to one handler, all or none; each assignment is
    checked (the user handles applications of that agency, the handler belongs to it) and audited
    by the service."""
    form = BulkAssignForm(request.POST, user=request.user)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    chosen = selectors.applications_in_scope(request.user).filter(pk__in=ids).order_by("pk")
    back = request.POST.get("next", "")
    target = reverse("workbench:application_list") + (f"?{back}" if back else "")
    if not form.is_valid():
        messages.error(request, _("请选择承办人。"))
        return redirect(target)
    assignee = form.cleaned_data["assignee"]

    def done(assigned):
        messages.success(
            request,
            _("已将 %(n)d 件申请交由 %(who)s 承办。")
            % {"n": len(assigned), "who": assignee.get_full_name() or assignee.get_username()},
        )
        return redirect(target)

    return run_service(
        request,
        lambda: applications_assign(applications=chosen, assignee=assignee, actor=request.user),
        errors=(ApplicationError,),
        refused=lambda exc: (messages.error(request, str(exc)), redirect(target))[1],
        then=done,
    )


def _registered(request, submitted):
    application = submitted.application
    # The query code is shown once, on the next page, and printed on the receipt
    # while this session lasts; the database keeps only its hash.
    request.session[QUERY_CODE_SESSION_KEY] = {
        "pk": application.pk,
        "code": submitted.query_code,
        "shown": False,
    }
    messages.success(request, _("申请已登记，申请编号：%(no)s。") % {"no": application.tracking_no})
    return redirect("workbench:application_detail", pk=application.pk)


@sensitive_post_parameters("id_number", "phone", "email", "address")
@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def application_register_view(request):
    """Register an application received by post, in person, by fax or orally (the clerk fills in
    the form for the applicant); the receipt date follows Art. 31 for the channel."""
    agencies = selectors.handling_agencies(request.user)
    if not agencies.exists():
        raise Http404  # only those who handle applications register them
    if request.method == "POST":
        form = StaffRegisterForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            response = run_service(
                request,
                lambda: application_register(
                    data=d,
                    channel=d["channel"],
                    received_on=d["received_on"],
                    actor=request.user,
                    scans=form.scans(),
                ),
                errors=(ApplicationError,),
                refused=lambda exc: form.add_error(None, str(exc)),
                then=lambda submitted: _registered(request, submitted),
            )
            if response is not None:
                return response
    else:
        initial = {"agency": agencies[0].code} if len(agencies) == 1 else {}
        form = StaffRegisterForm(initial=initial, user=request.user)
    return register_page(request, form, chosen_channel=form["channel"].value())


def register_page(request, form, **context):
    """The staff registration page with ``form`` and each channel's receipt rule (the page shows
    the chosen channel's); also the look-up's answer (applicant_lookup.py)."""
    rules = [
        {"channel": value, "label": label, "rule": RECEIPT_RULES[Channel(value)]}
        for value, label in form.fields["channel"].choices
    ]
    return page(
        request, "workbench/applications/register.html", {"form": form, "receipt_rules": rules, **context}
    )


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_detail(request, pk: int):
    return render_application(request, selectors.application_for_staff(request.user, pk))


def _letter_filename(letter, extension: str) -> str:
    name = f"{letter.title}{('_' + letter.letter_no) if letter.letter_no else ''}"
    return "".join(c if c.isalnum() or c in "〔〕_-" else "_" for c in name) + extension


def _letter_download(request, pk: int, letter_pk: int, make, extension: str, content_type: str):
    """One letter of the case as a file, made by ``make`` (letters.letter_pdf or letter_docx)."""
    application = selectors.application_for_staff(request.user, pk)
    letter = selectors.letter_of(application, letter_pk)
    return _download(
        make(letter_rendered(letter)), filename=_letter_filename(letter, extension), content_type=content_type
    )


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_letter_pdf(request, pk: int, letter_pk: int):
    return _letter_download(request, pk, letter_pk, letters.letter_pdf, ".pdf", "application/pdf")


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_letter_docx(request, pk: int, letter_pk: int):
    return _letter_download(
        request, pk, letter_pk, letters.letter_docx, ".docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_file_download(request, pk: int, file_pk: int):
    application = selectors.application_for_staff(request.user, pk)
    row = selectors.file_of(application, file_pk)
    if row.kind in selectors.PERSONAL_FILE_KINDS and not selectors.is_agency_staff(
        request.user, application.agency
    ):
        return forbidden(request, _("身份证明、未遮盖的原件等材料仅受理机关工作人员可以查看。"))
    if row.kind == ApplicationFile.Kind.IDENTITY_PROOF:
        # The applicant's identity proof: only the staff handling the case, after a reveal
        # with a reason; each download is audited (applications/personal_data.py).
        if not may_reveal(request.user, application):
            return forbidden(request, _("申请人的身份证明仅本申请的承办人、登记人和公开办负责人可以查看。"))
        try:
            handle = row.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        if not audit_download(request, application, shown=Shown.IDENTITY_PROOF, file=row):
            handle.close()
            return forbidden(request, _("请先在申请页面点击“显示完整信息”并填写理由，再查看身份证明。"))
        return _download(
            handle, filename=row.title, content_type=row.content_type or "application/octet-stream"
        )
    try:
        handle = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return _download(handle, filename=row.title, content_type=row.content_type or "application/octet-stream")


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_export(request, pk: int):
    """The whole file as one zip (summary, every letter as PDF, every file including the
    internal originals): for the agency's own staff only. The applicant's personal data is
    masked and the identity proofs left out, unless the staff handling the case revealed them
    (then the export is audited with the reveal's reason)."""
    application = selectors.application_for_staff(request.user, pk)
    if not selectors.is_agency_staff(request.user, application.agency):
        return forbidden(request, _("完整案卷含申请人的个人信息，仅受理机关工作人员可以导出。"))
    full = audit_download(request, application, shown=Shown.CASE_EXPORT)
    return _download(
        application_package(application, full=full),
        filename=f"申请案卷_{application.tracking_no}.zip",
        content_type="application/zip",
    )


@require_http_methods(["GET", "HEAD"])
@staff_required
def application_receipt(request, pk: int):
    """The receipt (接收回执) of an application registered in this session, with its query code,
    for the clerk to hand or post to the applicant. Any other session: not found, as the code
    exists nowhere else in clear."""
    application = selectors.application_for_staff(request.user, pk)
    code = session_query_code(request, application)
    if not code:
        raise Http404
    context = letter_context(application, query_code=code, due_on=application.reply_due_on)
    return _download(
        letters.receipt_pdf(context),
        filename=f"接收回执_{application.tracking_no}.pdf",
        content_type="application/pdf",
    )
