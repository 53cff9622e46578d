"""The interview and topic-proposal endpoints (issue 16 §3, gongkai/api/questions.py) in the
API's contract test (test_contract.py): an announced interview taking questions, one whose
transcript and materials are published, a responded proposal and one still waiting."""

from datetime import timedelta

from django.utils import timezone

from gongkai.catalogue.tests.factories import make_document
from gongkai.publishing.tests.factories import make_office
from gongkai.questions import services
from gongkai.questions.models import Interview
from gongkai.questions.rules import ProposalResponse

from .test_contract import Call


def setup() -> dict:
    office = make_office("访谈市教育局")
    start = timezone.now() + timedelta(days=2)
    announce = dict(
        agency=office.agency, guests="市教育局副局长", description="在线解答招生政策",
        starts_at=start, ends_at=start + timedelta(hours=2), actor=office.clerk,
    )  # fmt: skip
    upcoming = services.interview_announce(title="解读义务教育招生政策", **announce)
    past = services.interview_announce(title="解读学前教育政策", **announce)
    Interview.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    slides = make_document(office.agency, "学前教育政策解读材料", "要点")
    services.interview_transcript_publish(
        interview=past, transcript="主持人：欢迎。", materials=[slides.index_no], actor=office.clerk
    )
    answered = services.proposal_submit(
        agency=office.agency, topic="公开学区划分", name="张三", contact="13800000000"
    )
    services.proposal_respond(
        proposal=answered, response=ProposalResponse.WILL_PUBLISH, publish_by=timezone.localdate() + timedelta(days=30),
        actor=office.clerk,
    )  # fmt: skip
    waiting = services.proposal_submit(agency=office.agency, topic="公开食堂承包合同")
    return {
        "agency": office.agency,
        "upcoming": upcoming,
        "past": past,
        "answered": answered,
        "waiting": waiting,
    }


def calls(d: dict) -> list[Call]:
    code, upcoming, past = d["agency"].code, d["upcoming"].pk, d["past"].pk
    ask = {"body": "民办学校如何摇号？", "name": None}
    propose = {"agency": code, "topic": "公开校车路线", "reason": None, "name": None, "contact": None}
    return [
        Call("get", "/interviews", 200),
        Call("get", "/interviews", 200, query={"agency": code, "phase": "upcoming", "page": "1"}),
        Call("get", "/interviews", 400, query={"phase": "bogus"}),
        Call("get", f"/interviews/{upcoming}", 200),
        Call("get", f"/interviews/{past}", 200),
        Call("get", "/interviews/999999", 404),
        Call(
            "post",
            f"/interviews/{upcoming}/questions",
            201,
            body=ask,
            headers={"Idempotency-Key": "contract-i1"},
        ),
        Call(
            "post",
            f"/interviews/{upcoming}/questions",
            409,
            body=ask,
            headers={"Idempotency-Key": "contract-i1"},
        ),
        Call("post", f"/interviews/{upcoming}/questions", 400, body={"body": ""}),
        Call("post", f"/interviews/{past}/questions", 409, body=ask),
        Call("post", "/interviews/999999/questions", 404, body=ask),
        Call("get", "/proposals", 200),
        Call("get", "/proposals", 200, query={"agency": code, "page": "1"}),
        Call("get", "/proposals", 400, query={"page": "0"}),
        Call("get", f"/proposals/{d['answered'].tracking_no}", 200),
        Call("get", f"/proposals/{d['waiting'].tracking_no}", 404),
        Call("post", "/proposals", 201, body=propose, headers={"Idempotency-Key": "contract-p1"}),
        Call("post", "/proposals", 409, body=propose, headers={"Idempotency-Key": "contract-p1"}),
        Call("post", "/proposals", 400, body={**propose, "topic": ""}),
    ]
