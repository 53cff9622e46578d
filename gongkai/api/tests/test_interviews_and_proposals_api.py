"""在线访谈 and 点题公开 through the JSON API (issue 16 §3): the same rules as the web forms.
A question reaches an interview once per Idempotency-Key, only while the interview takes
questions, and never appears in any answer; a flood from one address is refused; a proposal
is public only once the office responded, masked, without its contact or reason."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.publishing.tests.factories import make_office
from gongkai.questions import services
from gongkai.questions.models import Interview, InterviewQuestion, TopicProposal
from gongkai.questions.rules import ProposalResponse

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client, path, body, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(API + path, json.dumps(body), content_type="application/json", headers=headers)


def _announce(office, title="解读义务教育招生政策"):
    start = timezone.now() + timedelta(days=1)
    return services.interview_announce(
        agency=office.agency, title=title, guests="市教育局副局长", description="在线解答",
        starts_at=start, ends_at=start + timedelta(hours=2), actor=office.clerk,
    )  # fmt: skip


def test_an_interview_takes_questions_once_until_it_ends_and_never_shows_them(client):
    office = make_office()
    interview = _announce(office)
    ask = {"body": "我是周八，手机13312345678，民办学校如何摇号？", "name": "周八"}

    first = _post(client, f"/interviews/{interview.pk}/questions", ask, key="i-1")
    assert first.status_code == 201, first.content
    assert _post(client, f"/interviews/{interview.pk}/questions", ask, key="i-1").status_code == 409
    assert InterviewQuestion.objects.filter(interview=interview).count() == 1

    listing = client.get(f"{API}/interviews", {"phase": "upcoming"}).json()
    assert [r["id"] for r in listing["results"]] == [interview.pk]
    assert listing["results"][0]["takes_questions"] is True
    assert client.get(f"{API}/interviews", {"phase": "published"}).json()["count"] == 0
    detail = client.get(f"{API}/interviews/{interview.pk}").json()
    assert detail["transcript"] == "" and detail["transcript_published_at"] is None
    assert "13312345678" not in json.dumps(detail, ensure_ascii=False)

    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    late = _post(client, f"/interviews/{interview.pk}/questions", {"body": "还能问吗？"})
    assert late.status_code == 409 and InterviewQuestion.objects.count() == 1
    services.interview_transcript_publish(
        interview=interview, transcript="主持人：欢迎。嘉宾：咨询电话13312345678。", actor=office.clerk
    )
    detail = client.get(f"{API}/interviews/{interview.pk}").json()
    assert detail["interview"]["phase"] == "published" and detail["interview"]["takes_questions"] is False
    assert "主持人：欢迎。" in detail["transcript"] and "13312345678" not in detail["transcript"]
    assert client.get(f"{API}/interviews", {"phase": "published"}).json()["count"] == 1


def test_a_flood_of_interview_questions_from_one_address_is_refused(client):
    interview = _announce(make_office())
    statuses = [
        _post(client, f"/interviews/{interview.pk}/questions", {"body": f"问题{i}"}).status_code
        for i in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR + 1)
    ]
    assert statuses == [201] * services.SUBMISSIONS_PER_ADDRESS_PER_HOUR + [429]
    assert InterviewQuestion.objects.count() == services.SUBMISSIONS_PER_ADDRESS_PER_HOUR


def test_a_proposal_is_public_only_with_its_response_and_masked(client):
    office = make_office()
    body = {
        "agency": office.agency.code,
        "topic": "请公开学区划分，我是周八，电话13312345678",
        "reason": "孩子明年入学",
        "name": "周八",
        "contact": "13312345678",
    }
    created = _post(client, "/proposals", body, key="p-1")
    assert created.status_code == 201 and created.json()["due_on"]
    assert _post(client, "/proposals", body, key="p-1").status_code == 409
    proposal = TopicProposal.objects.get()
    assert client.get(f"{API}/proposals").json()["count"] == 0
    assert client.get(f"{API}/proposals/{proposal.tracking_no}").status_code == 404

    publish_by = timezone.localdate() + timedelta(days=20)
    services.proposal_respond(
        proposal=proposal, response=ProposalResponse.WILL_PUBLISH, publish_by=publish_by, actor=office.clerk
    )
    listing = client.get(f"{API}/proposals", {"agency": office.agency.code}).json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert row == client.get(f"{API}/proposals/{proposal.tracking_no}").json()
    assert row["response"] == "will_publish" and row["publish_by"] == publish_by.isoformat()
    assert "学区划分" in row["topic"] and row["author"].startswith("周") and row["author"] != "周八"
    text = json.dumps(listing, ensure_ascii=False)
    assert "13312345678" not in text and "周八" not in text and "孩子明年入学" not in text
    assert client.get(f"{API}/proposals", {"agency": "000000000"}).json()["count"] == 0


def test_a_hearing_takes_registrations_through_the_api_as_through_the_form(client):
    """听证 (issue 16 §1): registration until the closing day, once per key, limited per address;
    the registrant's name and contact never appear in the consultation's public answer."""
    from gongkai.consultations.hearings import REGISTRATIONS_PER_ADDRESS
    from gongkai.consultations.models import Hearing, HearingRegistration
    from gongkai.consultations.tests.factories import make_consultation

    from .contract_hearings import announce

    office = make_office()
    c = make_consultation(office)
    hearing = announce(c, office.clerk)
    path = f"/consultations/{c.pk}/hearings/{hearing.pk}/registrations"
    body = {"name": "周八", "contact": "13312345678", "position": "支持"}
    assert _post(client, path, body, key="h-1").status_code == 201
    assert _post(client, path, body, key="h-1").status_code == 409
    statuses = [_post(client, path, body).status_code for _ in range(REGISTRATIONS_PER_ADDRESS)]
    assert statuses == [201] * (REGISTRATIONS_PER_ADDRESS - 1) + [429]
    assert HearingRegistration.objects.filter(hearing=hearing).count() == REGISTRATIONS_PER_ADDRESS
    detail = json.dumps(client.get(f"{API}/consultations/{c.pk}").json(), ensure_ascii=False)
    assert "13312345678" not in detail and "周八" not in detail

    Hearing.objects.filter(pk=hearing.pk).update(
        registration_closes_on=timezone.localdate() - timedelta(days=1)
    )
    assert _post(client, path, {"name": "甲", "contact": "x"}).status_code == 409
    other = make_consultation(make_office("江州市财政局"))
    assert (
        _post(client, f"/consultations/{other.pk}/hearings/{hearing.pk}/registrations", body).status_code
        == 404
    )
