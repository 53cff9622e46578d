"""``POST /api/v1/applications/{tracking_no}/status`` with ``{"code": ...}`` (interfaces.md):
the query code in no URL. It answers exactly what the older ``GET ...?code=`` answers, 404
naming no part for a wrong number or code, and the portal looks progress up by POST only."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.complaints.tests.factories import make_tree
from gongkai.complaints.tests.factories import submit as submit_complaint
from gongkai.publishing.tests.factories import make_staff
from gongkai.workbench.tests.applications_world import applicant

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"


@pytest.fixture
def submitted():
    agency = make_agency("江州市住房和城乡建设局")
    done = services.application_submit_online(data=applicant(agency))
    return done.application, done.query_code


def status(client, tracking_no, payload, raw=None):
    body = raw if raw is not None else json.dumps(payload)
    return client.post(f"{URL}/{tracking_no}/status", body, content_type="application/json")


def test_post_answers_exactly_what_get_answers(client, submitted):
    application, code = submitted
    clerk = make_staff(application.agency, Role.CLERK)
    application = services.application_confirm_receipt(
        application=application, on=timezone.localdate(), actor=clerk
    )
    letter = services.application_decide(application=application, outcome=Outcome.DISCLOSED, actor=clerk)
    services.letter_deliver(letter=letter, method="email", on=timezone.localdate(), actor=clerk)
    by_post = status(client, application.tracking_no, {"code": code.lower()})
    by_get = client.get(f"{URL}/{application.tracking_no}", {"code": code})
    assert by_post.status_code == by_get.status_code == 200
    assert by_post.json() == by_get.json()
    assert by_post.json()["reply"]["paragraphs"] and by_post.json()["status"] == "closed"
    assert "no-store" in by_post["Cache-Control"]
    assert code not in json.dumps(by_post.json())


def test_a_wrong_code_an_unknown_number_and_no_code_get_the_same_404(client, submitted):
    application, code = submitted
    wrong = status(client, application.tracking_no, {"code": "ABCDEFGH"})
    unknown = status(client, "20990101000000", {"code": code})
    missing = status(client, application.tracking_no, {})
    old = client.get(f"{URL}/{application.tracking_no}", {"code": "ABCDEFGH"})
    assert wrong.status_code == unknown.status_code == missing.status_code == old.status_code == 404
    assert wrong.json() == unknown.json() == missing.json() == old.json()


def test_a_body_that_is_not_an_object_with_a_string_code_is_a_400(client, submitted):
    application, _code = submitted
    for raw in ("", "[]", '"K7P3Q9XD"', "{bad json", '{"code": 12345678}', '{"code": ["A"]}'):
        response = status(client, application.tracking_no, None, raw=raw)
        assert response.status_code == 400, raw
        assert "errors" in response.json()


def test_only_post_is_allowed_and_no_cookie_or_csrf_is_needed(submitted):
    application, code = submitted
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"{URL}/{application.tracking_no}/status").status_code == 405
    assert status(client, application.tracking_no, {"code": code}).status_code == 200


def test_lookups_are_throttled_per_address_on_both_forms(client, submitted):
    application, _code = submitted
    answers = [
        status(client, application.tracking_no, {"code": "ABCDEFGH"}).status_code
        for _ in range(services.LOOKUPS_PER_ADDRESS + 1)
    ]
    assert answers[-1] == 429 and set(answers[:-1]) == {404}
    assert client.get(f"{URL}/{application.tracking_no}", {"code": "ABCDEFGH"}).status_code == 429


def test_the_openapi_description_documents_the_post_and_marks_the_get_deprecated(client):
    spec = client.get(f"{URL[: -len('/applications')]}/openapi.json").json()
    post = spec["paths"]["/applications/{tracking_no}/status"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["code"]
    assert {"200", "400", "404", "429"} <= set(post["responses"])
    get = spec["paths"]["/applications/{tracking_no}"]["get"]
    assert get["deprecated"] is True and "redacted" in get["description"]


def test_the_portal_looks_progress_up_by_post_only_never_from_the_url(client, submitted):
    application, code = submitted
    page = client.get("/progress/").content.decode()
    assert 'method="post"' in page and 'action="/progress/"' in page
    # A code put in the URL is not used (nor echoed): nothing is looked up.
    page = client.get(
        "/progress/", {"tracking_no": application.tracking_no, "query_code": code}
    ).content.decode()
    assert code not in page and "待确认接收" not in page
    page = client.post(
        "/progress/", {"tracking_no": application.tracking_no, "query_code": code}
    ).content.decode()
    assert "待确认接收" in page and code not in page


def test_the_complaint_progress_page_looks_up_by_post_only(client):
    tree = make_tree()
    done = submit_complaint(tree.bureau)
    page = client.get("/complaints/progress/").content.decode()
    assert 'method="post"' in page
    by_url = client.get(
        "/complaints/progress/", {"tracking_no": done.complaint.tracking_no, "query_code": done.query_code}
    ).content.decode()
    assert done.query_code not in by_url and done.complaint.tracking_no not in by_url


def test_no_query_code_hash_is_slow_anymore(submitted):
    application, _code = submitted
    assert Application.objects.get(pk=application.pk).query_code_hash.startswith("hmac_sha256$")
