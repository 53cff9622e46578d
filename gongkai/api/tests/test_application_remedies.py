"""Issue 9 §6 in the public API: once the reply has been delivered, the status answer (POST and
the older GET alike) says what the applicant may do against it and who hears it, with
addresses, and whether reconsideration must come first; before delivery it says nothing, as the
progress page. The OpenAPI description documents the field."""

import json

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.agencies.tests.remedies import REMEDIES
from gongkai.applications import services
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.tests.applications_world import applicant

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"


@pytest.fixture
def case():
    agency = make_agency("江州市住房和城乡建设局")
    done = services.application_submit_online(data=applicant(agency))
    clerk = make_staff(agency, Role.CLERK)
    application = services.application_confirm_receipt(
        application=done.application, on=timezone.localdate(), actor=clerk
    )
    return application, done.query_code, clerk


def _status(client, application, code):
    answer = client.post(f"{URL}/{application.tracking_no}/status", json.dumps({"code": code}),
                         content_type="application/json")  # fmt: skip
    old = client.get(f"{URL}/{application.tracking_no}", {"code": code})
    assert answer.status_code == old.status_code == 200 and answer.json() == old.json()
    return answer.json()


def test_a_refusal_goes_to_reconsideration_first_and_names_the_body(client, case):
    application, code, clerk = case
    letter = services.application_decide(
        application=application, outcome=Outcome.WITHHELD_THIRD_PARTY, actor=clerk, reasons="涉及商业秘密"
    )
    # Decided, not yet delivered: nothing about remedies yet (the reply is not the applicant's).
    assert _status(client, application, code)["remedies"] is None
    services.letter_deliver(letter=letter, method="email", on=timezone.localdate(), actor=clerk)
    remedies = _status(client, application, code)["remedies"]
    assert remedies["reconsideration_first"] is True and remedies["court"] is None
    assert remedies["reconsideration_body"] == {
        "name": REMEDIES["reconsideration_body"],
        "address": REMEDIES["reconsideration_address"],
    }
    assert any("应当先向江州市人民政府" in line and "人民路1号" in line for line in remedies["lines"])


def test_information_not_held_offers_the_court_directly_with_its_address(client, case):
    application, code, clerk = case
    letter = services.application_decide(
        application=application,
        outcome=Outcome.UNAVAILABLE_NOT_HELD,
        actor=clerk,
        reasons="经检索，本机关不掌握",
    )
    services.letter_deliver(letter=letter, method="post", on=timezone.localdate(), actor=clerk)
    remedies = _status(client, application, code)["remedies"]
    assert remedies["reconsideration_first"] is False
    assert remedies["court"] == {"name": REMEDIES["court"], "address": REMEDIES["court_address"]}
    assert any("6个月内直接向江州市滨江区人民法院" in line for line in remedies["lines"])
    assert not any("应当先" in line for line in remedies["lines"])


def test_the_openapi_description_documents_the_remedies(client):
    spec = client.get("/api/v1/openapi.json").json()
    progress = json.dumps(spec, ensure_ascii=False)
    assert '"remedies"' in progress and "reconsideration_first" in progress and "复议前置" in progress
