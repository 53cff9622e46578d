"""Issue 9 §1, online channel: a correction or fee notice to an applicant who applied online
(with an e-mail address) reaches them the day it is on the progress page and the e-mail is sent;
that receipt is recorded by itself, audited and shown as such. Posted notices keep the manual
return-receipt record, and a notice whose e-mail cannot be sent stays "回执未登记".

Expected dates are counted by hand on the 2026 calendar ("(n)" = the n-th working day)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, DeliveryRecord
from gongkai.applications.progress import application_progress
from gongkai.core.models import AuditEvent

from .test_services import data, office, register  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 4)  # a Wednesday


@pytest.fixture
def on_march_4(monkeypatch):
    """The platform's "today" is Wed 4 March 2026 (the day the notice goes out)."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def _online(office, **overrides):  # noqa: F811
    submitted = services.application_submit_online(
        data=data(office["agency"], **overrides), client_ip="10.0.0.9"
    )
    app = submitted.application
    Application.objects.filter(pk=app.pk).update(
        submitted_at=datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    app.refresh_from_db()
    return services.application_confirm_receipt(
        application=app, on=date(2026, 3, 2), actor=office["clerk"]
    ), submitted


def test_an_online_correction_notice_is_received_the_day_it_is_published_and_mailed(
    office,  # noqa: F811
    on_march_4,
    django_capture_on_commit_callbacks,
):
    app, submitted = _online(office)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail leaves after the commit
        services.correction_request(application=app, items=["补充文号"], days=10, actor=office["clerk"])
    app.refresh_from_db()
    # Received Wed 3/4, the day it was on the progress page and e-mailed: 3/5 (1), 3/6 (2),
    # 3/9-13 (7), 3/16 (8), 3/17 (9), Wed 3/18 (10). No staff record needed, nothing "missing".
    assert not app.notice_receipt_missing
    state = services.clock_state(app, today=TODAY)
    assert state.correction_due_on == date(2026, 3, 18)
    assert services.clock_state(app, today=date(2026, 3, 19)).abandoned == "no_correction"
    # The e-mail went to the applicant, names the notice and the page, and carries no query code.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangsan@example.com"] and app.tracking_no in message.subject
    assert "/progress/" in message.body and submitted.query_code not in message.body + message.subject
    # Recorded by the system, shown as such, audited.
    record = DeliveryRecord.objects.get(application=app)
    assert record.on == TODAY and record.method == "email" and record.actor is None
    assert "系统自动登记" in record.proof and record.letter.kind == "correction"
    event = AuditEvent.objects.filter(action="notice_receipt_online").get()
    assert event.actor is None and event.after["on"] == "2026-03-04"
    # The notice is what the progress page shows, with the applicant's deadline.
    progress = application_progress(app, today=TODAY)
    assert progress.correction is not None
    assert ("补正期限", date(2026, 3, 18)) in [(str(w), d) for w, d in progress.applicant_deadlines]
    # The workbench shows the delivery as recorded by the system.
    client = Client()
    client.force_login(office["clerk"])
    page = client.get(f"/staff/applications/{app.pk}/").content.decode()
    assert "data-auto-receipt" in page and "系统自动登记" in page and "data-receipt-missing" not in page
    # Recording it again by hand is refused: nothing is awaited any more.
    with pytest.raises(services.ApplicationError, match="没有待登记回执"):
        services.notice_receipt_record(application=app, notice="correction", on=TODAY, method="post",
                                       actor=office["clerk"])  # fmt: skip


def test_an_online_fee_notice_starts_the_payment_period_the_same_day(
    office,  # noqa: F811
    on_march_4,
    django_capture_on_commit_callbacks,
):
    app, _submitted = _online(office)
    # Eleven matters in one application: the 11th is charged 100 yuan (fees.md).
    app = services.application_matters_set(
        application=app, matters=11, reason="十一所学校各一份", actor=office["clerk"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        fee = services.fee_notice_send(
            application=app, method="per_count", amount=Decimal("100.00"), actor=office["clerk"]
        )
    fee.refresh_from_db()
    # Received Wed 3/4: 3/5 (1), 3/6 (2), 3/9-13 (7), 3/16-20 (12), 3/23-27 (17), 3/30 (18),
    # 3/31 (19), Wed 4/1 (20).
    assert fee.pay_by == date(2026, 4, 1)
    app.refresh_from_db()
    assert not app.notice_receipt_missing and len(mail.outbox) == 1
    progress = application_progress(app, today=TODAY)
    assert (
        progress.fee_notice is not None
        and progress.fee_notice.title == app.letters.get(kind="fee_notice").title
    )
    assert "张三" not in "".join(progress.fee_notice.paragraphs)


def test_a_posted_notice_still_waits_for_its_return_receipt(office, on_march_4):  # noqa: F811
    app = register(office, received_on=date(2026, 3, 2))  # a posted application (with an e-mail)
    mail.outbox.clear()
    services.correction_request(application=app, items=["补充文号"], days=10, actor=office["clerk"])
    app.refresh_from_db()
    assert app.notice_receipt_missing and not mail.outbox
    assert not DeliveryRecord.objects.filter(application=app).exists()


def test_an_online_application_without_an_e_mail_address_keeps_the_manual_record(office, on_march_4):  # noqa: F811
    app, _submitted = _online(office, email="", delivery="post")
    services.correction_request(application=app, items=["补充文号"], days=10, actor=office["clerk"])
    app.refresh_from_db()
    assert app.notice_receipt_missing and not mail.outbox


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=9,
    EMAIL_TIMEOUT=2,
)
def test_when_the_e_mail_cannot_be_sent_the_receipt_stays_unrecorded(
    office,  # noqa: F811
    on_march_4,
    django_capture_on_commit_callbacks,
):
    app, _submitted = _online(office)
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.correction_request(
            application=app, items=["补充文号"], days=10, actor=office["clerk"]
        )
    app.refresh_from_db()
    # No mail server answers: the notice is issued all the same, but the applicant's period
    # cannot start and the case cannot lapse until staff record the receipt.
    assert letter.pk and app.notice_receipt_missing
    assert services.clock_state(app, today=date(2026, 6, 1)).abandoned is None
    assert AuditEvent.objects.filter(action="notice_email_failed").count() == 1
    assert not DeliveryRecord.objects.filter(application=app).exists()
