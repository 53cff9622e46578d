"""The public's ratings: the applicant rates a closed reply once, visitors rate pages within a
throttle, and both add up per agency."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.applications import services as applications
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.assessment import services
from gongkai.assessment.models import Evaluation
from gongkai.assessment.selectors import evaluation_summary
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    return agency, make_staff(agency, Role.CLERK)


def _register(agency, clerk):
    data = {
        "agency": agency, "applicant_type": ApplicantType.NATURAL_PERSON, "name": "张三", "id_type": "resident_id",
        "id_number": "11010519491231002X", "phone": "13812345678", "email": "zhangsan@example.com",
        "address": "江州市江滨路1号", "description": "2025年招生计划", "form": "electronic", "delivery": "email",
    }  # fmt: skip
    return applications.application_register(
        data=data, channel=Channel.POST, received_on=timezone.localdate(), actor=clerk
    )


def _closed(agency, clerk):
    submitted = _register(agency, clerk)
    reply = applications.application_decide(
        application=submitted.application, outcome=Outcome.DISCLOSED, actor=clerk
    )
    applications.letter_deliver(letter=reply, method="email", on=timezone.localdate(), actor=clerk)
    submitted.application.refresh_from_db()
    return submitted


def test_applicant_rates_a_closed_reply_once(office):
    submitted = _closed(*office)
    evaluation = services.reply_evaluate(application=submitted.application, rating=4, comment=" 答复清楚 ")
    assert (evaluation.agency, evaluation.rating, evaluation.comment) == (office[0], 4, "答复清楚")
    with pytest.raises(services.EvaluationError):
        services.reply_evaluate(application=submitted.application, rating=1)
    assert Evaluation.objects.count() == 1


def test_an_open_application_cannot_be_rated(office):
    submitted = _register(*office)
    with pytest.raises(services.EvaluationError):
        services.reply_evaluate(application=submitted.application, rating=5)


@pytest.mark.parametrize("rating", [0, 6, "", None, "x"])
def test_a_rating_is_1_to_5(office, rating):
    with pytest.raises(services.EvaluationError):
        services.reply_evaluate(application=_closed(*office).application, rating=rating)


def test_progress_page_offers_the_rating_after_the_reply_and_takes_it_once(client, office):
    submitted = _closed(*office)
    app = submitted.application
    page = client.post(
        reverse("portal:progress"), {"tracking_no": app.tracking_no, "query_code": submitted.query_code}
    )
    assert "data-reply-rating" in page.content.decode()
    url = reverse("portal:evaluation_reply", args=[app.pk])
    response = client.post(url, {"rating": "5", "comment": "很及时"})
    assert response.status_code == 200 and "data-evaluation-recorded" in response.content.decode()
    assert client.post(url, {"rating": "1"}).status_code == 400
    page = client.post(
        reverse("portal:progress"), {"tracking_no": app.tracking_no, "query_code": submitted.query_code}
    )
    assert "data-reply-rated" in page.content.decode() and "data-reply-rating" not in page.content.decode()
    assert Evaluation.objects.get().rating == 5


def test_an_open_application_shows_no_rating_form(client, office):
    submitted = _register(*office)
    page = client.post(
        reverse("portal:progress"),
        {"tracking_no": submitted.application.tracking_no, "query_code": submitted.query_code},
    )
    assert page.status_code == 200 and "data-reply-rating" not in page.content.decode()


def test_rating_needs_the_query_code_or_a_session_that_entered_it(client, office):
    submitted = _closed(*office)
    url = reverse("portal:evaluation_reply", args=[submitted.application.pk])
    no = submitted.application.tracking_no
    assert client.post(url, {"rating": "5"}).status_code == 404
    assert client.post(url, {"rating": "5", "tracking_no": no, "query_code": "WRONG234"}).status_code == 404
    assert (
        client.post(url, {"rating": "5", "tracking_no": no, "query_code": submitted.query_code}).status_code
        == 200
    )
    assert Evaluation.objects.count() == 1


def test_document_page_carries_a_rating_form_that_works_without_javascript(client, office):
    doc = make_document(office[0], published_on=date(2026, 3, 10))
    path = reverse("portal:document", args=[doc.index_no])
    assert "data-page-rating" in client.get(path).content.decode()
    response = client.post(
        reverse("portal:evaluation_page"), {"path": path, "rating": "4"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 200
    rating = Evaluation.objects.get()
    assert (rating.kind, rating.agency, rating.page_path, rating.rating) == ("page", office[0], path, 4)
    assert rating.client_ip and "10.0.0.7" not in rating.client_ip  # a keyed hash, not the address


def test_page_rating_is_throttled_per_address(client, office, monkeypatch):
    docs = [make_document(office[0], title=f"通知{i}", published_on=date(2026, 3, 10)) for i in range(3)]
    paths = [reverse("portal:document", args=[d.index_no]) for d in docs]

    def rate(path, ip):
        return client.post(reverse("portal:evaluation_page"), {"path": path, "rating": "5"}, REMOTE_ADDR=ip)

    assert rate(paths[0], "10.0.0.1").status_code == 200
    assert rate(paths[0], "10.0.0.1").status_code == 429  # the same page again
    assert rate(paths[0], "10.0.0.2").status_code == 200  # another address
    monkeypatch.setattr(services, "PAGE_RATINGS_PER_ADDRESS", 2)
    assert rate(paths[1], "10.0.0.1").status_code == 200
    assert rate(paths[2], "10.0.0.1").status_code == 429  # the third page within the hour
    assert Evaluation.objects.count() == 3


def test_only_public_portal_pages_can_be_rated(client, office):
    draft = make_document(office[0], publish=False)
    url = reverse("portal:evaluation_page")
    assert client.post(url, {"path": "/staff/", "rating": "5"}).status_code == 404
    assert client.post(url, {"path": "//evil.example/", "rating": "5"}).status_code == 404
    assert client.post(url, {"path": f"/documents/{draft.pk}/", "rating": "5"}).status_code == 404
    assert (
        client.post(url, {"path": reverse("portal:agency", args=[office[0].code]), "rating": "3"}).status_code
        == 200
    )
    assert client.get(url).status_code == 405
    assert Evaluation.objects.count() == 1


def test_ratings_add_up_per_agency(office):
    other = make_agency("江州市财政局")
    for rating in (5, 4, 4, 1):
        services.page_rate(path="/agencies/x/", agency=office[0], rating=rating)
    services.reply_evaluate(application=_closed(*office).application, rating=3)
    summary = evaluation_summary([office[0].pk, other.pk])
    mine = summary[office[0].pk]
    assert (mine.count, mine.mean, mine.distribution) == (5, 3.4, {1: 1, 2: 0, 3: 1, 4: 2, 5: 1})
    assert (summary[other.pk].count, summary[other.pk].mean) == (0, None)
    assert evaluation_summary([office[0].pk], kind="application_reply")[office[0].pk].mean == 3.0
