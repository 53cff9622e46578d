"""Disclosure on application through the public API (interfaces.md): submit, and follow
progress with the tracking number and query code. The same validation as the web form
(ApplicationForm); no cookies, so no CSRF; never any personal data in a response."""

import hashlib

from django.db import IntegrityError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_variables

from gongkai.accounts.network import client_ip
from gongkai.applications import services
from gongkai.applications.forms import ApplicationForm
from gongkai.applications.models import Application
from gongkai.applications.progress import application_progress
from gongkai.core.http import BadJSON, json_body

from . import schemas
from .spec import Operation, Param, Response, endpoint
from .views import STRING, _error, _json

MAX_IDEMPOTENCY_KEY = 200
RATE_LIMIT_RETRY_SECONDS = 3600


def _errors(status: int, errors: dict, **extra):
    return _json({"errors": errors, **extra}, status=status)


@sensitive_variables("body", "data")
def _form_data(body: dict) -> tuple[dict, dict]:
    """The JSON object as form data: strings (numbers accepted and written as text), null or
    absent for empty; any other type is an error on that field. Unknown keys are ignored."""
    data, errors = {}, {}
    for name in ApplicationForm.base_fields:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            errors[name] = [_("须为字符串。")]
        else:
            data[name] = str(value)
    return data, errors


def _idempotency_key(request, raw: str) -> str | None:
    # A client's key is scoped to its address, so one client's key cannot find another's
    # application; hashed to fit the column whatever the client sent.
    return hashlib.sha256(f"api:{client_ip(request)}:{raw}".encode()).hexdigest() if raw else None


def _tracking_no_for(key: str | None) -> str | None:
    if not key:
        return None
    return Application.objects.filter(idempotency_key=key).values_list("tracking_no", flat=True).first()


SUBMIT = Operation(
    "post",
    "submitApplication",
    "提交政府信息公开申请（与网页表单相同的校验）",
    description=(
        "网上申请待机关确认接收，确认之日为收到申请之日（《条例》第三十一条），此前 received_on 为 null。"
        "查询码只在本次应答中出现一次，平台只保存其摘要。可带 Idempotency-Key 请求头："
        "同一地址以同一键重试不会产生第二份申请，而是得到 409 和已提交申请的编号。"
    ),
    params=(
        Param(
            "Idempotency-Key",
            f"幂等键（可选，至多 {MAX_IDEMPOTENCY_KEY} 个字符）",
            {"type": "string", "maxLength": MAX_IDEMPOTENCY_KEY},
            where="header",
        ),
    ),
    body=schemas.APPLICATION_REQUEST_REF,
    responses=(
        Response(201, "已提交", schemas.APPLICATION_CREATED_REF),
        Response(400, "校验未通过，按字段列出错误", schemas.FIELD_ERRORS_REF),
        Response(409, "以同一幂等键重复提交", schemas.FIELD_ERRORS_REF),
        Response(429, "提交过于频繁（按地址和按申请人限制）", schemas.FIELD_ERRORS_REF),
    ),
)
_TRACKING_NO = Param("tracking_no", "申请编号", STRING, where="path")
_PROGRESS_ANSWERS = (
    Response(200, "办理进度", schemas.APPLICATION_PROGRESS_REF),
    Response(404, "申请编号或查询码不正确（不区分是哪一项）", schemas.ERROR_REF),
    Response(429, "查询过于频繁", schemas.ERROR_REF),
)
STATUS = Operation(
    "post",
    "postApplicationProgress",
    "凭申请编号和查询码查询办理进度与答复（不含个人信息）",
    description=(
        "查询码放在请求体中，不出现在任何网址和访问日志中。应答与 GET /applications/{tracking_no}?code= 完全相同。"
    ),
    params=(_TRACKING_NO,),
    body={
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string", "description": "查询码"}},
    },
    responses=(
        _PROGRESS_ANSWERS[0],
        Response(400, "请求体不是 JSON 对象，或 code 不是字符串", schemas.FIELD_ERRORS_REF),
        *_PROGRESS_ANSWERS[1:],
    ),
)
DETAIL = Operation(
    "get",
    "getApplicationProgress",
    "凭申请编号和查询码查询办理进度与答复（旧接口，请改用 POST .../status）",
    description=(
        "为已有客户端保留。查询码在网址中：平台的访问日志（gunicorn 与 Django）会把 code 参数替换为"
        " [redacted]，但网址仍可能留在客户端、代理或浏览器历史中，新客户端请用 POST /applications/{tracking_no}/status。"
    ),
    deprecated=True,
    params=(_TRACKING_NO, Param("code", "查询码（缺少时与查询码错误一样答复 404）", STRING)),
    responses=_PROGRESS_ANSWERS,
)


@endpoint(SUBMIT)
@csrf_exempt
@never_cache
@sensitive_variables("body", "data", "form")
def applications(request):
    """Submit an application: 201 with the tracking number and the query code (shown once)."""
    try:
        body = json_body(request)
    except BadJSON as exc:
        return _errors(400, {"__all__": [str(exc)]})
    if not isinstance(body, dict):
        return _errors(400, {"__all__": [_("请求体须为 JSON 对象。")]})
    raw_key = request.headers.get("Idempotency-Key", "").strip()
    if len(raw_key) > MAX_IDEMPOTENCY_KEY:
        return _errors(
            400, {"__all__": [_("Idempotency-Key 不能超过 %(n)d 个字符。") % {"n": MAX_IDEMPOTENCY_KEY}]}
        )
    data, type_errors = _form_data(body)
    form = ApplicationForm(data)
    if not form.is_valid() or type_errors:
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        errors.update(type_errors)
        return _errors(400, errors)
    key = _idempotency_key(request, raw_key)
    try:
        submitted = services.application_submit_online(
            data=form.cleaned_data, client_ip=client_ip(request), idempotency_key=key
        )
    except services.RateLimited as exc:
        response = _errors(429, {"__all__": [str(exc)]})
        response["Retry-After"] = str(RATE_LIMIT_RETRY_SECONDS)
        return response
    except (services.ApplicationError, IntegrityError) as exc:
        tracking_no = _tracking_no_for(key)
        if tracking_no is None:
            if isinstance(exc, IntegrityError):
                raise
            return _errors(400, {"__all__": [str(exc)]})
        # A retry of a submission that went through: it made one application, whose query
        # code was in the first answer only (just its hash is kept).
        message = (
            str(exc) if isinstance(exc, services.ApplicationError) else _("该申请已提交，请勿重复提交。")
        )
        return _errors(409, {"__all__": [message]}, tracking_no=tracking_no)
    application = submitted.application
    response = _json(
        {
            "tracking_no": application.tracking_no,
            "query_code": submitted.query_code,
            "received_on": application.received_on.isoformat() if application.received_on else None,
        },
        status=201,
    )
    response["Location"] = reverse("api:application", args=[application.tracking_no])
    return response


def _iso(day) -> str | None:
    return day.isoformat() if day else None


@endpoint(STATUS)
@csrf_exempt
@never_cache
@sensitive_variables("body", "code")
def application_status(request, tracking_no: str):
    """Progress of one application, the query code in the JSON body ``{"code": ...}`` so that
    it is in no URL and no access log; the same answers as ``application_detail``."""
    try:
        body = json_body(request)
    except BadJSON as exc:
        return _errors(400, {"__all__": [str(exc)]})
    if not isinstance(body, dict):
        return _errors(400, {"__all__": [_("请求体须为 JSON 对象。")]})
    code = body.get("code")
    if code is not None and not isinstance(code, str):
        return _errors(400, {"code": [_("须为字符串。")]})
    return _progress_answer(request, tracking_no, code or "")


@endpoint(DETAIL)
@never_cache
@sensitive_variables("code")
def application_detail(request, tracking_no: str):
    """Progress of one application for whoever holds its query code; 404 names no part. The
    older form: the code is in the URL (``?code=``), which the access logs redact; new
    clients use ``application_status``."""
    return _progress_answer(request, tracking_no, request.GET.get("code", ""))


@sensitive_variables("code")
def _progress_answer(request, tracking_no: str, code: str):
    if not services.lookup_allowed(client_ip(request)):
        response = _error(429, _("查询过于频繁，请稍后再试。"))
        response["Retry-After"] = str(services.LOOKUP_WINDOW_SECONDS)
        return response
    application = services.application_find(tracking_no=tracking_no, query_code=code) if code else None
    if application is None:
        return _error(404, _("未找到该申请：请核对申请编号和查询码。"))
    progress = application_progress(application)
    reply = progress.reply
    return _json(
        {
            "tracking_no": progress.tracking_no,
            "agency": {"code": progress.agency_code, "name": progress.agency_name},
            "status": progress.status,
            "status_label": progress.status_label,
            "submitted_on": _iso(progress.submitted_on),
            "received_on": _iso(progress.received_on),
            "reply_due_on": _iso(progress.reply_due_on),
            "due_provisional": progress.due_provisional,
            "clock_paused": progress.clock_paused,
            "due_explanation": progress.due_explanation,
            "outcome": progress.outcome or None,
            "outcome_label": progress.outcome_label or None,
            "closed_on": _iso(progress.closed_on),
            "reply": None
            if reply is None
            else {"letter_no": reply.letter_no, "title": reply.title, "paragraphs": reply.paragraphs},
            "remedies": _remedies(application, progress),
            # 分项答复 (issue 18 item 5): each item with its outcome once decided; [] when not split.
            "items": [
                {
                    "no": item.no,
                    "description": item.description,
                    "outcome": item.outcome or None,
                    "outcome_label": item.outcome_label or None,
                }
                for item in progress.items
            ],
        }
    )


def _body(name: str, address: str) -> dict | None:
    name, address = name.strip(), address.strip()
    return {"name": name, "address": address or None} if name else None


def _remedies(application: Application, progress) -> dict | None:
    """What the applicant may do against the reply and who hears it (regulation.md, "Replies";
    applications/remedies.py), once the reply has been delivered, as the progress page shows
    it: null before. ``court`` is null where reconsideration comes first for the whole reply."""
    remedies = progress.remedies
    if remedies is None:
        return None
    agency = application.agency
    return {
        "reconsideration_first": remedies.reconsideration_first,
        "lines": list(remedies.lines),
        "reconsideration_body": _body(agency.reconsideration_body, agency.reconsideration_address),
        "court": None if not remedies.court else _body(agency.court, agency.court_address),
    }
