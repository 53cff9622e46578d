"""Applications through their services: receipt, corrections, consultations, extensions, fees,
decisions and letters, delivery, abandonment, and what the applicant can look up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application, Consultation
from gongkai.applications.rules import ApplicantType, ApplicationState, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.calendar_store import workday_add
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"
RECEIVED = date(2026, 3, 2)  # a Monday, no holiday within the next six weeks


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
        "outsider": make_staff(make_agency("江州市财政局"), Role.CLERK),
    }


def data(agency, **overrides):
    values = {
        "agency": agency,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "name": "张三",
        "id_type": "resident_id",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "email": "zhangsan@example.com",
        "address": "江州市滨江区江滨路1号",
        "description": "2025年江州市义务教育阶段学校招生计划",
        "form": "electronic",
        "delivery": "email",
    }
    values.update(overrides)
    return values


def register(office, received_on=RECEIVED, **overrides):
    return services.application_register(
        data=data(office["agency"], **overrides),
        channel=Channel.POST,
        received_on=received_on,
        actor=office["clerk"],
    ).application


def test_registered_application_runs_20_working_days_from_receipt(office):
    app = register(office)
    assert app.state == ApplicationState.RECEIVED and app.tracking_no
    assert app.reply_due_on == workday_add(RECEIVED, 20).date
    steps = services.clock_state(app, today=RECEIVED).steps
    assert any("第三十一条" in s for s in steps) and any("第三十三条" in s for s in steps)


def test_online_application_waits_for_confirmation_and_is_found_only_with_its_code(office):
    submitted = services.application_submit_online(data=data(office["agency"]), client_ip="10.0.0.1")
    app = submitted.application
    assert app.state == ApplicationState.SUBMITTED and app.received_on is None and app.reply_due_on is None
    assert submitted.query_code not in app.query_code_hash  # only a hash is stored
    assert services.application_find(tracking_no=app.tracking_no, query_code=submitted.query_code) == app
    assert services.application_find(tracking_no=app.tracking_no, query_code="WRONG234") is None
    assert services.application_find(tracking_no="000", query_code=submitted.query_code) is None
    with pytest.raises(services.NotPermitted):
        services.application_confirm_receipt(
            application=app, on=timezone.localdate(), actor=office["outsider"]
        )
    app = services.application_confirm_receipt(
        application=app, on=timezone.localdate(), actor=office["clerk"]
    )
    assert app.state == ApplicationState.RECEIVED and app.received_on == timezone.localdate()
    assert app.reply_due_on == workday_add(timezone.localdate(), 20).date


def test_a_double_submission_makes_one_application(office):
    services.application_submit_online(data=data(office["agency"]), idempotency_key="form-123")
    with pytest.raises(services.ApplicationError, match="已提交"):
        services.application_submit_online(data=data(office["agency"]), idempotency_key="form-123")
    assert Application.objects.count() == 1


def test_submissions_are_limited_per_address(office):
    for _ in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        services.application_submit_online(data=data(office["agency"], id_number=""), client_ip="10.0.0.9")
    with pytest.raises(services.RateLimited):
        services.application_submit_online(data=data(office["agency"]), client_ip="10.0.0.9")
    services.application_submit_online(data=data(office["agency"]), client_ip="10.0.0.10")  # others still can


def test_correction_restarts_the_clock_and_is_asked_once(office):
    app = register(office)
    letter = services.correction_request(
        application=app, items=["请写明所需信息的文号"], days=15, actor=office["clerk"], on=date(2026, 3, 4)
    )
    assert letter.letter_no.endswith("号") and "请写明所需信息的文号" in "".join(letter.paragraphs)
    app.refresh_from_db()
    assert app.state == ApplicationState.AWAITING_CORRECTION and app.reply_due_on is None
    with pytest.raises(services.ApplicationError):
        services.correction_request(application=app, items=["再补充"], days=5, actor=office["clerk"])
    app = services.correction_receive(application=app, on=date(2026, 3, 10), actor=office["clerk"])
    assert app.state == ApplicationState.RECEIVED
    assert app.reply_due_on == workday_add(date(2026, 3, 10), 20).date  # a fresh 20 days


def test_consultation_time_does_not_count(office):
    app = register(office)
    before = app.reply_due_on
    consultation = services.consultation_start(
        application=app, party=Consultation.Party.THIRD_PARTY, party_name="江州某某科技有限公司", on=date(2026, 3, 5),
        actor=office["clerk"],
    )  # fmt: skip
    assert consultation.answer_due_on == workday_add(date(2026, 3, 5), 15).date
    assert {letter.kind for letter in app.letters.all()} >= {
        "third_party_request",
        "third_party_applicant_notice",
    }
    services.consultation_end(
        consultation=consultation, on=date(2026, 3, 12), answer=Consultation.Answer.REFUSE, reasons="涉及商业秘密",
        actor=office["clerk"],
    )  # fmt: skip
    app.refresh_from_db()
    # Received Mon 3/2, due Mon 3/30 without the consultation. Sent Thu 3/5, answered Thu 3/12:
    # both ends excluded, 3/5, 3/6, 3/9-12 = 6 working days. From 3/30: 3/31-4/3 (4), 清明 4/4-6,
    # 4/7-8 (6): Wed 4/8.
    assert before == date(2026, 3, 30) and app.reply_due_on == date(2026, 4, 8)


def test_extension_needs_the_office_head_and_comes_before_the_deadline(office):
    app = register(office)
    with pytest.raises(services.NotPermitted):
        services.extension_grant(application=app, days=20, reason="需调取档案", actor=office["clerk"])
    original = app.reply_due_on
    letter = services.extension_grant(
        application=app, days=20, reason="需调取档案", actor=office["head"], on=date(2026, 3, 20)
    )
    app.refresh_from_db()
    assert app.reply_due_on == workday_add(original, 20).date and letter.kind == "extension"
    with pytest.raises(services.ApplicationError):
        services.extension_grant(
            application=app, days=1, reason="再延", actor=office["head"], on=date(2026, 3, 21)
        )


def test_fees_follow_the_rules_and_pause_the_clock(office):
    apps = [register(office, received_on=RECEIVED) for _ in range(11)]
    eleventh = apps[-1]
    with pytest.raises(services.ApplicationError):
        services.fee_notice_send(
            application=apps[0], method="per_count", amount=Decimal("100.00"), actor=office["clerk"]
        )
    with pytest.raises(services.ApplicationError):
        services.fee_notice_send(
            application=eleventh, method="per_count", amount=Decimal("150.00"), actor=office["clerk"]
        )
    fee = services.fee_notice_send(
        application=eleventh,
        method="per_count",
        amount=Decimal("100.00"),
        actor=office["clerk"],
        on=date(2026, 3, 3),
    )
    eleventh.refresh_from_db()
    assert eleventh.clock_paused and eleventh.reply_due_on is None
    assert fee.pay_by is None and eleventh.notice_receipt_missing  # runs from the applicant's receipt
    notice = eleventh.letters.get(kind="fee_notice")
    services.letter_deliver(
        letter=notice, method="collect", on=date(2026, 3, 3), proof="当面签收", actor=office["clerk"]
    )
    fee.refresh_from_db()
    eleventh.refresh_from_db()
    # Handed over Tue 3/3: 3/4-6 (3), 3/9-13 (8), 3/16-20 (13), 3/23-27 (18), 3/30-31 (20).
    assert fee.pay_by == date(2026, 3, 31) and not eleventh.notice_receipt_missing
    with pytest.raises(services.ApplicationError, match="100"):
        services.fee_pay(
            fee=fee, on=date(2026, 3, 6), amount=Decimal("50.00"), receipt_no="X1", actor=office["clerk"]
        )
    services.fee_pay(
        fee=fee,
        on=date(2026, 3, 6),
        amount=Decimal("100.00"),
        receipt_no="财政票据001",
        actor=office["clerk"],
    )
    eleventh.refresh_from_db()
    assert not eleventh.clock_paused and eleventh.fee_yuan == Decimal("100.00")
    # Sent Tue 3/3, paid Fri 3/6: 3/3-6 excluded (4 working days). Mon 3/30 + 4: Fri 4/3.
    assert eleventh.reply_due_on == date(2026, 4, 3)


def test_partial_disclosure_needs_the_withheld_parts_and_delivery_closes_the_file(office):
    app = register(office)
    with pytest.raises(services.ApplicationError, match="第三十七条"):
        services.application_decide(
            application=app,
            outcome=Outcome.PARTIALLY_DISCLOSED,
            reasons="部分涉及个人隐私",
            actor=office["clerk"],
        )
    letter = services.application_decide(
        application=app, outcome=Outcome.PARTIALLY_DISCLOSED, reasons="部分涉及个人隐私", actor=office["clerk"],
        withheld_parts=[("学生名单中的身份证号码", "《条例》第十五条")], provided_how="电子邮件发送",
    )  # fmt: skip
    text = "".join(letter.paragraphs)
    assert "第三十七条" in text and "学生名单中的身份证号码" in text and "行政复议" in text
    app.refresh_from_db()
    assert app.state == ApplicationState.DECIDED and app.outcome == Outcome.PARTIALLY_DISCLOSED
    services.letter_deliver(
        letter=letter, method="email", on=timezone.localdate(), proof="邮件回执", actor=office["clerk"]
    )
    app.refresh_from_db()
    assert app.state == ApplicationState.CLOSED and app.closed_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="letter_deliver", object_id=str(app.pk)).exists()


def test_adverse_decisions_need_reasons(office):
    app = register(office)
    with pytest.raises(services.ApplicationError, match="理由"):
        services.application_decide(application=app, outcome=Outcome.WITHHELD_PROCESS, actor=office["clerk"])


def test_no_correction_in_time_closes_as_abandoned(office):
    app = register(office)
    notice = services.correction_request(
        application=app, items=["补充文号"], days=10, actor=office["clerk"], on=date(2026, 3, 3)
    )
    app.refresh_from_db()
    with pytest.raises(services.ApplicationError):  # the receipt is not recorded: never lapses
        services.application_abandon(application=app, today=date(2026, 4, 30))
    # The return receipt says Thu 3/5: 3/6 (1), 3/9-13 (6), 3/16-19 (10): in time until Thu 3/19.
    services.letter_deliver(
        letter=notice, method="post", on=date(2026, 3, 5), proof="回执", actor=office["clerk"]
    )
    app.refresh_from_db()
    with pytest.raises(services.ApplicationError):
        services.application_abandon(application=app, today=date(2026, 3, 19))
    app = services.application_abandon(application=app, today=date(2026, 4, 30))
    assert app.state == ApplicationState.CLOSED and app.outcome == Outcome.OTHER_NO_CORRECTION


def test_repeat_detection_and_merge(office):
    first = register(office)
    second = register(office, description="江州市2025年义务教育阶段学校招生计划")
    other = register(office, id_number="", id_type="passport", description="市政道路维修计划")
    assert first in services.similar_applications(second)
    assert other not in services.similar_applications(second)
    merged = services.application_merge(duplicate=second, into=first, actor=office["clerk"])
    assert merged.state == ApplicationState.MERGED and merged.merged_into == first


def test_overdue_is_derived_from_the_stored_due_date(office):
    app = register(office, received_on=timezone.localdate() - timedelta(days=60))
    assert app.reply_due_on < timezone.localdate()
    assert Application.objects.open().filter(reply_due_on__lt=timezone.localdate()).count() == 1


def test_assign_link_and_case_results(office):
    from gongkai.applications.models import RemedyCase

    first, second = register(office), register(office)
    with pytest.raises(services.ApplicationError):
        services.application_assign(application=first, assignee=office["outsider"], actor=office["clerk"])
    first = services.application_assign(application=first, assignee=office["head"], actor=office["clerk"])
    assert first.assigned_to == office["head"]
    services.application_link(application=second, other=first, actor=office["clerk"])
    assert list(first.related.all()) == [second]  # symmetrical
    case = services.remedy_case_record(
        application=first,
        kind=RemedyCase.Kind.RECONSIDERATION,
        filed_on=date(2026, 5, 1),
        actor=office["clerk"],
    )
    with pytest.raises(services.ApplicationError):
        services.remedy_case_update(
            case=case, decided_on=date(2026, 4, 1), result="upheld", actor=office["clerk"]
        )
    case = services.remedy_case_update(
        case=case, decided_on=date(2026, 6, 1), result="corrected", actor=office["clerk"]
    )
    assert case.result == "corrected"


def test_excessive_requests_ask_for_reasons_then_a_later_date(office):
    app = register(office)
    with pytest.raises(services.ApplicationError, match="说明理由"):
        services.excessive_later_date_set(
            application=app, until=date(2026, 6, 30), reason="数量巨大", actor=office["head"]
        )
    letter = services.excessive_reasons_request(application=app, actor=office["clerk"], on=date(2026, 3, 3))
    assert letter.kind == "excessive_reasons" and "第三十五条" in "".join(letter.paragraphs)
    with pytest.raises(services.NotPermitted):
        services.excessive_later_date_set(
            application=app, until=date(2026, 6, 30), reason="数量巨大", actor=office["clerk"]
        )
    app = services.excessive_later_date_set(
        application=app, until=date(2026, 6, 30), reason="申请涉及近十年全部文件，数量巨大", actor=office["head"],
        on=date(2026, 3, 10),
    )  # fmt: skip
    assert app.reply_due_on == date(2026, 6, 30)


def test_progress_lookups_are_throttled_per_address(office, client):
    submitted = services.application_submit_online(data=data(office["agency"]))
    url = f"/api/v1/applications/{submitted.application.tracking_no}"
    for _ in range(services.LOOKUPS_PER_ADDRESS):
        assert client.get(url, {"code": submitted.query_code}).status_code == 200
    refused = client.get(url, {"code": submitted.query_code})
    assert refused.status_code == 429 and refused["Retry-After"]
    assert client.get(url, {"code": submitted.query_code}, REMOTE_ADDR="10.1.2.3").status_code == 200
