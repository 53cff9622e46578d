"""Delivery of letters and the receipts of notices that start a period the applicant keeps
(regulation.md, "Periods the applicant keeps"), online or recorded by hand; paperwork out
(issue 18 item 3): a letter posted (交寄) then signed for (签收), or e-mailed with its PDF.
E-mail leaves only after the transaction that decided to send it has committed.
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
    ApplicationFile,
    DeliveryRecord,
    Dispatch,
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
from .filing import file_on_close
from .intake import _file_snapshot, _store_file

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


def _notice_online_receipt(application: Application, letter: Letter) -> None:
    """Deliver a correction or fee notice online and record its receipt by itself: the day it
    is on the progress page and the e-mail is sent (today, never before the sending day). The
    e-mail leaves only once the issuing transaction has committed (a notice rolled back was
    never sent); its receipt is recorded then, in a transaction of its own. If the e-mail cannot
    be sent the receipt stays unrecorded (回执未登记), the case cannot lapse, and staff record
    it by hand; the failure is audited. Call inside the issuing service's transaction, after the
    letter exists."""
    notice = NOTICE_RECEIPTS.get(letter.kind)
    if notice is None or not notice_goes_online(application):
        return
    if not _awaits_receipt(application, letter, notice[0]):
        return
    transaction.on_commit(lambda: _notice_online_send(letter.pk), robust=True)


def _mailed(send, *, actor, failed: str, obj, after: dict) -> int:
    """Send an e-mail after commit: the mail server's failure is audited (``failed``, with the
    error's kind) and counts as none sent, so the caller records nothing."""
    try:
        return send()
    except (OSError, smtplib.SMTPException) as exc:
        audit_record(actor=actor, action=failed, obj=obj, after={**after, "error": type(exc).__name__})
        return 0


def _notice_online_send(letter_pk: int) -> DeliveryRecord | None:
    """After commit: send the notice's e-mail, then record its receipt (see above)."""
    letter = Letter.objects.select_related("application__agency").get(pk=letter_pk)
    application, notice = letter.application, NOTICE_RECEIPTS[letter.kind]
    mailed = _mailed(
        lambda: _notice_email(application, letter), actor=None, failed="notice_email_failed", obj=letter,
        after={"kind": letter.kind},
    )  # fmt: skip
    if not mailed:
        return None
    with transaction.atomic():
        application = _lock(application)
        if not _awaits_receipt(application, letter, notice[0]):
            return None  # recorded by hand in the meantime
        sent = application.clock_events.filter(kind=_NOTICE_SENT[notice[0]]).order_by("-on", "-id").first()
        on = max(timezone.localdate(), sent.on if sent is not None else timezone.localdate())
        before = _snapshot(application)
        record = DeliveryRecord.objects.create(
            application=application, letter=letter, method=Delivery.EMAIL, on=on,
            proof=str(ONLINE_RECEIPT_PROOF), actor=None,
        )  # fmt: skip
        _record_notice_receipt(application, letter, notice, on, Delivery.EMAIL, None)
        audit_record(actor=None, action="notice_receipt_online", obj=record,
                     after={"kind": letter.kind, "letter_no": letter.letter_no, "on": on.isoformat()})  # fmt: skip
        _save(application, None, "notice_receipt_online_clock", before)
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
    record = _deliver(application, letter, method=method, on=on, proof=proof, actor=actor,
                      action="letter_deliver")  # fmt: skip
    file_on_close(application, actor)  # closing files the case (issue 18 item 6)
    return record


def _deliver(application, letter, *, method, on, proof, actor, action) -> DeliveryRecord:
    """The letter reached its addressee on ``on``: the DeliveryRecord every rule reads, the
    receipt of a notice whose period runs from it (the same record as notice_receipt_record),
    and the reply's delivery closing the file. ``application`` is locked by the caller."""
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
    _save(application, actor, action, before)
    return record


# --- paperwork out (issue 18 item 3): posted (交寄), then signed for (签收) ---------------------


def _signed_letter(letter: Letter) -> None:
    if letter.status != "signed":
        raise ApplicationError(_("该文书尚未签发或已作废，不能送达。"))


def _dispatch_snapshot(dispatch: Dispatch) -> dict:
    """A dispatch as the audit trail keeps it: no addressee, no e-mail address."""
    return {
        "letter": dispatch.letter_id, "method": dispatch.method, "posted_on": dispatch.posted_on.isoformat(),
        "carrier": dispatch.carrier, "tracking_no": dispatch.tracking_no,
        "signed_on": dispatch.signed_on.isoformat() if dispatch.signed_on else None,
        "message_id": dispatch.email_message_id,
    }  # fmt: skip


@transaction.atomic
def letter_post(
    *, letter: Letter, method: str, on: date, carrier: str = "", tracking_no: str = "", actor
) -> Dispatch:
    """A signed letter handed to the post (交寄: date, carrier, tracking number) or made ready
    to be collected; it is delivered when signed for (``dispatch_signed_for``). One letter has
    one dispatch on its way at a time."""
    application = _lock(letter.application)
    _require(can_handle(actor, application.agency))
    letter = Letter.objects.get(pk=letter.pk)
    _signed_letter(letter)
    if method not in (Delivery.POST, Delivery.COLLECT):
        raise ApplicationError(_("请选择邮寄或当面送达；电子邮件请用“发送电子邮件”。"))
    carrier, tracking_no = carrier.strip(), tracking_no.strip()
    if method == Delivery.POST and not (carrier and tracking_no):
        raise ApplicationError(_("邮寄送达请填写寄递单位和邮件号码。"))
    if on > timezone.localdate():
        raise ApplicationError(_("交寄日期不能晚于今天。"))
    if on < timezone.localdate(letter.signed_at or letter.created_at):
        raise ApplicationError(_("交寄日期不能早于文书签发日期。"))
    if letter.dispatches.filter(signed_on__isnull=True).exclude(method=Delivery.EMAIL).exists():
        raise ApplicationError(_("该文书已交寄，尚未登记签收。"))
    dispatch = Dispatch.objects.create(
        application=application, letter=letter, method=method, posted_on=on, carrier=carrier,
        tracking_no=tracking_no, created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="letter_post", obj=dispatch, after=_dispatch_snapshot(dispatch))
    return dispatch


def _store_receipt_scan(dispatch: Dispatch, scan, filename: str, actor) -> None:
    row = _store_file(
        dispatch.application, data=scan, filename=filename, kind=ApplicationFile.Kind.DELIVERY_RECEIPT
    )
    dispatch.receipt_scan = row
    audit_record(actor=actor, action="application_file_add", obj=row, after=_file_snapshot(row))


@transaction.atomic
def dispatch_signed_for(
    *, dispatch: Dispatch, on: date, signer: str, scan=None, scan_filename: str = "", actor
) -> DeliveryRecord:
    """The addressee signed for the letter (签收: date, who signed; the 送达回证 or the return
    receipt's scan may come with it). That day is the delivery: for a correction or fee notice
    it is the receipt the applicant's period runs from; the reply's delivery closes the file."""
    application = _lock(dispatch.application)
    _require(can_handle(actor, application.agency))
    dispatch = Dispatch.objects.select_for_update().select_related("letter").get(pk=dispatch.pk)
    if dispatch.signed_on is not None:
        raise ApplicationError(_("该文书已登记签收。"))
    if not signer.strip():
        raise ApplicationError(_("请填写签收人。"))
    if on < dispatch.posted_on:
        raise ApplicationError(
            _("签收日期%(on)s早于交寄日期%(posted)s。")
            % {"on": on.isoformat(), "posted": dispatch.posted_on.isoformat()}
        )
    proof = "；".join(
        p for p in (
            dispatch.get_method_display(),
            " ".join(x for x in (dispatch.carrier, dispatch.tracking_no) if x),
            _("签收人：%(signer)s") % {"signer": signer.strip()},
        ) if p
    )  # fmt: skip
    record = _deliver(application, dispatch.letter, method=dispatch.method, on=on, proof=proof, actor=actor,
                      action="dispatch_signed_for")  # fmt: skip
    dispatch.signed_on, dispatch.signer, dispatch.delivery = on, signer.strip()[:100], record
    if scan is not None:
        _store_receipt_scan(dispatch, scan, scan_filename or getattr(scan, "name", ""), actor)
    dispatch.save()
    audit_record(actor=actor, action="dispatch_signed_for", obj=dispatch, after=_dispatch_snapshot(dispatch))
    file_on_close(application, actor)  # closing files the case, its 送达回证 scan included (issue 18 item 6)
    return record


@transaction.atomic
def delivery_receipt_attach(*, dispatch: Dispatch, data, filename: str, actor) -> ApplicationFile:
    """The scan of the signed 送达回证 (or the post's return receipt), with its dispatch."""
    application = _lock(dispatch.application)
    _require(can_handle(actor, application.agency))
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    _store_receipt_scan(dispatch, data, filename, actor)
    dispatch.save(update_fields=["receipt_scan"])
    return dispatch.receipt_scan


# --- e-mail delivery ------------------------------------------------------------------------


@transaction.atomic
def letter_email(*, letter: Letter, actor, to: str = "") -> Dispatch:
    """Send a signed letter by e-mail, its PDF attached, through Django's mail settings. The
    message leaves after this transaction commits (never from inside it: a rolled-back letter
    sends nothing); then its Message-ID and time are recorded, and the day it left is the
    delivery (the e-mail reached the applicant's mailbox). A failure is audited and leaves the
    dispatch unsent, to send again or deliver otherwise."""
    application = _lock(letter.application)
    _require(can_handle(actor, application.agency))
    letter = Letter.objects.get(pk=letter.pk)
    _signed_letter(letter)
    to = (to or application.email).strip()
    if not to:
        raise ApplicationError(_("申请人没有留下电子邮箱，不能以电子邮件送达。"))
    dispatch = Dispatch.objects.create(
        application=application, letter=letter, method=Delivery.EMAIL, posted_on=timezone.localdate(),
        email_to=to, created_by=actor,
    )  # fmt: skip
    audit_record(actor=actor, action="letter_email", obj=dispatch, after=_dispatch_snapshot(dispatch))
    actor_pk = getattr(actor, "pk", None)
    transaction.on_commit(lambda: _letter_email_send(dispatch.pk, actor_pk), robust=True)
    return dispatch


def _letter_email_message(dispatch: Dispatch):
    from django.core.mail import EmailMessage, make_msgid

    from .. import letters as letter_writers  # loads PyMuPDF: on use only (memory)
    from .letters import letter_rendered  # the letters' renderer loads PyMuPDF (memory)

    letter, application = dispatch.letter, dispatch.application
    subject = _("%(agency)s：%(title)s%(letter_no)s") % {
        "agency": application.agency.name,
        "title": letter.title,
        "letter_no": f"（{letter.letter_no}）" if letter.letter_no else "",
    }
    body = "\n".join(
        [
            _("%(name)s：") % {"name": application.name},
            _("您的政府信息公开申请（申请编号%(no)s）的%(title)s见附件（PDF）。")
            % {"no": application.tracking_no, "title": letter.title},
            _("本邮件到达您的邮箱之日为送达之日。"),
            application.agency.name,
        ]
    )
    message_id = make_msgid(domain="gongkai.local")
    message = EmailMessage(subject, body, None, [dispatch.email_to], headers={"Message-ID": message_id})
    name = "".join(c if c.isalnum() or c in "〔〕_-" else "_" for c in f"{letter.title}_{letter.letter_no}")
    message.attach(f"{name}.pdf", letter_writers.letter_pdf(letter_rendered(letter)), "application/pdf")
    return message, message_id


def _letter_email_send(dispatch_pk: int, actor_pk: int | None) -> DeliveryRecord | None:
    """After commit: send the letter's e-mail, then record it and its delivery."""
    from django.contrib.auth import get_user_model

    dispatch = Dispatch.objects.select_related("letter", "application__agency").get(pk=dispatch_pk)
    actor = get_user_model().objects.filter(pk=actor_pk).first() if actor_pk else None
    message, message_id = _letter_email_message(dispatch)
    sent = _mailed(message.send, actor=actor, failed="letter_email_failed", obj=dispatch,
                   after={"letter": dispatch.letter_id})  # fmt: skip
    if not sent:
        return None
    with transaction.atomic():
        application = _lock(dispatch.application)
        dispatch = Dispatch.objects.select_for_update().select_related("letter").get(pk=dispatch_pk)
        dispatch.email_message_id, dispatch.emailed_at = message_id, timezone.now()
        on = timezone.localdate(dispatch.emailed_at)
        dispatch.save(update_fields=["email_message_id", "emailed_at"])
        audit_record(
            actor=actor, action="letter_email_sent", obj=dispatch, after=_dispatch_snapshot(dispatch)
        )
        proof = _("电子邮件 %(id)s") % {"id": message_id}
        try:
            with transaction.atomic():
                record = _deliver(application, dispatch.letter, method=Delivery.EMAIL, on=on, proof=proof,
                                  actor=actor, action="letter_email_delivered")  # fmt: skip
        except ApplicationError as exc:  # e.g. the case moved on meanwhile: sent, recorded by hand
            audit_record(
                actor=actor, action="letter_email_not_recorded", obj=dispatch, after={"error": str(exc)}
            )
            return None
        dispatch.signed_on, dispatch.signer, dispatch.delivery = on, dispatch.email_to[:100], record
        dispatch.save(update_fields=["signed_on", "signer", "delivery"])
    return record
