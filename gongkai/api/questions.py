"""Online interviews (在线访谈) and topic proposals (点题公开) in the JSON API: list and read
interviews (the transcript and its materials once published), ask a question before or during
an interview; list and read the offices' public responses to proposals, propose a topic.

The same forms, services, throttles and double-submit handling as the web pages and the other
participation endpoints (consultations.py): an ``Idempotency-Key`` header makes a retried post
one record, floods answer 429. Nothing personal in any answer: the questions sent to an
interview are not shown (as on the portal), a proposal only with its masked topic and author."""

from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from gongkai.questions import selectors, services
from gongkai.questions.forms import InterviewQuestionForm, ProposalForm
from gongkai.questions.rules import InterviewPhase, ProposalResponse, takes_questions

from .participation import (
    _DOC,
    _IDEMPOTENCY,
    _PAGE,
    CREATED_ERRORS,
    DATE,
    FLOODED,
    INTEGER,
    INVALID,
    PUBLIC_CACHE,
    STRING,
    _doc,
    _url,
    form_post,
    page_of,
)
from .schemas import ERROR_REF, FIELD_ERRORS_REF, closed
from .spec import Operation, Param, Response, endpoint, error_answer, json_answer, nullable, schema

_AGENCY = Param("agency", "机关代码", {"type": "string", "maxLength": 18})
DATETIME = {"type": "string", "format": "date-time"}

INTERVIEW = schema(
    "Interview",
    closed(
        {
            "id": INTEGER,
            "title": STRING,
            "agency": closed({"code": STRING, "name": STRING}),
            "guests": STRING,
            "description": STRING,
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "phase": {
                "type": "string",
                "enum": list(InterviewPhase.values),
                "description": "；".join(f"{p.value}：{p.label}" for p in InterviewPhase),
            },
            "takes_questions": {"type": "boolean", "description": "预告和访谈进行中可以提问"},
            "url": nullable(STRING),
        }
    ),
)
INTERVIEW_LIST = schema(
    "InterviewList",
    closed(
        {
            "count": INTEGER,
            "page": INTEGER,
            "pages": INTEGER,
            "results": {"type": "array", "items": INTERVIEW},
        }
    ),
)
INTERVIEW_DETAIL = schema(
    "InterviewDetail",
    closed(
        {
            "interview": INTERVIEW,
            "transcript": {"type": "string", "description": "文字实录（已隐去个人信息）；公开前为空"},
            "transcript_published_at": nullable(DATETIME),
            "materials": {"type": "array", "description": "访谈材料：已公开的政府信息", "items": _DOC},
        }
    ),
)
INTERVIEW_QUESTION_REQUEST = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "description": "问题"},
        "name": {"type": ["string", "null"], "description": "昵称（可不填）"},
    },
}
INTERVIEW_QUESTION_CREATED = schema(
    "InterviewQuestionCreated", closed({"interview": INTEGER, "received_at": DATETIME})
)
PROPOSAL = schema(
    "TopicProposal",
    closed(
        {
            "tracking_no": STRING,
            "agency": closed({"code": STRING, "name": STRING}),
            "topic": {"type": "string", "description": "希望公开的内容（已隐去个人信息）"},
            "author": {"type": "string", "description": "点题人（已隐去部分姓名），可为空"},
            "proposed_on": DATE,
            "response": {
                "type": "string",
                "enum": list(ProposalResponse.values),
                "description": "；".join(f"{r.value}：{r.label}" for r in ProposalResponse),
            },
            "response_text": STRING,
            "publish_by": nullable(DATE),
            "link": {"type": "string", "description": "已经公开的，公开网址；否则为空"},
            "responded_on": DATE,
        }
    ),
)
PROPOSAL_LIST = schema(
    "TopicProposalList",
    closed(
        {"count": INTEGER, "page": INTEGER, "pages": INTEGER, "results": {"type": "array", "items": PROPOSAL}}
    ),
)
PROPOSAL_REQUEST = {
    "type": "object",
    "required": ["agency", "topic"],
    "properties": {
        "agency": {"type": "string", "description": "机关代码"},
        "topic": {"type": "string", "description": "希望公开的内容"},
        "reason": {"type": ["string", "null"], "description": "理由或用途（不公开）"},
        "name": {"type": ["string", "null"]},
        "contact": {"type": ["string", "null"], "description": "不公开"},
    },
}
PROPOSAL_CREATED = schema("TopicProposalCreated", closed({"tracking_no": STRING, "due_on": DATE}))


_REFUSALS = {
    "rate_limited": services.RateLimited,
    "duplicate": services.Duplicate,
    "refused": services.QuestionError,
}


# --- 在线访谈 ----------------------------------------------------------------------------------


def _interview(request, i) -> dict:
    return {
        "id": i.pk,
        "title": i.title,
        "agency": {"code": i.agency.code, "name": i.agency.name},
        "guests": i.guests,
        "description": i.description,
        "starts_at": i.starts_at.isoformat(),
        "ends_at": i.ends_at.isoformat(),
        "phase": i.phase,
        "takes_questions": takes_questions(i.phase),
        "url": _url(request, "portal:interview", i.pk),
    }


@endpoint(
    Operation(
        "get",
        "listInterviews",
        "在线访谈：预告、进行中和已公开文字实录的访谈",
        params=(
            _AGENCY,
            Param(
                "phase",
                "阶段：" + "，".join(f"{p.value} {p.label}" for p in InterviewPhase),
                {"type": "string", "enum": list(InterviewPhase.values)},
            ),
            _PAGE,
        ),
        responses=(Response(200, "访谈列表", INTERVIEW_LIST), Response(400, "参数错误", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def interviews(request):
    p = request.api_params
    page, head = page_of(
        selectors.interviews_for_public(agency_code=p["agency"] or "", phase=p["phase"] or ""), p["page"]
    )
    rows = selectors.decorate_interviews(page.object_list)
    return json_answer({**head, "results": [_interview(request, i) for i in rows]})


@endpoint(
    Operation(
        "get",
        "getInterview",
        "一场在线访谈：预告信息，访谈后公开的文字实录和访谈材料",
        params=(Param("id", "访谈编号", INTEGER, where="path"),),
        responses=(Response(200, "访谈", INTERVIEW_DETAIL), Response(404, "不存在", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def interview_detail(request, id: int):  # noqa: A002 - the path parameter's documented name
    try:
        i = selectors.public_interview(id)
    except Http404:
        return error_answer(404, "未找到该访谈")
    published = i.transcript_published_at is not None
    return json_answer(
        {
            "interview": _interview(request, i),
            "transcript": i.transcript if published else "",
            "transcript_published_at": i.transcript_published_at.isoformat() if published else None,
            "materials": [_doc(request, d) for d in selectors.interview_materials(i)] if published else [],
        }
    )


@endpoint(
    Operation(
        "post",
        "postInterviewQuestion",
        "向访谈嘉宾提问（访谈预告后至访谈结束前）",
        description="与网页表单相同的校验和频率限制；提问不公开展示。",
        params=(Param("id", "访谈编号", INTEGER, where="path"), _IDEMPOTENCY),
        body=INTERVIEW_QUESTION_REQUEST,
        responses=(
            Response(201, "已收到", INTERVIEW_QUESTION_CREATED),
            INVALID,
            Response(404, "不存在", ERROR_REF),
            Response(409, "访谈已结束，或以同一幂等键重复提交", FIELD_ERRORS_REF),
            FLOODED,
        ),
    )  # fmt: skip
)
@csrf_exempt
@never_cache
def interview_question(request, id: int):  # noqa: A002
    try:
        interview = selectors.public_interview(id)
    except Http404:
        return error_answer(404, "未找到该访谈")

    def submit(d, ip, key):
        item = services.interview_question_submit(
            interview=interview, body=d["body"], name=d["name"], client_ip=ip, idempotency_key=key
        )
        return {"interview": interview.pk, "received_at": item.received_at.isoformat()}

    def status_of(exc):
        # The service re-reads the phase under a lock: an interview that ended meanwhile is a conflict.
        return 400 if takes_questions(services.current_interview_phase(interview)) else 409

    return form_post(request, InterviewQuestionForm, submit, status_of=status_of, **_REFUSALS)


# --- 点题公开 ----------------------------------------------------------------------------------


def _proposal(p) -> dict:
    return {
        "tracking_no": p.tracking_no,
        "agency": {"code": p.agency_code, "name": p.agency_name},
        "topic": p.topic,
        "author": p.author,
        "proposed_on": p.received_on.isoformat(),
        "response": p.response,
        "response_text": p.response_text,
        "publish_by": p.publish_by.isoformat() if p.publish_by else None,
        "link": p.link,
        "responded_on": p.responded_on.isoformat(),
    }


_PROPOSAL_LIST = Operation(
    "get", "listTopicProposals", "点题公开：机关已公开答复的点题（已隐去个人信息）",
    params=(_AGENCY, _PAGE),
    responses=(Response(200, "点题列表", PROPOSAL_LIST), Response(400, "参数错误", ERROR_REF)),
)  # fmt: skip
_PROPOSAL_POST = Operation(
    "post", "postTopicProposal", "向机关点题：希望公开的信息",
    description="与网页表单相同的校验和频率限制；答复期限按部署设定的工作日数计算；机关公开答复时隐去个人信息。",
    params=(_IDEMPOTENCY,),
    body=PROPOSAL_REQUEST,
    responses=(Response(201, "已收到", PROPOSAL_CREATED), *CREATED_ERRORS),
)  # fmt: skip


@endpoint(_PROPOSAL_LIST, _PROPOSAL_POST)
@csrf_exempt
def proposals(request):
    if request.method == "POST":
        return _proposal_post(request)
    return _proposal_list(request)


@PUBLIC_CACHE
def _proposal_list(request):
    p = request.api_params
    page, head = page_of(selectors.responded_proposals(agency_code=p["agency"] or ""), p["page"])
    rows = selectors.public_proposal_rows(page.object_list)
    return json_answer({**head, "results": [_proposal(r) for r in rows]})


@never_cache
def _proposal_post(request):
    def submit(d, ip, key):
        p = services.proposal_submit(
            agency=d["agency"], topic=d["topic"], reason=d["reason"], name=d["name"], contact=d["contact"],
            client_ip=ip, idempotency_key=key,
        )  # fmt: skip
        return {"tracking_no": p.tracking_no, "due_on": p.due_on.isoformat()}

    return form_post(request, ProposalForm, submit, **_REFUSALS)


@endpoint(
    Operation(
        "get",
        "getTopicProposal",
        "一条已公开答复的点题",
        params=(Param("tracking_no", "点题编号", STRING, where="path"),),
        responses=(Response(200, "点题及答复", PROPOSAL), Response(404, "不存在或未答复", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def proposal_detail(request, tracking_no: str):
    try:
        p = selectors.public_proposal(tracking_no)
    except Http404:
        return error_answer(404, "未找到该点题或尚未答复")
    return json_answer(_proposal(p))
