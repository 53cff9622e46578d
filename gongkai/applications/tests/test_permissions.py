"""Every service of disclosure on application checks the actor (STYLE.md, habit 3): staff of
another agency, however senior there, are refused each one and nothing changes: no row, no clock
event, no audit event. The structural check over every app is core/tests/
test_services_check_the_actor.py; this one runs the refusals."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import ApplicationItem, Consultation, Dispatch, FeeNotice, Letter, RemedyCase
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

ON = date(2026, 3, 2)


@pytest.fixture
def case():
    agency = make_agency("江州市教育局")
    clerk = make_staff(agency, Role.CLERK)
    data = {
        "agency": agency, "applicant_type": ApplicantType.NATURAL_PERSON, "name": "张三",
        "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13812345678",
        "description": "2025年招生计划", "form": "electronic", "delivery": "email",
    }  # fmt: skip
    application = services.application_register(
        data=data, channel=Channel.POST, received_on=ON, actor=clerk
    ).application
    other = services.application_register(
        data=data, channel=Channel.POST, received_on=ON, actor=clerk
    ).application
    online = services.application_submit_online(data=data).application
    return {
        "agency": agency,
        "clerk": clerk,
        "application": application,
        "other": other,
        "online": online,
        "consultation": Consultation.objects.create(
            application=application, party=Consultation.Party.THIRD_PARTY, party_name="李四", started_on=ON
        ),
        "fee": FeeNotice.objects.create(
            application=application, method="per_count", amount=Decimal(100), basis="超出部分", sent_on=ON
        ),
        "letter": (letter := Letter.objects.create(application=application, kind="reply", title="答复书")),
        "dispatch": Dispatch.objects.create(
            application=application, letter=letter, method="post", posted_on=ON
        ),
        "item": ApplicationItem.objects.create(application=application, position=1, description="招生计划"),
        "remedy": RemedyCase.objects.create(
            agency=agency, application=application, kind=RemedyCase.Kind.RECONSIDERATION, filed_on=ON
        ),
    }


def _calls(c, actor):
    a = c["application"]
    return {
        "application_register": lambda: services.application_register(
            data={"agency": c["agency"], "name": "王五", "description": "x"},
            channel=Channel.POST,
            received_on=ON,
            actor=actor,
        ),  # fmt: skip
        "application_confirm_receipt": lambda: services.application_confirm_receipt(
            application=c["online"], on=ON, actor=actor
        ),
        "correction_request": lambda: services.correction_request(
            application=a, items=["请写明文件名称"], days=15, actor=actor, on=ON
        ),
        "correction_receive": lambda: services.correction_receive(application=a, on=ON, actor=actor),
        "excessive_reasons_request": lambda: services.excessive_reasons_request(application=a, actor=actor),
        "excessive_later_date_set": lambda: services.excessive_later_date_set(
            application=a, until=date(2026, 6, 1), reason="数量大", actor=actor
        ),
        "application_file_add": lambda: services.application_file_add(
            application=a, data=b"%PDF-1.4", filename="a.pdf", kind="other", actor=actor
        ),
        "consultation_start": lambda: services.consultation_start(
            application=a, party=Consultation.Party.THIRD_PARTY, party_name="赵六", on=ON, actor=actor
        ),
        "consultation_delivered": lambda: services.consultation_delivered(
            consultation=c["consultation"], on=ON, actor=actor
        ),
        "consultation_end": lambda: services.consultation_end(
            consultation=c["consultation"], on=ON, answer=Consultation.Answer.CONSENT, actor=actor
        ),
        "extension_grant": lambda: services.extension_grant(
            application=a, days=20, reason="复杂", actor=actor
        ),
        "fee_notice_send": lambda: services.fee_notice_send(
            application=a, method="per_count", amount=Decimal(100), actor=actor
        ),
        "application_matters_set": lambda: services.application_matters_set(
            application=a, matters=2, reason="两件事", actor=actor
        ),
        "fee_pay": lambda: services.fee_pay(
            fee=c["fee"], on=ON, amount=Decimal(100), receipt_no="001", actor=actor
        ),
        "fee_waive": lambda: services.fee_waive(
            fee=c["fee"], reduced_to=Decimal(0), reason="困难", actor=actor
        ),
        "application_decide": lambda: services.application_decide(
            application=a, outcome=Outcome.DISCLOSED, actor=actor
        ),
        "provided_file_add": lambda: services.provided_file_add(
            application=a, data=b"%PDF-1.4", filename="a.pdf", redact=[], actor=actor
        ),
        "notice_receipt_record": lambda: services.notice_receipt_record(
            application=a, notice="correction", on=ON, method="post", actor=actor
        ),
        "letter_deliver": lambda: services.letter_deliver(
            letter=c["letter"], method="post", on=ON, actor=actor
        ),
        "application_abandon": lambda: services.application_abandon(application=a, actor=actor),
        "application_merge": lambda: services.application_merge(duplicate=c["other"], into=a, actor=actor),
        "application_assign": lambda: services.application_assign(
            application=a, assignee=c["clerk"], actor=actor
        ),
        "applications_assign": lambda: services.applications_assign(
            applications=[a, c["other"]], assignee=c["clerk"], actor=actor
        ),
        "application_link": lambda: services.application_link(application=a, other=c["other"], actor=actor),
        "remedy_case_record": lambda: services.remedy_case_record(
            application=a, kind=RemedyCase.Kind.RECONSIDERATION, filed_on=ON, actor=actor
        ),
        "remedy_case_update": lambda: services.remedy_case_update(
            case=c["remedy"], decided_on=ON, result=RemedyCase.Result.UPHELD, actor=actor
        ),
        # Letters as drafts (issue 18 item 2).
        "extension_propose": lambda: services.extension_propose(
            application=a, days=5, reason="调档", actor=actor
        ),
        "letter_sign": lambda: services.letter_sign(letter=c["letter"], actor=actor),
        "letter_edit": lambda: services.letter_edit(letter=c["letter"], reasons="改", actor=actor),
        "letter_void": lambda: services.letter_void(letter=c["letter"], reason="作废", actor=actor),
        "letter_reissue": lambda: services.letter_reissue(letter=c["letter"], actor=actor),
        # Paperwork in and out (issue 18 item 3).
        "letter_post": lambda: services.letter_post(
            letter=c["letter"], method="post", on=ON, carrier="EMS", tracking_no="1", actor=actor
        ),
        "letter_email": lambda: services.letter_email(letter=c["letter"], to="a@example.com", actor=actor),
        "dispatch_signed_for": lambda: services.dispatch_signed_for(
            dispatch=c["dispatch"], on=ON, signer="张三", actor=actor
        ),
        "delivery_receipt_attach": lambda: services.delivery_receipt_attach(
            dispatch=c["dispatch"], data=b"%PDF-1.4", filename="a.pdf", actor=actor
        ),
        "oral_record_attach": lambda: services.oral_record_attach(
            application=a, data=b"%PDF-1.4", filename="a.pdf", actor=actor
        ),
        "consultation_opinion_attach": lambda: services.consultation_opinion_attach(
            consultation=c["consultation"], data=b"%PDF-1.4", filename="a.pdf", actor=actor
        ),
        # 分项答复 (issue 18 item 5).
        "item_add": lambda: services.item_add(application=a, description="会议纪要", actor=actor),
        "item_record": lambda: services.item_record(item=c["item"], outcome=Outcome.DISCLOSED, actor=actor),
        "item_remove": lambda: services.item_remove(item=c["item"], actor=actor),
        # Filing and the applicant look-up (issue 18 items 6 and 7).
        "case_file": lambda: services.case_file(application=a, actor=actor),
        "file_on_close": lambda: services.file_on_close(a, actor),
        "filing_rule_set": lambda: services.filing_rule_set(
            agency=a.agency, pattern="WS·{year}·{seq:4}", actor=actor
        ),
        "applicant_lookup": lambda: services.applicant_lookup(
            agency=a.agency, code="11010519491231002X", actor=actor
        ),
    }


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICE_HEAD])
def test_every_service_checks_the_actor(case, role):
    outsider = make_staff(make_agency("江州市财政局"), role)
    application = case["application"]
    version, events = application.version, application.clock_events.count()
    for name, call in _calls(case, outsider).items():
        with pytest.raises(services.NotPermitted):
            call()
        application.refresh_from_db()
        assert (application.version, application.clock_events.count()) == (version, events), name
    assert not AuditEvent.objects.filter(actor=outsider).exists()
    assert application.letters.count() == 1 and application.files.count() == 0


def test_every_service_that_takes_an_actor_is_exercised(case):
    import inspect

    taking_actor = {
        name
        for name in services.__all__
        if inspect.isfunction(getattr(services, name))
        and "actor" in inspect.signature(getattr(services, name)).parameters
    }
    assert taking_actor - {"letter_create"} == set(_calls(case, None))
