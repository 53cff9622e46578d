"""Issue 18 item 3, paperwork in and out: scans at intake and with consultations, the oral
application's record to sign, a letter posted then signed for (the signed-for date is the
receipt a notice's period runs from), and e-mail that leaves only after the commit."""

from datetime import timedelta

import pymupdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gongkai.applications import paperwork, services
from gongkai.applications.clock import EventKind
from gongkai.applications.models import ApplicationFile, Consultation, DeliveryRecord, Dispatch
from gongkai.applications.rules import ApplicationState, Channel, Outcome
from gongkai.core.models import AuditEvent
from gongkai.workbench.tests.applications_world import sample_pdf

from .test_services import data, office  # noqa: F401  (fixture)

# ruff: noqa: F811  (the fixture ``office`` is imported, then named as a parameter)

pytestmark = pytest.mark.django_db


def _pdf(name="扫描件.pdf"):
    return SimpleUploadedFile(name, sample_pdf(), content_type="application/pdf")


def _register(office, channel=Channel.POST, scans=None, **overrides):
    return services.application_register(
        data=data(office["agency"], **overrides), channel=channel, received_on=timezone.localdate(),
        actor=office["clerk"], scans=scans,
    ).application  # fmt: skip


def test_registration_keeps_the_letter_the_envelope_and_the_identity_copy(office):
    app = _register(office, scans={"letter_scan": _pdf("来信.pdf"), "envelope": _pdf("信封.pdf"),
                                   "identity_proof": _pdf("身份证.pdf")})  # fmt: skip
    kinds = sorted(app.files.values_list("kind", flat=True))
    assert kinds == ["envelope", "identity_proof", "letter_scan"]
    assert all(f.content_type == "application/pdf" and f.size > 0 for f in app.files.all())
    assert AuditEvent.objects.filter(action="application_file_add").count() == 3


def test_a_scan_that_is_not_what_it_says_registers_nothing(office):
    fake = SimpleUploadedFile("来信.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with pytest.raises(services.ApplicationError) as refused:
        _register(office, scans={"letter_scan": fake})
    assert str(refused.value)  # the upload check says what is wrong
    assert not ApplicationFile.objects.exists()
    from gongkai.applications.models import Application

    assert not Application.objects.exists()


def _correction(office):
    app = _register(office)
    letter = services.correction_request(application=app, items=["补充文号"], days=10, actor=office["clerk"])
    app.refresh_from_db()
    assert app.notice_receipt_missing
    return app, letter


def test_a_posted_notice_is_received_the_day_it_is_signed_for(office):
    app, letter = _correction(office)
    today = timezone.localdate()
    with pytest.raises(services.ApplicationError, match="寄递单位和邮件号码"):
        services.letter_post(letter=letter, method="post", on=today, carrier="EMS", actor=office["clerk"])
    dispatch = services.letter_post(letter=letter, method="post", on=today, carrier="中国邮政EMS",
                                    tracking_no="1234567890123", actor=office["clerk"])  # fmt: skip
    app.refresh_from_db()
    assert app.notice_receipt_missing  # posted is not received
    with pytest.raises(services.ApplicationError, match="已交寄"):
        services.letter_post(letter=letter, method="post", on=today, carrier="EMS", tracking_no="9",
                             actor=office["clerk"])  # fmt: skip
    with pytest.raises(services.ApplicationError, match="早于交寄日期"):
        services.dispatch_signed_for(dispatch=dispatch, on=today - timedelta(days=1), signer="张三",
                                     actor=office["clerk"])  # fmt: skip
    with pytest.raises(services.NotPermitted):
        services.dispatch_signed_for(dispatch=dispatch, on=today, signer="张三", actor=office["outsider"])
    record = services.dispatch_signed_for(dispatch=dispatch, on=today, signer="张三", scan=_pdf("回证.pdf"),
                                          actor=office["clerk"])  # fmt: skip
    app.refresh_from_db()
    dispatch.refresh_from_db()
    # The signed-for date is the receipt the applicant's correction period runs from.
    assert not app.notice_receipt_missing
    received = app.clock_events.get(kind=EventKind.CORRECTION_NOTICE_RECEIVED)
    assert received.on == today
    assert dispatch.delivery == record and record.on == today and "1234567890123" in record.proof
    assert dispatch.receipt_scan.kind == ApplicationFile.Kind.DELIVERY_RECEIPT
    with pytest.raises(services.ApplicationError, match="已登记签收"):
        services.dispatch_signed_for(dispatch=dispatch, on=today, signer="张三", actor=office["clerk"])


def test_a_reply_signed_for_closes_the_case_and_the_one_step_record_still_works(office):
    today = timezone.localdate()
    first = _register(office)
    reply = services.application_decide(application=first, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    dispatch = services.letter_post(letter=reply, method="collect", on=today, actor=office["clerk"])
    services.dispatch_signed_for(dispatch=dispatch, on=today, signer="张三", actor=office["clerk"])
    first.refresh_from_db()
    assert first.state == ApplicationState.CLOSED and first.closed_on == today
    second = _register(office, description="另一项信息")
    reply2 = services.application_decide(application=second, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    services.letter_deliver(letter=reply2, method="post", on=today, proof="回执", actor=office["clerk"])
    second.refresh_from_db()
    assert second.state == ApplicationState.CLOSED and not Dispatch.objects.filter(letter=reply2).exists()


def test_a_letter_e_mailed_after_the_commit_with_its_pdf_and_message_id(
    office,
    django_capture_on_commit_callbacks,
):
    app = _register(office)
    reply = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dispatch = services.letter_email(letter=reply, actor=office["clerk"])
        assert not mail.outbox  # nothing leaves inside the transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangsan@example.com"]
    ((name, content, mimetype),) = message.attachments
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    with pymupdf.open(stream=content, filetype="pdf") as doc:
        assert reply.letter_no in "".join(page.get_text() for page in doc).replace("\n", "")
    dispatch.refresh_from_db()
    assert dispatch.email_message_id == message.extra_headers["Message-ID"] and dispatch.emailed_at
    assert dispatch.delivery.method == "email" and dispatch.email_message_id in dispatch.delivery.proof
    app.refresh_from_db()
    assert app.state == ApplicationState.CLOSED
    assert AuditEvent.objects.filter(action="letter_email_sent").count() == 1


def test_a_rolled_back_transaction_sends_nothing(office, django_capture_on_commit_callbacks):
    app = _register(office)
    reply = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    online = services.application_submit_online(data=data(office["agency"]), client_ip="10.0.0.8").application
    online = services.application_confirm_receipt(
        application=online, on=timezone.localdate(), actor=office["clerk"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.letter_email(letter=reply, actor=office["clerk"])
            services.correction_request(
                application=online, items=["补充文号"], days=10, actor=office["clerk"]
            )
            raise RuntimeError("rolled back")
    assert not mail.outbox
    assert not Dispatch.objects.exists() and not DeliveryRecord.objects.exists()


def test_the_oral_record_prints_what_was_written_down_and_its_signed_scan_is_kept(office):
    app = _register(office, channel=Channel.ORAL)
    with pymupdf.open(stream=paperwork.oral_record_pdf(app), filetype="pdf") as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "口头申请记录" in text and app.description in text and "申请人确认签字" in text
    row = services.oral_record_attach(
        application=app, data=_pdf(), filename="记录.pdf", actor=office["clerk"]
    )
    assert row.kind == ApplicationFile.Kind.ORAL_RECORD
    posted = _register(office, description="邮寄的申请")
    with pytest.raises(services.ApplicationError, match="口头申请"):
        services.oral_record_attach(
            application=posted, data=_pdf(), filename="记录.pdf", actor=office["clerk"]
        )


def test_the_proof_of_service_names_the_letter_the_addressee_and_the_tracking_number(office):
    app, letter = _correction(office)
    dispatch = services.letter_post(letter=letter, method="post", on=timezone.localdate(), carrier="中国邮政EMS",
                                    tracking_no="EA123456789CN", actor=office["clerk"])  # fmt: skip
    with pymupdf.open(stream=paperwork.delivery_receipt_pdf(letter, dispatch), filetype="pdf") as doc:
        text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "送达回证" in text and letter.title in text and "张三" in text and "EA123456789CN" in text
    assert "受送达人签收" in text


def test_the_third_partys_written_opinion_is_kept_with_its_answer(office):
    app = _register(office)
    today = timezone.localdate()
    c = services.consultation_start(application=app, party=Consultation.Party.THIRD_PARTY, party_name="江州某公司",
                                    on=today, actor=office["clerk"])  # fmt: skip
    services.consultation_end(consultation=c, on=today, answer=Consultation.Answer.REFUSE, reasons="商业秘密",
                              actor=office["clerk"], opinion=_pdf("书面意见.pdf"))  # fmt: skip
    (opinion,) = c.opinion_scans.all()
    assert opinion.file.kind == ApplicationFile.Kind.OPINION and opinion.file.application == app


def test_removing_personal_data_takes_the_scans_and_the_signer_with_it(
    office, django_capture_on_commit_callbacks
):
    from gongkai.applications import retention

    from .test_retention import cutoff_after

    today = timezone.localdate()
    app = _register(office, scans={"letter_scan": _pdf("来信.pdf")})
    c = services.consultation_start(application=app, party=Consultation.Party.THIRD_PARTY, party_name="江州某公司",
                                    on=today, actor=office["clerk"])  # fmt: skip
    services.consultation_end(consultation=c, on=today, answer=Consultation.Answer.CONSENT, actor=office["clerk"],
                              opinion=_pdf("书面意见.pdf"))  # fmt: skip
    reply = services.application_decide(application=app, outcome=Outcome.DISCLOSED, actor=office["clerk"])
    dispatch = services.letter_post(letter=reply, method="collect", on=today, actor=office["clerk"])
    services.dispatch_signed_for(
        dispatch=dispatch, on=today, signer="张三", scan=_pdf(), actor=office["clerk"]
    )
    app.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        retention.applications_anonymise(cutoff=cutoff_after(app.closed_on))
    dispatch.refresh_from_db()
    assert not app.files.exists() and not c.opinion_scans.exists()
    assert dispatch.signer == "" and dispatch.receipt_scan is None and dispatch.signed_on == today
