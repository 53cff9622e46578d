"""Applications through the public JSON API: submit, follow progress, never personal data."""

import json

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"
PERSONAL = {
    "name": "王五",
    "id_number": "11010519491231002X",
    "phone": "13712345678",
    "email": "wangwu@example.com",
    "address": "江州市滨江区人民路88号",
}


@pytest.fixture
def agency():
    return make_agency("江州市住房和城乡建设局")


def body(agency, **overrides):
    values = {
        "agency": agency.code,
        "applicant_type": "natural_person",
        "id_type": "resident_id",
        **PERSONAL,
        "description": "2025年江州市保障性租赁住房筹集计划",
        "doc_no": "",
        "form": "electronic",
        "delivery": "email",
    }
    values.update(overrides)
    return values


def post(client, payload, **extra):
    return client.post(URL, json.dumps(payload), content_type="application/json", **extra)


def test_a_valid_application_gets_201_with_exactly_the_contract_keys(client, agency):
    response = post(client, body(agency))
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"tracking_no", "query_code", "received_on"}
    assert data["received_on"] is None  # online: fixed when the office confirms receipt
    assert response["Location"] == f"{URL}/{data['tracking_no']}"
    application = Application.objects.get()
    assert application.channel == "online" and application.tracking_no == data["tracking_no"]
    assert (
        services.application_find(tracking_no=data["tracking_no"], query_code=data["query_code"])
        == application
    )


def test_the_api_needs_no_csrf_token(agency):
    from django.test import Client

    assert post(Client(enforce_csrf_checks=True), body(agency)).status_code == 201


def test_invalid_input_gets_400_with_messages_per_field(client, agency):
    response = post(client, body(agency, id_number="110105194912310021", description="", delivery="fax"))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"id_number", "description", "delivery"}
    assert all(isinstance(m, list) and all(isinstance(s, str) for s in m) for m in errors.values())
    assert "居民身份证号码有误" in errors["id_number"][0]
    assert not Application.objects.exists()


def test_an_organisation_with_a_bad_credit_code_is_refused_like_on_the_web(client, agency):
    payload = body(agency, applicant_type="legal_service_org", org_code="91110108551385082X", contact_name="")
    errors = post(client, payload).json()["errors"]
    assert "统一社会信用代码有误" in errors["org_code"][0] and "contact_name" in errors


@pytest.mark.parametrize("payload", ["not json", "[1, 2]", "null"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, payload):
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 400 and "__all__" in response.json()["errors"]


def test_a_field_of_the_wrong_type_is_named(client, agency):
    errors = post(client, body(agency, name=["王五"])).json()["errors"]
    assert "name" in errors


def test_too_many_submissions_from_one_address_get_429(client, agency):
    for i in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        assert (
            post(client, body(agency, description=f"第{i}份"), REMOTE_ADDR="203.0.113.7").status_code == 201
        )
    response = post(client, body(agency), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "提交过于频繁" in response.json()["errors"]["__all__"][0]
    assert response["Retry-After"]


def test_a_retry_with_the_same_idempotency_key_makes_one_application(client, agency):
    first = post(client, body(agency), HTTP_IDEMPOTENCY_KEY="retry-1")
    again = post(client, body(agency), HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201 and again.status_code == 409
    assert again.json()["tracking_no"] == first.json()["tracking_no"]
    assert Application.objects.count() == 1
    # Another address with the same key is another client: its key finds nothing of the first.
    assert (
        post(client, body(agency), HTTP_IDEMPOTENCY_KEY="retry-1", REMOTE_ADDR="198.51.100.3").status_code
        == 201
    )


def submitted(client, agency):
    data = post(client, body(agency)).json()
    return data["tracking_no"], data["query_code"]


def test_a_wrong_code_and_an_unknown_number_are_the_same_404(client, agency):
    tracking_no, code = submitted(client, agency)
    wrong = client.get(f"{URL}/{tracking_no}", {"code": "ABCDEFGH"})
    unknown = client.get(f"{URL}/20990101000000", {"code": code})
    missing = client.get(f"{URL}/{tracking_no}")
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.json() == unknown.json() == missing.json()


def test_progress_has_the_documented_keys_and_no_personal_data(client, agency):
    tracking_no, code = submitted(client, agency)
    clerk = make_staff(agency, Role.CLERK)
    services.application_confirm_receipt(
        application=Application.objects.get(), on=timezone.localdate(), actor=clerk
    )
    response = client.get(f"{URL}/{tracking_no}", {"code": code.lower()})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = response.json()
    assert {
        "tracking_no", "agency", "status", "status_label", "received_on", "reply_due_on", "due_provisional",
        "clock_paused", "due_explanation", "outcome", "reply",
    } <= set(data)  # fmt: skip
    assert data["agency"] == {"code": agency.code, "name": agency.name}
    assert data["status"] == "received" and data["received_on"] == timezone.localdate().isoformat()
    assert data["reply_due_on"] and data["due_explanation"] and data["reply"] is None
    text = json.dumps(data, ensure_ascii=False)
    for value in PERSONAL.values():
        assert value not in text
    assert "query_code" not in data and code not in text


def test_the_reply_appears_once_delivered_without_naming_the_applicant(client, agency):
    tracking_no, code = submitted(client, agency)
    clerk = make_staff(agency, Role.CLERK)
    today = timezone.localdate()
    application = services.application_confirm_receipt(
        application=Application.objects.get(), on=today, actor=clerk
    )
    letter = services.application_decide(
        application=application,
        outcome=Outcome.DISCLOSED,
        actor=clerk,
        provided_how="以电子邮件发送至 wangwu@example.com",
    )
    assert client.get(f"{URL}/{tracking_no}", {"code": code}).json()["reply"] is None
    services.letter_deliver(letter=letter, method="email", on=today, actor=clerk)
    data = client.get(f"{URL}/{tracking_no}", {"code": code}).json()
    assert data["status"] == "closed" and data["outcome"] == "disclosed"
    assert data["reply"]["letter_no"] == letter.letter_no and data["reply"]["paragraphs"]
    text = json.dumps(data, ensure_ascii=False)
    for value in PERSONAL.values():
        assert value not in text
