"""Draft decisions for comment and questions answered in public, in the JSON API: list and read
consultations, post a comment, register for a hearing; list and read published answers, post a
question. The same validation as the web forms (CommentForm, RegistrationForm, QuestionForm) and
the same services; no cookies, so no CSRF; an ``Idempotency-Key`` header makes a retried post one
record; no personal data in any answer (comments and questions only as masked public text)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from gongkai.accounts.network import client_ip
from gongkai.consultations import hearings as consultation_hearings
from gongkai.consultations import selectors as consultation_selectors
from gongkai.consultations import services as consultation_services
from gongkai.consultations.forms import CommentForm, RegistrationForm
from gongkai.consultations.rules import Adoption, HearingState, Phase
from gongkai.questions import selectors as question_selectors
from gongkai.questions import services as question_services
from gongkai.questions.forms import QuestionForm

from .participation import (
    _DOC,
    _IDEMPOTENCY,
    _PAGE,
    _URL,
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
from .spec import Operation, Param, Response, endpoint, error_answer, json_answer, schema

CONSULTATION = schema(
    "Consultation",
    closed(
        {
            "id": INTEGER,
            "title": STRING,
            "agency": closed({"code": STRING, "name": STRING}),
            "phase": {
                "type": "string",
                "enum": list(Phase.values),
                "description": "；".join(f"{p.value}：{p.label}" for p in Phase),
            },
            "opens_on": DATE,
            "closes_on": DATE,
            "period_days": INTEGER,
            "short_period_reason": {"type": "string", "description": "期限少于30日时的理由，否则为空"},
            "identity_rule": {"type": "string", "enum": ["anonymous", "named"]},
            "comment_count": INTEGER,
            "url": _URL,
        }
    ),
)
CONSULTATION_LIST = schema(
    "ConsultationList",
    closed(
        {
            "count": INTEGER,
            "page": INTEGER,
            "pages": INTEGER,
            "results": {"type": "array", "items": CONSULTATION},
        }
    ),
)
CONSULTATION_DETAIL = schema(
    "ConsultationDetail",
    closed(
        {
            "consultation": CONSULTATION,
            "explanation": {"type": "string", "description": "起草说明"},
            "draft": _DOC,
            "draft_text": STRING,
            "report": _DOC,
            "final_document": _DOC,
            "interpretation": _DOC,
            "comments": {
                "type": "array",
                "description": "经审核公开展示的意见（已隐去个人信息）",
                "items": closed(
                    {"tracking_no": STRING, "author": STRING, "received_at": STRING, "body": STRING}
                ),
            },
            "adoption": {
                "type": "array",
                "description": "意见采纳情况公开后：各类意见及其采纳情况",
                "items": closed(
                    {
                        "summary": STRING,
                        "comments": INTEGER,
                        "decision": {"type": "string", "enum": list(Adoption.values)},
                        "reason": STRING,
                    }
                ),
            },
            "hearings": {
                "type": "array",
                "items": closed(
                    {
                        "id": INTEGER,
                        "matter": STRING,
                        "held_at": STRING,
                        "place": STRING,
                        "how_to_register": STRING,
                        "registration_closes_on": DATE,
                        "seats": INTEGER,
                        "state": STRING,
                        "record": STRING,
                    }
                ),  # fmt: skip
            },
        }
    ),
)
COMMENT_REQUEST = {
    "type": "object",
    "required": ["body"],
    "properties": {
        "body": {"type": "string", "description": "意见内容"},
        "name": {"type": ["string", "null"], "description": "姓名或名称（须署名的征求意见必填）"},
        "contact": {"type": ["string", "null"], "description": "联系方式（须署名的征求意见必填；不公开）"},
    },
}
COMMENT_CREATED = schema("CommentCreated", closed({"tracking_no": STRING, "consultation": INTEGER}))
QUESTION = schema(
    "PublishedQuestion",
    closed(
        {
            "tracking_no": STRING,
            "agency": closed({"code": STRING, "name": STRING}),
            "subject": STRING,
            "question": STRING,
            "answer": STRING,
            "asked_on": DATE,
            "answered_on": DATE,
            "url": _URL,
        }
    ),  # fmt: skip
)
QUESTION_LIST = schema(
    "PublishedQuestionList",
    closed(
        {"count": INTEGER, "page": INTEGER, "pages": INTEGER, "results": {"type": "array", "items": QUESTION}}
    ),
)
QUESTION_REQUEST = {
    "type": "object",
    "required": ["agency", "subject", "body"],
    "properties": {
        "agency": {"type": "string", "description": "机关代码"},
        "subject": STRING,
        "body": STRING,
        "name": {"type": ["string", "null"]},
        "contact": {"type": ["string", "null"], "description": "不公开"},
    },
}
QUESTION_CREATED = schema("QuestionCreated", closed({"tracking_no": STRING, "due_on": DATE}))


def _consultation(request, c) -> dict:
    return {
        "id": c.pk,
        "title": c.draft.title,
        "agency": {"code": c.agency.code, "name": c.agency.name},
        "phase": c.phase,
        "opens_on": c.opens_on.isoformat(),
        "closes_on": c.closes_on.isoformat(),
        "period_days": c.period_days,
        "short_period_reason": c.short_period_reason if c.short_period else "",
        "identity_rule": c.identity_rule,
        "comment_count": c.comment_count,
        "url": _url(request, "portal:consultation", c.pk),
    }


# --- consultations -----------------------------------------------------------------------------


@endpoint(
    Operation(
        "get",
        "listConsultations",
        "决策草案意见征集（征求意见稿已公开的）",
        params=(
            Param("q", "关键词（标题、起草说明）", {"type": "string", "maxLength": 100}),
            Param(
                "phase",
                "阶段：open 征求意见中，closed 意见整理中，concluded 已公布采纳情况",
                {"type": "string", "enum": ["open", "closed", "concluded"]},
            ),
            Param("agency", "机关代码", {"type": "string", "maxLength": 18}),
            _PAGE,
        ),
        responses=(Response(200, "意见征集列表", CONSULTATION_LIST), Response(400, "参数错误", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def consultation_list(request):
    p = request.api_params
    qs = consultation_selectors.public_consultations(
        q=p["q"] or "", agency_code=p["agency"] or "", status=p["phase"] or ""
    )
    page, head = page_of(qs, p["page"])
    rows = consultation_selectors.decorate(page.object_list)
    return json_answer({**head, "results": [_consultation(request, c) for c in rows]})


@endpoint(
    Operation(
        "get",
        "getConsultation",
        "一项意见征集：征求意见稿、起草说明、公开展示的意见、听证、采纳情况和关联文件",
        params=(Param("id", "意见征集编号", INTEGER, where="path"),),
        responses=(Response(200, "意见征集", CONSULTATION_DETAIL), Response(404, "不存在", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def consultation_detail(request, id: int):  # noqa: A002 - the path parameter's documented name
    try:
        c = consultation_selectors.public_consultation(id)
    except Http404:
        return error_answer(404, "未找到该意见征集")
    return json_answer(
        {
            "consultation": _consultation(request, c),
            "explanation": c.draft.summary,
            "draft": _doc(request, c.draft),
            "draft_text": c.draft.body,
            "report": _doc(request, c.report),
            "final_document": _doc(request, c.final_document),
            "interpretation": _doc(request, c.interpretation),
            "comments": [
                {
                    "tracking_no": m.tracking_no,
                    "author": m.author,
                    "received_at": m.received_at.isoformat(),
                    "body": m.body,
                }
                for m in consultation_selectors.shown_comments(c)
            ],
            "adoption": [
                {"summary": g.summary, "comments": g.n, "decision": g.decision, "reason": g.reason}
                for g in consultation_selectors.public_groups(c)
            ],
            "hearings": [
                {
                    "id": h.pk,
                    "matter": h.matter,
                    "held_at": h.held_at.isoformat(),
                    "place": h.place,
                    "how_to_register": h.how_to_register,
                    "registration_closes_on": h.registration_closes_on.isoformat(),
                    "seats": h.seats,
                    "state": h.state,
                    "record": h.record,
                }  # fmt: skip
                for h in consultation_selectors.public_hearings(c)
            ],
        }
    )


@endpoint(
    Operation(
        "post",
        "postConsultationComment",
        "对征求意见稿提出意见（征求意见期内）",
        description="与网页表单相同的校验；意见经审核后公开展示，展示时隐去个人信息。",
        params=(Param("id", "意见征集编号", INTEGER, where="path"), _IDEMPOTENCY),
        body=COMMENT_REQUEST,
        responses=(
            Response(201, "已收到", COMMENT_CREATED),
            INVALID,
            Response(404, "不存在", ERROR_REF),
            Response(409, "不在征求意见期内，或以同一幂等键重复提交", FIELD_ERRORS_REF),
            FLOODED,
        ),
    )  # fmt: skip
)
@csrf_exempt
@never_cache
def consultation_comment(request, id: int):  # noqa: A002
    try:
        c = consultation_selectors.public_consultation(id)
    except Http404:
        return error_answer(404, "未找到该意见征集")

    def submit(d, ip, key):
        comment = consultation_services.comment_submit(
            consultation=c, body=d["body"], name=d["name"], contact=d["contact"], client_ip=ip,
            idempotency_key=key,
        )  # fmt: skip
        return {"tracking_no": comment.tracking_no, "consultation": c.pk}

    return form_post(
        request, CommentForm, submit, form_kwargs={"identity_rule": c.identity_rule},
        rate_limited=consultation_services.RateLimited, duplicate=consultation_services.Duplicate,
        duplicate_message=_("该意见已提交，请勿重复提交。"), refused=consultation_services.ConsultationError,
        status_of=lambda exc: 409 if c.phase != Phase.OPEN else 400,
    )  # fmt: skip


REGISTRATION_REQUEST = {
    "type": "object",
    "required": ["name", "contact"],
    "properties": {
        "name": {"type": "string", "description": "姓名或名称（不公开）"},
        "contact": {"type": "string", "description": "联系方式（不公开）"},
        "position": {"type": ["string", "null"], "description": "主要观点"},
    },
}
REGISTRATION_CREATED = schema(
    "HearingRegistrationCreated", closed({"hearing": INTEGER, "received_at": STRING})
)


@endpoint(
    Operation(
        "post",
        "postHearingRegistration",
        "报名参加听证会（报名截止日前）",
        description="与网页表单相同的校验；报名信息不公开，机关遴选参加人后在听证信息中公布人数。",
        params=(
            Param("id", "意见征集编号", INTEGER, where="path"),
            Param("hearing", "听证会编号", INTEGER, where="path"),
            _IDEMPOTENCY,
        ),
        body=REGISTRATION_REQUEST,
        responses=(
            Response(201, "已报名", REGISTRATION_CREATED),
            INVALID,
            Response(404, "不存在或未在报名", ERROR_REF),
            Response(409, "报名已截止，或以同一幂等键重复提交", FIELD_ERRORS_REF),
            Response(429, "同一网络地址报名次数过多", FIELD_ERRORS_REF),
        ),
    )  # fmt: skip
)
@csrf_exempt
@never_cache
def hearing_registration(request, id: int, hearing: int):  # noqa: A002
    try:
        c = consultation_selectors.public_consultation(id)
    except Http404:
        return error_answer(404, "未找到该听证会")
    h = next((h for h in consultation_selectors.public_hearings(c) if h.pk == hearing), None)
    if h is None or h.state != HearingState.ANNOUNCED:  # as the web form: only while announced
        return error_answer(404, "未找到该听证会或不在报名阶段")

    def submit(d, ip, key):
        reg = consultation_hearings.hearing_register(
            hearing=h, name=d["name"], contact=d["contact"], position=d["position"], client_ip=ip,
            idempotency_key=key,
        )  # fmt: skip
        return {"hearing": h.pk, "received_at": reg.received_at.isoformat()}

    def status_of(exc):
        # The service says why in words; the status follows from the facts it checked.
        if timezone.localdate() > h.registration_closes_on:
            return 409
        flooded = (
            h.registrations.filter(client_ip=client_ip(request)).count()
            >= consultation_hearings.REGISTRATIONS_PER_ADDRESS
        )
        return 429 if flooded else 400

    return form_post(
        request, RegistrationForm, submit, status_of=status_of, duplicate=consultation_services.Duplicate,
        duplicate_message=_("已报名，请勿重复提交。"), refused=consultation_services.ConsultationError,
    )  # fmt: skip


# --- questions ---------------------------------------------------------------------------------


def _question(request, q) -> dict:
    return {
        "tracking_no": q.tracking_no,
        "agency": {"code": q.agency.code, "name": q.agency.name},
        "subject": q.public_subject,
        "question": q.public_body,
        "answer": q.public_answer,
        "asked_on": timezone.localdate(q.received_at).isoformat(),
        "answered_on": timezone.localdate(q.answered_at).isoformat(),
        "url": _url(request, "portal:question", q.tracking_no),
    }


_QUESTION_LIST = Operation(
    "get", "listQuestions", "已公开的网上咨询问答（已隐去个人信息）",
    params=(
        Param("q", "关键词", {"type": "string", "maxLength": 100}),
        Param("agency", "机关代码", {"type": "string", "maxLength": 18}),
        _PAGE,
    ),
    responses=(Response(200, "问答列表", QUESTION_LIST), Response(400, "参数错误", ERROR_REF)),
)  # fmt: skip
_QUESTION_POST = Operation(
    "post", "postQuestion", "向机关提出网上咨询",
    description="与网页表单相同的校验；答复期限按部署设定的工作日数计算；答复公开时隐去个人信息。",
    params=(_IDEMPOTENCY,),
    body=QUESTION_REQUEST,
    responses=(Response(201, "已收到", QUESTION_CREATED), *CREATED_ERRORS),
)  # fmt: skip


@endpoint(_QUESTION_LIST, _QUESTION_POST)
@csrf_exempt
def questions(request):
    if request.method == "POST":
        return _question_post(request)
    return _question_list(request)


@PUBLIC_CACHE
def _question_list(request):
    p = request.api_params
    qs = question_selectors.published_questions(q=p["q"] or "", agency_code=p["agency"] or "")
    page, head = page_of(qs, p["page"])
    return json_answer({**head, "results": [_question(request, q) for q in page.object_list]})


@never_cache
def _question_post(request):
    def submit(d, ip, key):
        q = question_services.question_submit(
            agency=d["agency"], subject=d["subject"], body=d["body"], name=d["name"], contact=d["contact"],
            client_ip=ip, idempotency_key=key,
        )  # fmt: skip
        return {"tracking_no": q.tracking_no, "due_on": q.due_on.isoformat()}

    return form_post(
        request, QuestionForm, submit, rate_limited=question_services.RateLimited,
        duplicate=question_services.Duplicate, refused=question_services.QuestionError,
    )  # fmt: skip


@endpoint(
    Operation(
        "get",
        "getQuestion",
        "一条已公开的网上咨询问答",
        params=(Param("tracking_no", "咨询编号", STRING, where="path"),),
        responses=(Response(200, "问答", QUESTION), Response(404, "不存在或未公开", ERROR_REF)),
    )  # fmt: skip
)
@PUBLIC_CACHE
def question_detail(request, tracking_no: str):
    q = question_selectors.published_questions().filter(tracking_no=tracking_no).first()
    if q is None:
        return error_answer(404, "未找到该问答")
    return json_answer(_question(request, q))
