"""What the participation endpoints share (consultations, hearings, 网上咨询, 访谈, 点题): the
schema pieces, the idempotency key of a post, the reading of a JSON body into a form's data, the
post itself (form, service, its refusals as 400/409/429) and the head of a list's page."""

import hashlib

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.debug import sensitive_variables

from gongkai.accounts.network import client_ip
from gongkai.core.http import BadJSON, json_body

from .schemas import FIELD_ERRORS_REF, closed
from .spec import Param, Response, json_answer, nullable

PUBLIC_CACHE = cache_control(public=True, max_age=60)
PAGE_SIZE = 20
MAX_IDEMPOTENCY_KEY = 200
STRING = {"type": "string"}
INTEGER = {"type": "integer"}
DATE = {"type": "string", "format": "date"}
_URL = nullable(STRING)
_DOC = nullable(closed({"index_no": STRING, "title": STRING, "url": _URL}))
_PAGE = Param("page", "页码", {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1})
_IDEMPOTENCY = Param(
    "Idempotency-Key",
    "幂等键：同一键重复提交只生效一次",
    {"type": "string", "maxLength": 200},
    where="header",
)
# A post's refusals as the specification declares them (each post adds its own 404 and 409).
INVALID = Response(400, "校验未通过，按字段列出错误", FIELD_ERRORS_REF)
FLOODED = Response(429, "提交过于频繁", FIELD_ERRORS_REF)
CREATED_ERRORS = (INVALID, Response(409, "以同一幂等键重复提交", FIELD_ERRORS_REF), FLOODED)


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


def page_of(qs, number: int):
    """One page of a public list and the head every list answer carries (count, page, pages)."""
    page = Paginator(qs, PAGE_SIZE).get_page(number)
    return page, {"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages}


@sensitive_variables("data", "form", "d")
def form_post(
    request, form_class, submit, *, refused, duplicate, rate_limited=(), status_of=lambda exc: 400,
    duplicate_message=None, form_kwargs=None,
):  # fmt: skip
    """A participation post: the idempotency key, the JSON body through the web form, then
    ``submit(cleaned_data, client_ip, key)``, which returns the 201 answer's body. Its refusals
    answer 429 (``rate_limited``), 409 (``duplicate`` or a racing insert) or ``status_of(exc)``
    for any other ``refused`` error, whose words the service chose."""
    key, refusal = _idempotency_key(request)
    if refusal:
        return refusal
    data, refusal = _form_data(request, form_class)
    if refusal:
        return refusal
    form = form_class(data, **(form_kwargs or {}))
    if not form.is_valid():
        return _errors(400, {f: [str(m) for m in ms] for f, ms in form.errors.items()})
    try:
        created = submit(form.cleaned_data, client_ip(request), key)
    except rate_limited as exc:
        return _errors(429, {"__all__": [str(exc)]})
    except (duplicate, IntegrityError):
        return _errors(409, {"__all__": [duplicate_message or _("已提交，请勿重复提交。")]})
    except refused as exc:
        return _errors(status_of(exc), {"__all__": [str(exc)]})
    return json_answer(created, status=201)
