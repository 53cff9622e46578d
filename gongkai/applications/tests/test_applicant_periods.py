"""Issue 9 through the services: the applicant's periods run from the recorded receipt of the
notice, a correction notice after the 7-working-day window restarts nothing, and the monthly
fee count is per applicant identity, in receipt order, in matters (件).

Expected dates are counted by hand on the 2026 calendar in the comments ("(n)" = the n-th
working day counted)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, ClockEventRecord, DeliveryRecord
from gongkai.applications.rules import ApplicantType, ApplicationState

from .test_services import data, office, register  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

USCC = "91330100MA27XXXX1K"


def _nothing_changed(app: Application, events: int, deliveries: int) -> None:
    app.refresh_from_db()
    assert ClockEventRecord.objects.filter(application=app).count() == events
    assert DeliveryRecord.objects.filter(application=app).count() == deliveries


# --- periods the applicant keeps ----------------------------------------------------------------


def test_the_correction_period_runs_from_the_return_receipt(office):  # noqa: F811
    app = register(office, received_on=date(2026, 3, 2))
    services.correction_request(
        application=app, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 4)
    )
    app.refresh_from_db()
    assert app.notice_receipt_missing and services.clock_state(app).correction_due_on is None
    # The posted notice reached the applicant on Mon 3/9 (return receipt): 3/10-13 (4),
    # 3/16-20 (9), Mon 3/23 (10). Counted from the sending day it would have ended Wed 3/18.
    services.notice_receipt_record(
        application=app, notice="correction", on=date(2026, 3, 9), method="post", proof="挂号信回执", actor=office["clerk"]
    )  # fmt: skip
    app.refresh_from_db()
    state = services.clock_state(app, today=date(2026, 3, 23))
    assert state.correction_due_on == date(2026, 3, 23) and state.abandoned is None
    assert services.clock_state(app, today=date(2026, 3, 24)).abandoned == "no_correction"
    assert not app.notice_receipt_missing
    assert app.deliveries.get().proof == "挂号信回执"


def test_a_bad_receipt_date_is_refused_and_changes_nothing(office):  # noqa: F811
    app = register(office, received_on=date(2026, 3, 2))
    with pytest.raises(services.ApplicationError, match="没有待登记回执的补正告知"):
        services.notice_receipt_record(application=app, notice="correction", on=date(2026, 3, 5), method="post",
                                       actor=office["clerk"])  # fmt: skip
    services.correction_request(
        application=app, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 4)
    )
    events, deliveries = app.clock_events.count(), app.deliveries.count()
    with pytest.raises(services.ApplicationError, match="早于"):  # before it was sent
        services.notice_receipt_record(application=app, notice="correction", on=date(2026, 3, 3), method="post",
                                       actor=office["clerk"])  # fmt: skip
    _nothing_changed(app, events, deliveries)
    with pytest.raises(services.ApplicationError, match="晚于今天"):
        services.notice_receipt_record(application=app, notice="correction", method="post",
                                       on=timezone.localdate() + timedelta(days=1), actor=office["clerk"])  # fmt: skip
    _nothing_changed(app, events, deliveries)
    with pytest.raises(services.ApplicationError, match="没有待登记回执的收费通知"):
        services.notice_receipt_record(application=app, notice="fee", on=date(2026, 3, 5), method="post",
                                       actor=office["clerk"])  # fmt: skip
    # Through the letter's own delivery form, a date before sending is refused the same way.
    letter = app.letters.get(kind="correction")
    with pytest.raises(services.ApplicationError, match="早于"):
        services.letter_deliver(letter=letter, method="post", on=date(2026, 3, 3), actor=office["clerk"])
    _nothing_changed(app, events, deliveries)
    assert app.notice_receipt_missing


# --- a correction notice after the 7-working-day window -------------------------------------------


def test_a_late_correction_notice_is_refused_with_the_reason(office):  # noqa: F811
    # Received Mon 3/2: the window ends Wed 3/11 (3/3-6 (4), 3/9-11 (7)). Asked on Thu 3/12.
    app = register(office, received_on=date(2026, 3, 2))
    reason = services.correction_lateness(app, date(2026, 3, 12))
    assert "2026年3月11日" in reason and "不允许" in reason
    assert services.correction_lateness(app, date(2026, 3, 11)) == ""
    with pytest.raises(services.ApplicationError, match="7个工作日内"):
        services.correction_request(
            application=app, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 12)
        )
    app.refresh_from_db()
    assert app.state == ApplicationState.RECEIVED and app.reply_due_on == date(2026, 3, 30)
    assert not app.letters.exists() and app.clock_events.count() == 1


@override_settings(GONGKAI_ALLOW_LATE_CORRECTION=True)
def test_where_allowed_a_late_correction_notice_leaves_the_deadline_alone(office):  # noqa: F811
    app = register(office, received_on=date(2026, 3, 2))
    assert "仍为2026-03-30" in services.correction_lateness(app, date(2026, 3, 12))  # said before sending
    letter = services.correction_request(
        application=app, items=["补充文号"], days=5, actor=office["clerk"], on=date(2026, 3, 12)
    )
    app.refresh_from_db()
    # Due Mon 3/30 as before: 3/3-6 (4), 3/9-13 (9), 3/16-20 (14), 3/23-27 (19), 3/30 (20).
    assert app.state == ApplicationState.RECEIVED and app.reply_due_on == date(2026, 3, 30)
    assert "答复期限不因补正而停止或重新计算" in "".join(letter.paragraphs)
    app = services.correction_receive(application=app, on=date(2026, 3, 16), actor=office["clerk"])
    assert app.state == ApplicationState.RECEIVED and app.reply_due_on == date(2026, 3, 30)


# --- fees per applicant per month ----------------------------------------------------------------


def _org(office, name: str, received_on: date, **extra):  # noqa: F811
    return register(
        office, received_on=received_on, applicant_type=ApplicantType.COMMERCIAL_ENTERPRISE, name=name, id_type="",
        id_number="", org_code=USCC, **extra,
    )  # fmt: skip


def test_the_same_organisation_is_its_credit_code_not_its_name(office):  # noqa: F811
    # Ten applications in March 2026 under two spellings of one company's name, one code.
    for i in range(10):
        _org(
            office,
            "江州某某科技有限公司" if i % 2 else "江州某某科技公司",
            date(2026, 3, 2) + timedelta(days=i),
        )
    eleventh = _org(office, "江州某某科技有限公司（分公司）", date(2026, 3, 20))
    other = register(office, received_on=date(2026, 3, 20), applicant_type=ApplicantType.COMMERCIAL_ENTERPRISE,
                     name="江州某某科技有限公司", id_type="", id_number="", org_code="91330100MA27YYYY2L")  # fmt: skip
    assert services.month_matters_before(eleventh) == 10 and services.month_matters_before(other) == 0
    fee = services.fee_notice_send(application=eleventh, method="per_count", amount=Decimal("100.00"),
                                   actor=office["clerk"], on=date(2026, 3, 23))  # fmt: skip
    assert fee.nth_in_month == 11
    with pytest.raises(services.ApplicationError, match="免费"):
        services.fee_notice_send(
            application=other, method="per_count", amount=Decimal("100.00"), actor=office["clerk"]
        )


def test_the_count_follows_the_receipt_date_even_when_registered_late(office):  # noqa: F811
    apps = [register(office, received_on=date(2026, 3, 2) + timedelta(days=i)) for i in range(10)]  # 3/2-3/11
    # Received by post on 3/1 (a Sunday, signed for by the duty office) but registered last:
    # it is the first of March, and the application received 3/11 is the tenth, still free.
    late = register(office, received_on=date(2026, 3, 1))
    assert services.month_matters_before(late) == 0
    assert services.month_matters_before(apps[-1]) == 10  # 3/1 and 3/2-3/10 before it: the 11th
    assert services.month_matters_before(apps[-2]) == 9  # the 10th: free
    # A merged duplicate is not a matter of its own.
    services.application_merge(duplicate=apps[0], into=apps[1], actor=office["clerk"])
    assert services.month_matters_before(apps[-1]) == 9


def test_matters_are_counted_and_the_split_shows_in_the_letter(office):  # noqa: F811
    for i in range(9):
        register(office, received_on=date(2026, 3, 2) + timedelta(days=i))
    bundle = register(office, received_on=date(2026, 3, 16))
    with pytest.raises(services.ApplicationError, match="理由"):
        services.application_matters_set(application=bundle, matters=3, reason=" ", actor=office["clerk"])
    services.application_matters_set(
        application=bundle, matters=3, reason="三个不同年度的招生计划", co_applicants="李四\n王五", actor=office["clerk"]
    )  # fmt: skip
    bundle.refresh_from_db()
    assert bundle.matters == 3 and bundle.co_applicants == "李四\n王五"
    # Matters 10, 11 and 12 of the month: free, 100 and 100 yuan.
    with pytest.raises(services.ApplicationError, match="200.00"):
        services.fee_notice_send(
            application=bundle, method="per_count", amount=Decimal("100.00"), actor=office["clerk"]
        )
    services.fee_notice_send(application=bundle, method="per_count", amount=Decimal("200.00"),
                             actor=office["clerk"], on=date(2026, 3, 17))  # fmt: skip
    text = "".join(bundle.letters.get(kind="fee_notice").paragraphs)
    assert "拆分为3件（三个不同年度的招生计划）" in text and "第10-12件" in text
    later = register(office, received_on=date(2026, 3, 18))
    assert services.month_matters_before(later) == 12
    with pytest.raises(services.ApplicationError, match="不能再更改件数"):
        services.application_matters_set(application=bundle, matters=1, reason="", actor=office["clerk"])


def test_a_person_is_counted_by_identity_number(office):  # noqa: F811
    first = register(office, received_on=date(2026, 3, 2), name="张三")
    second = register(office, received_on=date(2026, 3, 3), name="张 三")
    stranger = register(office, received_on=date(2026, 3, 3), name="张三", id_number="110105199001011234")
    assert services.month_matters_before(second) == 1 and services.month_matters_before(stranger) == 0
    assert first.pk < second.pk
    assert data(office["agency"])["id_number"] == first.id_number


# --- a consultation nobody answers ---------------------------------------------------------------


def test_the_answer_period_runs_from_the_consulted_partys_receipt(office):  # noqa: F811
    app = register(office, received_on=date(2026, 3, 2))
    consultation = services.consultation_start(application=app, party="third_party", party_name="某公司",
                                               on=date(2026, 3, 4), actor=office["clerk"])  # fmt: skip
    assert consultation.answer_due_on == date(2026, 3, 25)  # 15 working days from the sending day
    with pytest.raises(services.ApplicationError, match="不能早于发出日期"):
        services.consultation_delivered(consultation=consultation, on=date(2026, 3, 3), actor=office["clerk"])
    # Received by the company Mon 3/9: 3/10-13 (4), 3/16-20 (9), 3/23-27 (14), Mon 3/30 (15);
    # the reply is due Mon 4/27 (counted in test_clock).
    consultation = services.consultation_delivered(
        consultation=consultation, on=date(2026, 3, 9), actor=office["clerk"]
    )
    app.refresh_from_db()
    assert consultation.answer_due_on == date(2026, 3, 30) and app.reply_due_on == date(2026, 4, 27)
    # The answer recorded on Wed 4/1, after the period: the deadline stays.
    services.consultation_end(consultation=consultation, on=date(2026, 4, 1), answer="refuse", reasons="商业秘密",
                              actor=office["clerk"])  # fmt: skip
    app.refresh_from_db()
    assert app.reply_due_on == date(2026, 4, 27)
