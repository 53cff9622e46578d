"""Delivery of letters and the receipts of notices that start a period the applicant keeps
(regulation.md, "Periods the applicant keeps"), online or recorded by hand.
"""

import smtplib
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from gongkai.core.audit import audit_record

from .. import clock as clock_engine
from ..models import (
    Application,
    DeliveryRecord,
    FeeNotice,
    Letter,
)
from ..rules import (
    Channel,
    Delivery,
)
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _save, _snapshot, _transition, can_handle
from .clock_bridge import _event

# The notices that start a period the applicant keeps (regulation.md, "Periods the applicant
# keeps"): letter kind -> (the clock's name for it, the event recording its receipt, basis).
NOTICE_RECEIPTS = {
    "correction": ("correction", clock_engine.EventKind.CORRECTION_NOTICE_RECEIVED, "《条例》第三十条"),
    "fee_notice": ("fee", clock_engine.EventKind.FEE_NOTICE_RECEIVED, "国办函〔2020〕109号"),
}
# What the delivery record of a notice delivered online says (shown on the workbench).
ONLINE_RECEIPT_PROOF = _lazy("网上送达：已在进度查询页面公布并发送电子邮件（系统自动登记）")
_NOTICE_SENT = {
    "correction": clock_engine.EventKind.CORRECTION_REQUESTED,
    "fee": clock_engine.EventKind.FEE_NOTICE_SENT,
}


def _awaits_receipt(application: Application, letter: Letter, notice: str) -> bool:
    """Is ``letter`` the notice whose receipt the clock still waits for (the latest one)?"""
    try:
        waiting = notice in clock_state(application).notices_awaiting_receipt
    except clock_engine.ClockError:
        return False
    latest = application.letters.filter(kind=letter.kind).order_by("-created_at", "-id").first()
    return waiting and latest is not None and latest.pk == letter.pk


def _record_notice_receipt(application, letter, notice, on: date, method: str, actor) -> None:
    name, kind, basis = notice
    sent = application.clock_events.filter(kind=_NOTICE_SENT[name]).order_by("-on", "-id").first()
    sent_on = sent.on if sent is not None else timezone.localdate(letter.created_at)
    if on < sent_on:
        raise ApplicationError(
            _("回执日期%(on)s早于%(title)s的发出日期%(sent)s。")
            % {"on": on.isoformat(), "title": letter.title, "sent": sent_on.isoformat()}
        )
    method_label = dict(DeliveryRecord._meta.get_field("method").choices).get(method, method)
    _event(application, kind, on, actor=actor, basis=basis,
           note=_("申请人收到%(title)s（%(method)s）") % {"title": letter.title, "method": method_label})  # fmt: skip
    if name == "fee":  # the payment deadline is known now: onto the fee notice's record
        due = clock_state(application).fee_payment_due_on
        open_fees = FeeNotice.objects.filter(application=application, paid_on__isnull=True, waived=False)
        open_fees.update(pay_by=due)


def notice_goes_online(application: Application) -> bool:
    """Is a notice to this applicant delivered online (regulation.md, "Periods the applicant
    keeps")? For an application made online (Art. 31(3)) whose applicant gave an e-mail address:
    the notice is on the progress page the day it is issued and an e-mail says so. Posted, faxed,
    in-person and oral applications, and online ones without an address, keep the manual record
    of the return receipt or the day handed over."""
    return application.channel == Channel.ONLINE and bool(application.email.strip())


def _notice_email(application: Application, letter: Letter) -> int:
    """Tell the applicant by e-mail that ``letter`` is on the progress page; the number of
    messages sent (Django's mail with the configured backend, as `gongkai remind` uses). The
    e-mail carries no query code and no other personal data than the address it goes to."""
    from django.core.mail import send_mail
    from django.urls import reverse

    subject = _("政府信息公开申请%(no)s：%(title)s") % {"no": application.tracking_no, "title": letter.title}
    body = "\n".join(
        [
            _("%(agency)s已就您的政府信息公开申请（申请编号%(no)s）出具%(title)s%(letter_no)s。")
            % {
                "agency": application.agency.name,
                "no": application.tracking_no,
                "title": letter.title,
                "letter_no": f"（{letter.letter_no}）" if letter.letter_no else "",
            },
            _("请在“申请进度查询”页面（%(path)s）输入申请编号和查询码查看全文。")
            % {"path": reverse("portal:progress")},
            _("本通知自今日起已在进度查询页面公布，今日即为您收到本通知之日，您的期限自次日起计算。"),
        ]
    )
    return send_mail(subject, body, None, [application.email.strip()])


def _notice_online_receipt(application: Application, letter: Letter) -> DeliveryRecord | None:
    """Deliver a correction or fee notice online and record its receipt by itself: the day it
    is on the progress page and the e-mail is sent (today, never before the sending day). If the
    e-mail cannot be sent the receipt stays unrecorded (回执未登记), the case cannot lapse, and
    staff record it by hand; the failure is audited. Call inside the issuing service's
    transaction, after the letter exists and before ``_save``."""
    notice = NOTICE_RECEIPTS.get(letter.kind)
    if notice is None or not notice_goes_online(application):
        return None
    if not _awaits_receipt(application, letter, notice[0]):
        return None
    sent = application.clock_events.filter(kind=_NOTICE_SENT[notice[0]]).order_by("-on", "-id").first()
    on = max(timezone.localdate(), sent.on if sent is not None else timezone.localdate())
    try:
        mailed = _notice_email(application, letter)
    except (OSError, smtplib.SMTPException) as exc:
        mailed = 0
        audit_record(actor=None, action="notice_email_failed", obj=letter,
                     after={"kind": letter.kind, "error": type(exc).__name__})  # fmt: skip
    if not mailed:
        return None
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=Delivery.EMAIL, on=on,
        proof=str(ONLINE_RECEIPT_PROOF), actor=None,
    )  # fmt: skip
    _record_notice_receipt(application, letter, notice, on, Delivery.EMAIL, None)
    audit_record(actor=None, action="notice_receipt_online", obj=record,
                 after={"kind": letter.kind, "letter_no": letter.letter_no, "on": on.isoformat()})  # fmt: skip
    return record


@transaction.atomic
def notice_receipt_record(
    *, application: Application, notice: str, on: date, method: str, proof: str = "", actor
) -> DeliveryRecord:
    """Record the day the applicant received the correction notice (``notice`` "correction") or
    the fee notice ("fee"): post, the date on the return receipt; in person, the day handed
    over; online, the day it was on the progress page and e-mailed. The applicant's period runs
    from that day. A date in the future or before the notice was sent, or a case with no such
    notice awaiting its receipt, is refused and nothing changes."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    kinds = {name: kind for kind, (name, _e, _b) in NOTICE_RECEIPTS.items()}
    if notice not in kinds:
        raise ApplicationError(_("只有补正告知和收费通知需要登记回执。"))
    letter = application.letters.filter(kind=kinds[notice]).order_by("-created_at", "-id").first()
    if letter is None or not _awaits_receipt(application, letter, notice):
        raise ApplicationError(
            _("本申请没有待登记回执的%(what)s。")
            % {"what": _("补正告知") if notice == "correction" else _("收费通知")}
        )
    if on > timezone.localdate():
        raise ApplicationError(_("回执日期不能晚于今天。"))
    before = _snapshot(application)
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=method, on=on, proof=proof.strip(), actor=actor
    )
    _record_notice_receipt(application, letter, NOTICE_RECEIPTS[kinds[notice]], on, method, actor)
    _save(application, actor, "notice_receipt_record", before)
    return record


@transaction.atomic
def letter_deliver(*, letter: Letter, method: str, on: date, proof: str = "", actor) -> DeliveryRecord:
    """Record how and when a letter reached the applicant; the reply's delivery closes the file."""
    application = _lock(letter.application)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    if on > timezone.localdate():
        raise ApplicationError(_("送达日期不能晚于今天。"))
    if letter.status != "signed":  # issue 18 item 2: a draft or a voided letter is not sent
        raise ApplicationError(_("该文书尚未签发或已作废，不能送达。"))
    record = DeliveryRecord.objects.create(
        application=application, letter=letter, method=method, on=on, proof=proof.strip(), actor=actor
    )
    notice = NOTICE_RECEIPTS.get(letter.kind)
    if notice is not None and _awaits_receipt(application, letter, notice[0]):
        _record_notice_receipt(application, letter, notice, on, method, actor)
    if letter.kind == "reply":
        application.state = _transition(application, "deliver")
        application.closed_on = on
    _save(application, actor, "letter_deliver", before)
    return record
