"""Fees (fees.md): the count of matters per applicant and month, fee notices, payment and
waiver. The rules themselves are data in gongkai/applications/fees.py.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import clock as clock_engine
from .. import fees as fee_rules
from ..models import (
    Application,
    FeeNotice,
)
from ..rules import ApplicationState
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _save, _snapshot, can_approve, can_handle
from .clock_bridge import _event
from .delivery import _notice_online_receipt
from .letters import letter_create


def same_applicant(application: Application):
    """The applications of the same applicant (fees.md): an organisation by its unified social
    credit code, a person by identity number; never by name, which may be written two ways.
    None when the application carries neither (it cannot be counted with others)."""
    if application.org_code:
        return Application.objects.filter(org_code=application.org_code)
    if application.id_number:
        return Application.objects.filter(org_code="", id_number=application.id_number)
    return None


def month_matters_before(application: Application) -> int:
    """The matters (件) of the same applicant's applications to this agency received earlier in
    the calendar month of this one, in the order (date received, registration order): an
    application registered late but received earlier still comes first. Merged duplicates are
    not counted."""
    received = application.received_on or timezone.localdate()
    same = same_applicant(application)
    if same is None:
        return 0
    earlier = (
        same.filter(agency=application.agency, received_on__year=received.year)
        .filter(received_on__month=received.month)
        .exclude(pk=application.pk)
        .exclude(state=ApplicationState.MERGED)
        .filter(Q(received_on__lt=received) | Q(received_on=received, pk__lt=application.pk))
    )
    return earlier.aggregate(total=Sum("matters"))["total"] or 0


@transaction.atomic
def fee_notice_send(*, application: Application, method: str, amount: Decimal, actor, pages: int | None = None,
                    exemption: str | None = None, on: date | None = None) -> FeeNotice:  # fmt: skip
    """Send a fee notice; the platform refuses a fee the rules do not allow (fees.md)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以发出收费通知。"))
    per_count = method == fee_rules.FeeMethod.PER_COUNT
    nth = month_matters_before(application) + 1 if per_count else None
    try:
        quote = fee_rules.fee_check(
            method=method, amount=amount, nth_in_month=nth, pages=pages, exemption=exemption,
            matters=application.matters if per_count else 1, matters_reason=application.matters_reason,
        )  # fmt: skip
    except fee_rules.FeeNotAllowed as exc:
        raise ApplicationError(str(exc)) from exc
    on = on or timezone.localdate()
    _event(application, clock_engine.EventKind.FEE_NOTICE_SENT, on, actor=actor, basis="国办函〔2020〕109号")
    state = clock_state(application)
    fee = FeeNotice.objects.create(
        application=application, method=method, amount=quote.amount, basis=quote.basis, nth_in_month=nth, pages=pages,
        sent_on=on, pay_by=state.fee_payment_due_on,
    )  # fmt: skip
    letter = letter_create(
        application=application, kind="fee_notice", actor=actor, fee_amount=quote.amount, fee_basis=quote.basis,
        fee_pay_by=state.fee_payment_due_on,
    )  # fmt: skip
    if _notice_online_receipt(application, letter) is not None:
        fee.refresh_from_db(fields=["pay_by"])
    _save(application, actor, "fee_notice_send", _snapshot(application))
    return fee


@transaction.atomic
def application_matters_set(
    *, application: Application, matters: int, reason: str, actor, co_applicants: str | None = None
) -> Application:
    """一事一申请 (fees.md): record that the application holds ``matters`` matters (件), with the
    reason; the per-count fee counts matters, not rows. ``co_applicants`` lists the others of a
    joint application (the lead applicant is the application's own)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if isinstance(matters, bool) or not isinstance(matters, int) or not 1 <= matters <= 100:
        raise ApplicationError(_("件数应为1至100之间的整数。"))
    if matters > 1 and not reason.strip():
        raise ApplicationError(_("按多件计算的，须写明拆分的理由（一事一申请）。"))
    if application.fees.exists():
        raise ApplicationError(_("已发出收费通知的申请不能再更改件数。"))
    before = _snapshot(application) | {
        "matters": application.matters,
        "co_applicants": application.co_applicants,
    }
    application.matters, application.matters_reason = matters, reason.strip() if matters > 1 else ""
    if co_applicants is not None:
        application.co_applicants = co_applicants.strip()
    return _save(application, actor, "application_matters_set", before)


@transaction.atomic
def fee_pay(*, fee: FeeNotice, on: date, amount: Decimal, receipt_no: str, actor) -> FeeNotice:
    application = _lock(fee.application)
    _require(can_handle(actor, application.agency))
    fee = FeeNotice.objects.select_for_update().get(pk=fee.pk)
    if fee.paid_on or fee.waived:
        raise ApplicationError(_("该收费通知已办结。"))
    due = fee.waived_to if fee.waived_to is not None else fee.amount
    if amount != due:
        raise ApplicationError(_("缴费金额应为%(due)s元。") % {"due": due})
    if not receipt_no.strip():
        raise ApplicationError(_("请填写票据号。"))
    fee.paid_on, fee.paid_amount, fee.receipt_no = on, amount, receipt_no.strip()
    fee.save()
    application.fee_yuan = (application.fee_yuan or Decimal(0)) + amount
    _event(application, clock_engine.EventKind.FEE_PAID, on, actor=actor, basis="国办函〔2020〕109号")
    _save(application, actor, "fee_pay", _snapshot(application))
    return fee


@transaction.atomic
def fee_waive(
    *, fee: FeeNotice, reduced_to: Decimal, reason: str, actor, on: date | None = None
) -> FeeNotice:
    """Waive or reduce a fee for an applicant in difficulty (office head's approval)."""
    application = _lock(fee.application)
    _require(can_approve(actor, application.agency))
    fee = FeeNotice.objects.select_for_update().get(pk=fee.pk)
    if fee.paid_on or fee.waived:
        raise ApplicationError(_("该收费通知已办结。"))
    quote = fee_rules.FeeQuote(method=fee.method, amount=fee.amount, basis=fee.basis, lines=())
    try:
        fee_rules.waiver_apply(quote=quote, reduced_to=reduced_to, approved_by_office_head=True)
    except fee_rules.FeeNotAllowed as exc:
        raise ApplicationError(str(exc)) from exc
    fee.waived_to, fee.waiver_approved_by = reduced_to, actor
    fee.waived = reduced_to == 0
    fee.save()
    if fee.waived:
        _event(application, clock_engine.EventKind.FEE_WAIVED, on or timezone.localdate(), actor=actor, note=reason,
               basis="国办函〔2020〕109号")  # fmt: skip
    _save(application, actor, "fee_waive", _snapshot(application))
    return fee
