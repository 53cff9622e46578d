"""Draft decisions for comment and questions answered in public, in the JSON API: list and read
consultations, post a comment; list and read published answers, post a question. The same
validation as the web forms (CommentForm, QuestionForm) and the same services; no cookies, so
no CSRF; an ``Idempotency-Key`` header makes a retried post one record; no personal data in any
answer (comments and questions only as masked public text)."""

import hashlib

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables

from gongkai.accounts.network import client_ip
from gongkai.consultations import selectors as consultation_selectors
from gongkai.consultations import services as consultation_services
from gongkai.consultations.forms import CommentForm
from gongkai.consultations.rules import Adoption, Phase
from gongkai.core.http import BadJSON, json_body
from gongkai.questions import selectors as question_selectors
from gongkai.questions import services as question_services
from gongkai.questions.forms import QuestionForm

from .schemas import ERROR_REF, FIELD_ERRORS_REF, closed
from .spec import Operation, Param, Response, endpoint, error_answer, json_answer, nullable, schema

PUBLIC_CACHE = cache_control(public=True, max_age=60)
PAGE_SIZE = 20
MAX_IDEMPOTENCY_KEY = 200
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
_URL = nullable(STRING)
_DOC = nullable(closed({"index_no": STRING, "title": STRING, "url": _URL}))
_PAGE = Param("page", "页码", {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1})

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
_IDEMPOTENCY = Param(
    "Idempotency-Key",
    "幂等键：同一键重复提交只生效一次",
    {"type": "string", "maxLength": 200},
    where="header",
)


def _url(request, name: str, *args) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:  # the public pages are not installed in an API-only deployment
        return None


def _doc(request, document) -> dict | None:
    if document is None or document.visibility != "public":
        return None
    return {
        "index_no": document.index_no,
        "title": document.title,
        "url": _url(request, "portal:document", document.index_no),
    }


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


def _errors(status: int, errors: dict) -> object:
    return json_answer({"errors": errors}, status=status)


def _idempotency_key(request) -> tuple[str | None, object]:
    """The client's key scoped to its address and hashed to fit (as for applications)."""
    raw = request.headers.get("Idempotency-Key", "").strip()
    if len(raw) > MAX_IDEMPOTENCY_KEY:
        return None, _errors(
            400, {"__all__": [_("Idempotency-Key 不能超过 %(n)d 个字符。") % {"n": MAX_IDEMPOTENCY_KEY}]}
        )
    key = hashlib.sha256(f"api:{client_ip(request)}:{raw}".encode()).hexdigest() if raw else None
    return key, None


@sensitive_variables("body")
def _form_data(request, form_class) -> tuple[dict | None, object]:
    try:
        body = json_body(request)
    except BadJSON as exc:
        return None, _errors(400, {"__all__": [str(exc)]})
    if not isinstance(body, dict):
        return None, _errors(400, {"__all__": [_("请求体须为 JSON 对象。")]})
    data, errors = {}, {}
    for name in form_class.base_fields:
        value = body.get(name)
        if value is None or name == "website":
            continue
        if not isinstance(value, str):
            errors[name] = [_("须为字符串。")]
        else:
            data[name] = value
    if errors:
        return None, _errors(400, errors)
    return data, None


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
    page = Paginator(qs, PAGE_SIZE).get_page(p["page"])
    rows = consultation_selectors.decorate(page.object_list)
    return json_answer(
        {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
         "results": [_consultation(request, c) for c in rows]}
    )  # fmt: skip


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
            Response(400, "校验未通过，按字段列出错误", FIELD_ERRORS_REF),
            Response(404, "不存在", ERROR_REF),
            Response(409, "不在征求意见期内，或以同一幂等键重复提交", FIELD_ERRORS_REF),
            Response(429, "提交过于频繁", FIELD_ERRORS_REF),
        ),
    )  # fmt: skip
)
@csrf_exempt
@never_cache
@sensitive_variables("data", "form")
def consultation_comment(request, id: int):  # noqa: A002
    try:
        c = consultation_selectors.public_consultation(id)
    except Http404:
        return error_answer(404, "未找到该意见征集")
    key, refusal = _idempotency_key(request)
    if refusal:
        return refusal
    data, refusal = _form_data(request, CommentForm)
    if refusal:
        return refusal
    form = CommentForm(data, identity_rule=c.identity_rule)
    if not form.is_valid():
        return _errors(400, {f: [str(m) for m in ms] for f, ms in form.errors.items()})
    d = form.cleaned_data
    try:
        comment = consultation_services.comment_submit(
            consultation=c, body=d["body"], name=d["name"], contact=d["contact"], client_ip=client_ip(request),
            idempotency_key=key,
        )  # fmt: skip
    except consultation_services.RateLimited as exc:
        return _errors(429, {"__all__": [str(exc)]})
    except (consultation_services.Duplicate, IntegrityError):
        return _errors(409, {"__all__": [_("该意见已提交，请勿重复提交。")]})
    except consultation_services.ConsultationError as exc:
        status = 409 if c.phase != Phase.OPEN else 400
        return _errors(status, {"__all__": [str(exc)]})
    return json_answer({"tracking_no": comment.tracking_no, "consultation": c.pk}, status=201)


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
    responses=(
        Response(201, "已收到", QUESTION_CREATED),
        Response(400, "校验未通过，按字段列出错误", FIELD_ERRORS_REF),
        Response(409, "以同一幂等键重复提交", FIELD_ERRORS_REF),
        Response(429, "提交过于频繁", FIELD_ERRORS_REF),
    ),
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
    page = Paginator(qs, PAGE_SIZE).get_page(p["page"])
    return json_answer(
        {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
         "results": [_question(request, q) for q in page.object_list]}
    )  # fmt: skip


@never_cache
@sensitive_variables("data", "form")
def _question_post(request):
    key, refusal = _idempotency_key(request)
    if refusal:
        return refusal
    data, refusal = _form_data(request, QuestionForm)
    if refusal:
        return refusal
    form = QuestionForm(data)
    if not form.is_valid():
        return _errors(400, {f: [str(m) for m in ms] for f, ms in form.errors.items()})
    d = form.cleaned_data
    try:
        q = question_services.question_submit(
            agency=d["agency"], subject=d["subject"], body=d["body"], name=d["name"], contact=d["contact"],
            client_ip=client_ip(request), idempotency_key=key,
        )  # fmt: skip
    except question_services.RateLimited as exc:
        return _errors(429, {"__all__": [str(exc)]})
    except (question_services.Duplicate, IntegrityError):
        return _errors(409, {"__all__": [_("已提交，请勿重复提交。")]})
    except question_services.QuestionError as exc:
        return _errors(400, {"__all__": [str(exc)]})
    return json_answer({"tracking_no": q.tracking_no, "due_on": q.due_on.isoformat()}, status=201)


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
