"""Disclosure on application, the applicant's side: the form, the confirmation with its receipt,
and the progress page (regulation.md, "Disclosure on application"; security.md).

The tracking number and query code travel in the session, never in a URL; the query code is
shown once. Pages that carry what someone typed are never cached.
"""

import uuid

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.network import client_ip
from gongkai.applications import letters, services
from gongkai.applications.forms import ApplicationForm
from gongkai.applications.progress import applicant_application, applicant_letter, application_progress
from gongkai.applications.rules import ApplicantType, IdType
from gongkai.core.files.kinds import KINDS, AttachmentError
from gongkai.core.http import is_disk_full

from .double_submit import first_result

# Session keys: the last submission (for the confirmation and the receipt) and the
# applications whose code was entered in this session (for their reply letters).
DONE_KEY = "apply_done"
ACCESS_KEY = "progress_access"
ACCESS_KEEP = 10
# A double click's second request waits this long for the first to finish and show its result.
IDENTITY_PROOF_FIELD = "identity_proof"
IDENTITY_PROOF_EXTENSIONS = tuple(ext for k in ("pdf", "jpeg", "png", "gif") for ext in KINDS[k].extensions)
SENSITIVE = ("id_number", "org_code", "phone", "email", "address", "query_code")


def identity_proof_limit() -> int:
    """Identity proofs are a scan or a photo: a smaller limit than documents' attachments."""
    default = 10 * 1024 * 1024
    limit = getattr(settings, "GONGKAI_MAX_IDENTITY_PROOF_BYTES", default)
    return min(limit, settings.GONGKAI_MAX_ATTACHMENT_BYTES)


class ApplyForm(ApplicationForm):
    """The shared application form plus what only the web page has: the identity proof."""

    identity_proof = forms.FileField(
        label=gettext_lazy("身份证明（选填）"),
        required=False,
        help_text=gettext_lazy(
            "身份证件或营业执照等的照片或扫描件，PDF、JPG、PNG、GIF 格式；也可在工作人员联系您时补充提供。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons: on a phone all choices show at once and take one tap.
        self.fields["applicant_type"].widget = forms.RadioSelect(
            choices=self.fields["applicant_type"].choices
        )
        self.fields["applicant_type"].initial = ApplicantType.NATURAL_PERSON
        # No empty choice: the resident ID card is preselected, also after the organisation's
        # fields were shown (their form sends no id_type) and the person's are shown again.
        self.fields["id_type"].choices = IdType.choices
        self.fields["website"].label = gettext_lazy("请勿填写")

    def clean_identity_proof(self):
        """Only the kinds the help text names (a scan or a photo); the content is checked
        against the extension when the application is stored (catalogue/uploads.py)."""
        upload = self.cleaned_data.get(IDENTITY_PROOF_FIELD)
        if upload and not upload.name.lower().endswith(IDENTITY_PROOF_EXTENSIONS):
            raise forms.ValidationError(
                _("不支持该类型的文件：身份证明只接受 PDF、JPG、PNG、GIF 格式，请转换格式后重新选择。")
            )
        return upload

    def clean(self):
        data = super().clean()
        # Without the script both sets of fields are sent: keep only the applicant type's own.
        if data.get("applicant_type") == ApplicantType.NATURAL_PERSON:
            data["org_code"] = data["contact_name"] = ""
        elif data.get("applicant_type"):
            data["id_type"] = data["id_number"] = ""
        return data


class ProgressForm(forms.Form):
    tracking_no = forms.CharField(label=gettext_lazy("申请编号"), max_length=32)
    query_code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_tracking_no(self):
        return self.cleaned_data["tracking_no"].strip()

    def clean_query_code(self):
        return self.cleaned_data["query_code"].strip().upper()


class IdentityProofLimit(FileUploadHandler):
    """Stops reading an identity proof past the limit, and any other file at once, so that a
    large body is neither kept in memory nor written to disk (Django has no such limit)."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if field_name != IDENTITY_PROOF_FIELD:
            raise SkipFile
        if self.content_length and self.content_length > self.limit:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        self.request.identity_proof_too_big = True
        raise SkipFile


def _token(raw) -> str | None:
    try:
        return str(uuid.UUID(str(raw)))
    except ValueError:
        return None


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _render_form(request, form, token: str, status: int = 200):
    return render(
        request,
        "portal/apply.html",
        {"form": form, "token": token, "proof_limit": _human_size(identity_proof_limit())},
        status=status,
    )


@csrf_exempt  # checked below, once the upload limit is in place (csrf would read the body first)
@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def apply(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, IdentityProofLimit(request, identity_proof_limit()))
    return _apply(request)


@csrf_protect
def _apply(request):
    if request.method != "POST":
        # The session must exist before the form is sent, so that both requests of a double
        # click share it and the second can find the first one's result.
        request.session.setdefault(DONE_KEY, None)
        initial = {"agency": request.GET.get("agency", "").strip()[:32]} if request.GET.get("agency") else {}
        return _render_form(request, ApplyForm(initial=initial), str(uuid.uuid4()))

    token = _token(request.POST.get("token"))
    done = request.session.get(DONE_KEY)
    if token and done and done.get("token") == token:
        return redirect("portal:apply_done")  # the form was sent again: show the first result
    form = ApplyForm(request.POST, request.FILES)
    valid = form.is_valid()
    if getattr(request, "identity_proof_too_big", False):
        form.add_error(
            IDENTITY_PROOF_FIELD,
            _("文件超过大小上限 %(limit)s，请压缩后重新选择。")
            % {"limit": _human_size(identity_proof_limit())},
        )
        valid = False
    if token is None:
        form.add_error(None, _("页面已失效，请核对后再次提交。"))
        return _render_form(request, form, str(uuid.uuid4()))
    if not valid:
        return _render_form(request, form, token)
    try:
        submitted = services.application_submit_online(
            data=form.cleaned_data,
            client_ip=client_ip(request),
            idempotency_key=token,
            identity_proof=form.cleaned_data.get(IDENTITY_PROOF_FIELD),
        )
    except services.RateLimited as exc:
        form.add_error(None, str(exc))
        return _render_form(request, form, token, status=429)
    except services.ApplicationError as exc:
        if isinstance(exc.__cause__, AttachmentError):
            form.add_error(IDENTITY_PROOF_FIELD, str(exc))
            return _render_form(request, form, token)
        return _duplicate(request, form, token, str(exc))
    except IntegrityError:  # both requests of a double click reached the database at once
        return _duplicate(request, form, token, _("该申请已提交，请勿重复提交。"))
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        # The transaction rolled back and the storage removed its partial file: nothing was
        # saved, so the person's text stays on the page to send again.
        form.add_error(
            None, _("服务器存储空间暂时不足，您的申请未能保存。请稍后再次提交，已填写的内容仍保留在本页。")
        )
        return _render_form(request, form, token, status=503)
    application = submitted.application
    request.session[DONE_KEY] = {
        "token": token,
        "tracking_no": application.tracking_no,
        "query_code": submitted.query_code,
        "agency_name": application.agency.name,
        "shown": False,
    }
    return redirect("portal:apply_done")


def _duplicate(request, form, token: str, message: str):
    if first_result(request, token, DONE_KEY):
        return redirect("portal:apply_done")
    form.add_error(None, message)
    return _render_form(request, form, str(uuid.uuid4()))


@never_cache
@require_GET
def apply_done(request):
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("portal:apply")
    show_code = not done.get("shown")
    if show_code:
        request.session[DONE_KEY] = {**done, "shown": True}
    return render(request, "portal/apply_done.html", {"done": done, "show_code": show_code})


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Security-Policy"] = "sandbox"
    return response


@never_cache
@require_GET
def apply_receipt(request):
    """The receipt (接收回执) of the submission made in this session, with its query code."""
    done = request.session.get(DONE_KEY)
    application = done and services.application_find(
        tracking_no=done["tracking_no"], query_code=done["query_code"]
    )
    if not application:
        raise Http404
    context = services.letter_context(application, query_code=done["query_code"])
    return _pdf(letters.receipt_pdf(context), f"receipt-{application.tracking_no}.pdf")


@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def progress(request):
    form = ProgressForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid() and not services.lookup_allowed(client_ip(request)):
        form.add_error(None, _("查询过于频繁，请十分钟后再试。"))
    elif request.method == "POST" and form.is_valid():
        application = services.application_find(
            tracking_no=form.cleaned_data["tracking_no"], query_code=form.cleaned_data["query_code"]
        )
        if application is None:
            # The same answer for an unknown number and a wrong code: neither is confirmed.
            form.add_error(None, _("申请编号或查询码不正确，请核对后重新输入。"))
        else:
            access = [pk for pk in request.session.get(ACCESS_KEY, []) if pk != application.pk]
            request.session[ACCESS_KEY] = [application.pk, *access][:ACCESS_KEEP]
            found = application_progress(application)
            form = ProgressForm()  # the code is not written back into the page
    return render(request, "portal/progress.html", {"form": form, "progress": found})


@never_cache
@require_GET
def progress_letter(request, pk: int):
    """A delivered reply letter as PDF, for a session that entered its application's code."""
    letter = applicant_letter(letter_pk=pk, application_pks=request.session.get(ACCESS_KEY, []))
    if letter is None:
        raise Http404
    name = f"{letter.letter_no or letter.title}.pdf"
    return _pdf(letters.letter_pdf(services.letter_rendered(letter)), name)


@sensitive_post_parameters(*SENSITIVE)
@never_cache
@require_POST
def progress_correct(request, pk: int):
    """The applicant's corrected application, for a session that entered the query code."""
    application = applicant_application(pk=pk, application_pks=request.session.get(ACCESS_KEY, []))
    if application is None:
        raise Http404
    description = request.POST.get("description", "")
    correction_error = ""
    try:
        application = services.correction_submit_by_applicant(
            application=application, description=description, doc_no=request.POST.get("doc_no", "")
        )
    except services.ApplicationError as exc:
        correction_error = str(exc)
    context = {
        "form": ProgressForm(),
        "progress": application_progress(application),
        "correction_error": correction_error,
        "correction_typed": description,
        "corrected": not correction_error,
    }
    return render(request, "portal/progress.html", context, status=400 if correction_error else 200)
