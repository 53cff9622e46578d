"""Questions answered in public end to end below the browser: asked once (form, API), answered
within the deployment's period (overdue derived), published with personal data masked and
searchable; interviews collect questions and publish the transcript; proposals get a public
response; every workbench URL refuses the out of scope."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_office, make_staff
from gongkai.questions import selectors, services
from gongkai.questions.models import Interview, Question
from gongkai.questions.rules import ProposalResponse

pytestmark = pytest.mark.django_db
BODY = "我叫周八，手机13312345678，想问今年义务教育招生划片方案何时公布？"


def ask(agency, **kw):
    return services.question_submit(
        agency=agency, subject="招生划片何时公布", body=BODY, name="周八", contact="13312345678", **kw
    )


def test_an_answered_question_is_published_masked_and_searchable():
    office = make_office()
    q = ask(office.agency)
    assert not selectors.published_questions().exists()
    services.question_answer(
        question=q, answer="周八您好：方案将于5月底公布。", publish=True, actor=office.clerk
    )
    found = list(selectors.published_questions(q="划片"))
    assert [x.tracking_no for x in found] == [q.tracking_no]
    public = found[0]
    for text in (public.public_body, public.public_answer):
        assert "13312345678" not in text and "周八" not in text
    assert not list(selectors.published_questions(q="停车"))
    assert AuditEvent.objects.filter(action="question_answer").exists()


def test_an_unanswered_question_past_its_date_is_overdue_in_the_inbox():
    office = make_office()
    late = ask(office.agency, received_at=timezone.now() - timedelta(days=30))
    fresh = ask(office.agency)
    counts = selectors.inbox_counts(office.clerk)
    assert (counts.questions_open, counts.questions_overdue) == (2, 1)
    rows = selectors.decorate(selectors.by_due_date(selectors.questions_in_scope(office.clerk)))
    assert [r.pk for r in rows if r.is_overdue] == [late.pk] and fresh.pk not in [
        r.pk for r in rows if r.is_overdue
    ]


def test_answering_needs_the_agency_role():
    office = make_office()
    q = ask(office.agency)
    for user in (make_office("邻市教育局").clerk, office.leader):
        with pytest.raises(services.NotPermitted):
            services.question_answer(question=q, answer="答复", publish=True, actor=user)


def test_a_double_submit_and_a_flood_are_handled():
    office = make_office()
    ask(office.agency, idempotency_key="k")
    with pytest.raises(services.Duplicate):
        ask(office.agency, idempotency_key="k")
    for _ in range(services.SUBMISSIONS_PER_ADDRESS_PER_HOUR):
        ask(office.agency, client_ip="198.51.100.7")
    with pytest.raises(services.RateLimited):
        ask(office.agency, client_ip="198.51.100.7")


def test_an_interview_collects_questions_then_publishes_its_transcript():
    office = make_office()
    start = timezone.now() + timedelta(days=1)
    i = services.interview_announce(
        agency=office.agency, title="解读义务教育招生政策", guests="市教育局副局长", description="在线解答招生问题",
        starts_at=start, ends_at=start + timedelta(hours=2), actor=office.clerk,
    )  # fmt: skip
    services.interview_question_submit(interview=i, body="民办学校如何摇号？", name="网友甲")
    with pytest.raises(services.QuestionError, match="结束后"):
        services.interview_transcript_publish(interview=i, transcript="实录", actor=office.clerk)
    Interview.objects.filter(pk=i.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(services.QuestionError, match="不再征集"):
        services.interview_question_submit(interview=i, body="还能问吗？")
    i = services.interview_transcript_publish(
        interview=i, transcript="主持人：欢迎。嘉宾：摇号全程公证，咨询电话13312345678。", actor=office.clerk
    )
    assert "13312345678" not in i.transcript


def test_a_proposal_gets_a_public_response():
    office = make_office()
    p = services.proposal_submit(agency=office.agency, topic="公开各校课后服务收费标准", name="吴九")
    with pytest.raises(services.QuestionError, match="公开日期"):
        services.proposal_respond(proposal=p, response=ProposalResponse.WILL_PUBLISH, actor=office.clerk)
    services.proposal_respond(
        proposal=p, response=ProposalResponse.WILL_PUBLISH, publish_by=timezone.localdate() + timedelta(days=10),
        actor=office.clerk,
    )  # fmt: skip
    public = selectors.public_proposals()
    assert public[0].response == ProposalResponse.WILL_PUBLISH and public[0].author == "吴*"


def test_the_ask_form_takes_a_question_once(client):
    office = make_office()
    url = reverse("portal:question_ask")
    token = client.get(url).context["token"]
    data = {"token": token, "agency": office.agency.code, "subject": "办事指南", "body": "如何申请？"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Question.objects.count() == 1
    assert Question.objects.get().tracking_no in client.get(reverse("portal:question_done")).content.decode()


def test_the_api_takes_a_question_and_lists_published_answers(client):
    office = make_office()
    post = lambda: client.post(  # noqa: E731
        "/api/v1/questions", json.dumps({"agency": office.agency.code, "subject": "问", "body": BODY}),
        content_type="application/json", headers={"Idempotency-Key": "q1"},
    )  # fmt: skip
    first = post()
    assert first.status_code == 201 and first.json()["due_on"]
    assert post().status_code == 409
    q = Question.objects.get()
    services.question_answer(question=q, answer="已答复。", publish=True, actor=office.clerk)
    listing = client.get("/api/v1/questions", {"q": "划片"}).json()
    assert listing["count"] == 1 and "13312345678" not in json.dumps(listing, ensure_ascii=False)
    assert client.get(f"/api/v1/questions/{q.tracking_no}").status_code == 200
    assert client.get("/api/v1/questions/ZX000").status_code == 404
    page = client.get(reverse("portal:question", args=[q.tracking_no])).content.decode()
    assert "已答复。" in page and "13312345678" not in page


@dataclass
class QWorld:
    office: object
    outsider: object
    question: object
    proposal: object
    interview: object


@pytest.fixture
def qw(db):
    office = make_office()
    outsider = make_staff(make_office("邻市教育局").agency, Role.CLERK, Role.OFFICE_HEAD, Role.SUPERVISOR)
    question = ask(office.agency)
    proposal = services.proposal_submit(agency=office.agency, topic="公开食堂检查结果")
    start = timezone.now() + timedelta(days=2)
    interview = services.interview_announce(
        agency=office.agency, title="访谈", guests="局长", description="简介", starts_at=start,
        ends_at=start + timedelta(hours=1), actor=office.clerk,
    )  # fmt: skip
    return QWorld(office, outsider, question, proposal, interview)


@dataclass
class QUrl:
    name: str
    kwargs: Callable = lambda w: {}
    method: str = "get"
    data: Callable = lambda w: {}
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable = field(default=lambda w: [])


QUESTION_URLS = [
    QUrl("question_inbox", outsider_status=200, hidden=lambda w: [w.question.tracking_no, w.proposal.tracking_no]),
    QUrl("question_detail", kwargs=lambda w: {"pk": w.question.pk}, hidden=lambda w: [w.question.tracking_no]),
    QUrl("question_answer", kwargs=lambda w: {"pk": w.question.pk}, method="post", ok=302,
         data=lambda w: {"answer": "答复", "publish": "on", "version": w.question.version}),
    QUrl("proposal_detail", kwargs=lambda w: {"pk": w.proposal.pk}),
    QUrl("proposal_respond", kwargs=lambda w: {"pk": w.proposal.pk}, method="post", ok=302,
         data=lambda w: {"response": "cannot", "text": "属于过程性信息", "version": w.proposal.version}),
    QUrl("interview_new", outsider_status=200),
    QUrl("interview_detail", kwargs=lambda w: {"pk": w.interview.pk}),
    QUrl("interview_transcript", kwargs=lambda w: {"pk": w.interview.pk}, method="post", ok=200,
         data=lambda w: {"transcript": "实录"}),  # refused with the reason: not yet held
]  # fmt: skip


def _call(client, u, w):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", QUESTION_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_workbench_url_refuses_anonymous_and_out_of_scope_and_serves_the_office(client, qw, u):
    response = _call(client, u, qw)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    client.force_login(make_staff(qw.office.agency))
    assert _call(client, u, qw).status_code == 404
    client.force_login(qw.outsider)
    response = _call(client, u, qw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(qw):
        assert text not in response.content.decode()
    client.force_login(qw.office.clerk)
    response = _call(client, u, qw)
    assert response.status_code == u.ok, response.content.decode()[:2000]


def test_an_interview_publishes_its_materials_beside_the_transcript(client):
    """在线访谈: the transcript and its attachments are published afterwards (issue 16 §3). The
    materials are the agency's public documents, reviewed like any other; a number that is not
    one of them is refused with the number and nothing changes."""
    from gongkai.catalogue.tests.factories import make_agency, make_document

    office = make_office()
    start = timezone.now() + timedelta(days=1)
    i = services.interview_announce(
        agency=office.agency, title="解读义务教育招生政策", guests="市教育局副局长", description="在线解答",
        starts_at=start, ends_at=start + timedelta(hours=2), actor=office.clerk,
    )  # fmt: skip
    Interview.objects.filter(pk=i.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    slides = make_document(office.agency, "义务教育招生政策解读材料", "招生政策要点")
    elsewhere = make_document(make_agency("邻市教育局"), "邻市招生办法", "正文")
    with pytest.raises(services.QuestionError, match=elsewhere.index_no):
        services.interview_transcript_publish(
            interview=i,
            transcript="实录",
            materials=[slides.index_no, elsewhere.index_no],
            actor=office.clerk,
        )
    i.refresh_from_db()
    assert i.transcript_published_at is None and not i.materials.exists()

    services.interview_transcript_publish(
        interview=i, transcript="主持人：欢迎。", materials=[slides.index_no], actor=office.clerk
    )
    html = client.get(reverse("portal:interview", args=[i.pk])).content.decode()
    assert "主持人：欢迎。" in html and "义务教育招生政策解读材料" in html and slides.index_no in html
    event = AuditEvent.objects.filter(action="interview_transcript_publish").latest("id")
    assert event.after["materials"] == [slides.index_no]
