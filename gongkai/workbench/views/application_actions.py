"""The state changes on an application page: each POST parses one form, calls one service of
gongkai.applications.services, then goes back to the page (PRG). A refusal re-renders the page
with the form as typed and the reason; a concurrent change ends in a conflict message (409)."""

from collections.abc import Callable

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications import services
from gongkai.applications.models import Application, Consultation, FeeNotice
from gongkai.applications.rules import Outcome
from gongkai.applications.services import ApplicationError

from .. import selectors_applications as selectors
from ..forms_applications import (
    AssignForm,
    CaseForm,
    CaseResultForm,
    ConfirmForm,
    ConsultDeliveredForm,
    ConsultEndForm,
    ConsultForm,
    CorrectionForm,
    CorrectionReceiveForm,
    DecideForm,
    DeliverForm,
    ExcessiveLaterDateForm,
    ExcessiveReasonsForm,
    ExtensionForm,
    FeeNoticeForm,
    FeePayForm,
    FeeWaiveForm,
    LinkForm,
    MattersForm,
    MergeForm,
    ProvidedFileForm,
    TransferForm,
)
from .application_page import (
    case_result_prefix,
    consultation_delivered_prefix,
    consultation_prefix,
    fee_pay_prefix,
    fee_waive_prefix,
    letter_prefix,
    render_application,
)
from .common import run_service


def _back(application: Application, anchor: str = ""):
    url = reverse("workbench:application_detail", kwargs={"pk": application.pk})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _act(
    request, application: Application, form, call: Callable[[dict], object], done: str, anchor: str = ""
):
    """Validate ``form``, run ``call`` with its data and go back to the page; on a refusal show
    the page again with what was typed and why."""
    if not form.is_valid():
        return render_application(request, application, forms={form.prefix: form})

    def conflict(exc):
        # Someone acted first: the page as it is now, the form refilled at the current version.
        fresh = selectors.application_for_staff(request.user, application.pk)
        data = request.POST.copy()
        data[f"{form.prefix}-version"] = fresh.version
        again = type(form)(data, request.FILES or None, prefix=form.prefix)
        message = str(exc) + _("当前状态：%(state)s。") % {"state": fresh.get_state_display()}
        return render_application(request, fresh, forms={form.prefix: again}, conflict=message, status=409)

    def refused(exc):
        form.add_error(None, str(exc))
        return render_application(request, application, forms={form.prefix: form}, error=str(exc))

    return run_service(
        request, lambda: call(form.cleaned_data), errors=(ApplicationError,), refused=refused,
        conflict=conflict, success=done, then=lambda _result: _back(application, anchor),
    )  # fmt: skip


def _get(request, pk: int) -> Application:
    return selectors.application_for_staff(request.user, pk)


@require_POST
@staff_required
def application_confirm(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ConfirmForm(request.POST),
        lambda d: services.application_confirm_receipt(
            application=a, on=d["on"], actor=request.user, expected_version=d["version"]
        ),
        _("已确认收到申请，答复期限自收到之日起计算。"), "clock",
    )  # fmt: skip


@require_POST
@staff_required
def application_correction(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, CorrectionForm(request.POST),
        lambda d: services.correction_request(
            application=a, items=d["items"], days=d["days"], on=d["on"], actor=request.user
        ),
        _("已生成补正告知书，请送达申请人。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_correction_receive(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, CorrectionReceiveForm(request.POST),
        lambda d: services.correction_receive(
            application=a, on=d["on"], description=d["description"], actor=request.user
        ),
        _("已登记补正，答复期限重新计算。"), "clock",
    )  # fmt: skip


@require_POST
@staff_required
def application_consult(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ConsultForm(request.POST),
        lambda d: services.consultation_start(
            application=a, party=d["party"], party_name=d["party_name"], on=d["on"], actor=request.user
        ),
        _("已发起征求意见，征求意见期间不计入答复期限。"), "consultations",
    )  # fmt: skip


@require_POST
@staff_required
def application_consult_delivered(request, pk: int, consultation_pk: int):
    a = _get(request, pk)
    consultation = get_object_or_404(Consultation, pk=consultation_pk, application=a)
    return _act(
        request, a, ConsultDeliveredForm(request.POST, prefix=consultation_delivered_prefix(consultation.pk)),
        lambda d: services.consultation_delivered(consultation=consultation, on=d["on"], actor=request.user),
        _("已登记被征求意见方收到的日期，答复期限自次日起计算。"), "consultations",
    )  # fmt: skip


@require_POST
@staff_required
def application_consult_end(request, pk: int, consultation_pk: int):
    a = _get(request, pk)
    consultation = get_object_or_404(Consultation, pk=consultation_pk, application=a)
    return _act(
        request, a, ConsultEndForm(request.POST, request.FILES, prefix=consultation_prefix(consultation.pk)),
        lambda d: services.consultation_end(
            consultation=consultation, on=d["on"], answer=d["answer"], reasons=d["reasons"],
            opinion=d.get("opinion"), actor=request.user,
        ),
        _("已登记征求意见结果。"), "consultations",
    )  # fmt: skip


@require_POST
@staff_required
def application_extend(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ExtensionForm(request.POST),
        lambda d: services.extension_grant(
            application=a, days=d["days"], reason=d["reason"], on=d["on"], actor=request.user
        ),
        _("已延期，请在原期限届满前将延期告知书送达申请人。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_excessive(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ExcessiveReasonsForm(request.POST),
        lambda d: services.excessive_reasons_request(application=a, on=d["on"], actor=request.user),
        _("已生成说明理由告知书，请送达申请人。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_later_date(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ExcessiveLaterDateForm(request.POST),
        lambda d: services.excessive_later_date_set(
            application=a, until=d["until"], reason=d["reason"], on=d["on"], actor=request.user
        ),
        _("已确定延迟答复日期。"), "clock",
    )  # fmt: skip


@require_POST
@staff_required
def application_fee_notice(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, FeeNoticeForm(request.POST),
        lambda d: services.fee_notice_send(
            application=a, method=d["method"], amount=d["amount"], pages=d["pages"],
            exemption=d["exemption"] or None, on=d["on"], actor=request.user,
        ),
        _("已生成收费通知书，缴费期间不计入答复期限。"), "fees",
    )  # fmt: skip


@require_POST
@staff_required
def application_matters(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, MattersForm(request.POST),
        lambda d: services.application_matters_set(
            application=a, matters=d["matters"], reason=d["reason"], co_applicants=d["co_applicants"],
            actor=request.user,
        ),
        _("已保存计件和共同申请人。"), "matters",
    )  # fmt: skip


@require_POST
@staff_required
def application_fee_pay(request, pk: int, fee_pk: int):
    a = _get(request, pk)
    fee = get_object_or_404(FeeNotice, pk=fee_pk, application=a)
    return _act(
        request, a, FeePayForm(request.POST, prefix=fee_pay_prefix(fee.pk)),
        lambda d: services.fee_pay(
            fee=fee, on=d["on"], amount=d["amount"], receipt_no=d["receipt_no"], actor=request.user
        ),
        _("已登记缴费。"), "fees",
    )  # fmt: skip


@require_POST
@staff_required
def application_fee_waive(request, pk: int, fee_pk: int):
    a = _get(request, pk)
    fee = get_object_or_404(FeeNotice, pk=fee_pk, application=a)
    return _act(
        request, a, FeeWaiveForm(request.POST, prefix=fee_waive_prefix(fee.pk)),
        lambda d: services.fee_waive(fee=fee, reduced_to=d["reduced_to"], reason=d["reason"], actor=request.user),
        _("已批准减免。"), "fees",
    )  # fmt: skip


@require_POST
@staff_required
def application_decide(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, DecideForm(request.POST),
        lambda d: services.application_decide(
            application=a, outcome=d["outcome"], reasons=d["reasons"], provided_how=d["provided_how"],
            withheld_parts=d["withheld_parts"], other_agency=d["other_agency"], actor=request.user,
            expected_version=d["version"], scan_confirm=d["scan_confirm"],
        ),
        _("已作出决定并生成答复书，请送达申请人。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_transfer(request, pk: int):
    """Another agency holds the information: the reply names it (Art. 36(5))."""
    a = _get(request, pk)
    return _act(
        request, a, TransferForm(request.POST),
        lambda d: services.application_decide(
            application=a, outcome=Outcome.UNAVAILABLE_NOT_HELD, reasons=d["reasons"],
            other_agency=d["other_agency"], actor=request.user, expected_version=d["version"],
        ),
        _("已生成告知书，告知申请人向负责机关申请，请送达申请人。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_provided_file(request, pk: int):
    a = _get(request, pk)

    def add(d):
        upload = d["file"]  # on disk past FILE_UPLOAD_MAX_MEMORY_SIZE: inspected and stored in chunks
        return services.provided_file_add(
            application=a,
            data=upload,
            filename=upload.name,
            redact=d["redact"],
            ground=d["ground"],
            actor=request.user,
        )

    form = ProvidedFileForm(request.POST, request.FILES)
    return _act(request, a, form, add, _("文件已保存。"), "files")


@require_POST
@staff_required
def application_deliver(request, pk: int, letter_pk: int):
    a = _get(request, pk)
    letter = selectors.letter_of(a, letter_pk)
    return _act(
        request, a, DeliverForm(request.POST, prefix=letter_prefix(letter.pk)),
        lambda d: services.letter_deliver(letter=letter, method=d["method"], on=d["on"], proof=d["proof"], actor=request.user),
        _("已登记送达。"), "letters",
    )  # fmt: skip


@require_POST
@staff_required
def application_merge(request, pk: int):
    a = _get(request, pk)

    def merge(d):
        into = selectors.application_by_tracking_no(a, d["into"])
        if into is None:
            raise ApplicationError(_("本机关没有编号为“%(no)s”的其他申请。") % {"no": d["into"].strip()[:32]})
        return services.application_merge(duplicate=a, into=into, actor=request.user)

    return _act(request, a, MergeForm(request.POST), merge, _("已合并为重复申请。"))


@require_POST
@staff_required
def application_case(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, CaseForm(request.POST),
        lambda d: services.remedy_case_record(
            application=a, kind=d["kind"], filed_on=d["filed_on"], decided_on=d["decided_on"],
            result=d["result"], note=d["note"], actor=request.user,
        ),
        _("已登记复议诉讼案件。"), "cases",
    )  # fmt: skip


@require_POST
@staff_required
def application_case_result(request, pk: int, case_pk: int):
    a = _get(request, pk)
    case = selectors.case_of(a, case_pk)
    return _act(
        request, a, CaseResultForm(request.POST, prefix=case_result_prefix(case.pk)),
        lambda d: services.remedy_case_update(
            case=case, decided_on=d["decided_on"], result=d["result"], note=d["note"], actor=request.user
        ),
        _("已登记案件结果。"), "cases",
    )  # fmt: skip


@require_POST
@staff_required
def application_assign(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, AssignForm(request.POST, agency=a.agency),
        lambda d: services.application_assign(application=a, assignee=d["assignee"], actor=request.user),
        _("已指定承办人。"), "form",
    )  # fmt: skip


@require_POST
@staff_required
def application_link(request, pk: int):
    """Link another application of the agency (an applicant's earlier one, a related request)."""
    a = _get(request, pk)

    def link(d):
        other = selectors.application_by_tracking_no(a, d["other"])
        if other is None:
            raise ApplicationError(
                _("本机关没有编号为“%(no)s”的其他申请。") % {"no": d["other"].strip()[:32]}
            )
        return services.application_link(application=a, other=other, actor=request.user)

    return _act(request, a, LinkForm(request.POST), link, _("已关联申请。"), "similar")


@require_POST
@staff_required
def application_abandon(request, pk: int):
    """Close now an application whose applicant let their time run out (the daily job would)."""
    a = _get(request, pk)
    return run_service(
        request,
        lambda: services.application_abandon(application=a, actor=request.user, today=timezone.localdate()),
        errors=(ApplicationError,),
        refused=lambda exc: render_application(request, a, error=str(exc)),
        success=_("已按申请人逾期未补正或未缴费办结。"),
        then=lambda _result: _back(a),
    )
