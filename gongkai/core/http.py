"""The HTTP boundary (security.md, "Input and files"; issue 10, sections 3, 4 and 7).

* ``RequestLimitMiddleware``: a request body over its URL's limit is refused with 413 before
  anything reads it; a full disk answers 503 instead of a 500.
* ``SecurityHeadersMiddleware``: a Content-Security-Policy on every HTML page and a sandboxing
  one (with ``nosniff``) on every download.
* Error views (400, 403, 404, 413, 500, 503, CSRF failure): Chinese pages, JSON under /api/ in
  the documented error shape ``{"error": "..."}`` (docs/api.md).
* ``json_body``: a JSON request body parsed without 500s (deep nesting, lone surrogates).

No imports from domain apps: the shared kernel (STYLE.md).
"""

import errno
import json
import logging
import re
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.http.request import RawPostDataException
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
# Nesting deeper than this is no request a client of this API sends (the deepest valid body
# is an object of strings); refusing it before parsing keeps json.loads off the recursion limit.
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
# Form fields never echoed back on the CSRF failure page.
_NOT_ECHOED = re.compile(r"password|csrf|token|otp|code", re.IGNORECASE)


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def is_disk_full(exc: BaseException | None) -> bool:
    """True for a write that failed because the disk or the quota is full."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
            return True
        # SQLite reports it as an OperationalError, not an OSError.
        if "database or disk is full" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{max(1, n // 1024)} KB"


# ---------------------------------------------------------------- answers


def api_error(status: int, message: str) -> JsonResponse:
    """The documented error shape of the API (docs/api.md)."""
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


def error_page(request, status: int, title: str, message: str, **context) -> HttpResponse:
    """A Chinese error page (templates/error.html), or the API's JSON under /api/."""
    if is_api(request):
        return api_error(status, message)
    try:
        body = loader.render_to_string(
            "error.html", {"status": status, "title": title, "message": message, **context}, request
        )
    except Exception:  # the error page must not fail in turn (a broken template, a full disk)
        log.exception("error page %s could not be rendered", status)
        body = f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><title>{title}</title><h1>{title}</h1>'
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def too_large(request, limit: int) -> HttpResponse:
    message = _("提交的内容超过了本页面允许的大小上限 %(limit)s，请缩小文件或减少内容后再试。") % {
        "limit": human_size(limit)
    }
    response = error_page(request, 413, _("提交的内容过大"), message)
    response["Connection"] = "close"  # the unread body is not drained: the connection ends here
    return response


def disk_full(request) -> HttpResponse:
    """503 for a full disk; a form sent to any page gets what was typed back (as on the CSRF
    failure page), so that nothing is lost when it is sent again later."""
    typed = _typed_fields(request) if request.method == "POST" and not is_api(request) else []
    response = error_page(
        request,
        503,
        _("服务暂时不可用"),
        _("服务器存储空间暂时不足，您的提交未被保存。请稍后再试。"),
        typed=typed,
        back=request.path if typed else "",
    )
    response["Retry-After"] = "600"
    return response


# ---------------------------------------------------------------- request limits


def body_limit(path: str) -> int:
    """The largest request body accepted for ``path``: the first matching prefix of
    GONGKAI_REQUEST_BODY_LIMITS, else GONGKAI_REQUEST_BODY_DEFAULT_LIMIT."""
    for prefix, limit in settings.GONGKAI_REQUEST_BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return settings.GONGKAI_REQUEST_BODY_DEFAULT_LIMIT


class RequestLimitMiddleware:
    """Listed before any middleware that reads the body. A body whose Content-Length is over
    its URL's limit gets 413 before any byte of it is read. Django reads at most Content-Length bytes of a body (a chunked body
    without one reads as empty), so the declared length bounds what is read; file parts beyond
    FILE_UPLOAD_MAX_MEMORY_SIZE stream to a temporary file in chunks.

    Also turns a full disk (a write failing with ENOSPC) into 503: JSON under /api/, a page
    saying to try again later elsewhere; the transaction has rolled back by then."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            return error_page(request, 400, _("请求无效"), _("请求头 Content-Length 无效。"))
        limit = body_limit(request.path)
        if length > limit:
            return too_large(request, limit)
        if "\x00" in request.path:  # no object has such a name; PostgreSQL cannot even look
            return page_not_found(request)
        if _has_nul(request):
            return error_page(
                request, 400, _("请求无效"), _("提交的内容含有不允许的控制字符（NUL），请删除后重新提交。")
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_disk_full(exception):
            log.error("disk full while answering %s %s: %s", request.method, request.path, exception)
            return disk_full(request)
        return None


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(request) -> bool:
    """A NUL character in a form value: no person types one, and PostgreSQL refuses it in text
    (a 500 wherever a view looks it up or stores it). Queries are left alone (search removes
    it). Forms are read here only on URLs that take no uploads (the default body limit):
    reading a multipart body fixes its upload handlers, which the upload views set
    themselves; their forms' fields refuse NUL. The API takes JSON only."""
    takes_uploads = body_limit(request.path) > settings.GONGKAI_REQUEST_BODY_DEFAULT_LIMIT
    if request.method != "POST" or request.content_type not in FORM_TYPES or takes_uploads or is_api(request):
        return False
    try:
        return any("\x00" in v for vs in request.POST.lists() for v in [vs[0], *vs[1]])
    except Exception:  # refused by Django's own limits: the view answers as before
        return False


# ---------------------------------------------------------------- security headers


def _is_download(response) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class SecurityHeadersMiddleware:
    """Content-Security-Policy: GONGKAI_CSP on every HTML page (no inline script anywhere, so
    none is allowed); ``default-src 'none'; sandbox`` and ``nosniff`` on every download, so a
    file a member of staff opens can run nothing in the platform's origin. A view that set its
    own policy keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _is_download(response):
            response.setdefault("Content-Security-Policy", settings.GONGKAI_DOWNLOAD_CSP)
            response["X-Content-Type-Options"] = "nosniff"
        elif response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", settings.GONGKAI_CSP)
        return response


# ---------------------------------------------------------------- error views (gongkai/urls.py)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
        return too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return error_page(request, 400, _("请求无效"), _("请求的格式不正确，请返回后重试。"))


def permission_denied(request, exception=None):
    return error_page(request, 403, _("无权访问"), _("您没有访问此页面的权限。"))


def page_not_found(request, exception=None):
    if is_api(request):
        return api_error(404, _("未找到请求的资源。"))
    response = HttpResponse(
        loader.render_to_string("404.html", {}, request), status=404, content_type="text/html; charset=utf-8"
    )
    return response


def server_error(request):
    if is_disk_full(sys.exc_info()[1]):
        return disk_full(request)
    return error_page(
        request, 500, _("服务暂时不可用"), _("服务器处理您的请求时出错，请稍后重试。问题已记录。")
    )


# Labels for the fields of the public forms, so that the CSRF failure page reads as Chinese.
FIELD_LABELS = {
    "name": "姓名或名称",
    "id_number": "证件号码",
    "org_code": "统一社会信用代码",
    "contact_name": "联系人",
    "contact": "联系方式",
    "phone": "联系电话",
    "email": "电子邮箱",
    "address": "通信地址",
    "postcode": "邮政编码",
    "description": "所需信息的内容描述",
    "doc_no": "文件名称、文号或其他特征",
    "purpose": "用途",
    "content": "内容",
    "comment": "意见",
    "tracking_no": "编号",
}


def _typed_fields(request) -> list[tuple[str, str]]:
    """What the person typed in the refused form, to copy back; secrets and tokens left out."""
    try:
        post = request.POST
    except Exception:
        return []
    fields = []
    for name, values in post.lists():
        if _NOT_ECHOED.search(name) or name == "website":
            continue
        value = "\n".join(v for v in values if v.strip())
        if value:
            fields.append((_(FIELD_LABELS[name]) if name in FIELD_LABELS else name, value))
    return fields[:50]


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often an expired page (a form left open past the session, cookies
    off). The text the person typed is shown back so that nothing is lost."""
    message = _("页面已过期或浏览器未启用 Cookie，提交未被接受。请刷新页面后重新提交。")
    if is_api(request):
        return api_error(403, message)
    return error_page(request, 403, _("页面已过期"), message, typed=_typed_fields(request), back=request.path)


# ---------------------------------------------------------------- JSON bodies


class BadJSON(ValueError):
    """A body that is not the JSON the endpoint takes; the message (Chinese) says why."""


def _depth_exceeds(raw: str, limit: int) -> bool:
    """True when brackets nest deeper than ``limit`` (strings skipped), without recursion."""
    depth = 0
    in_string = escaped = False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _has_surrogate(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def json_body(request, *, max_depth: int = MAX_JSON_DEPTH):
    """The request body as JSON. Raises BadJSON for anything that is not UTF-8 JSON: invalid
    syntax, nesting deeper than ``max_depth``, or a lone surrogate (``"\\ud800"``, which no
    database or page can store)."""
    try:
        raw = request.body.decode("utf-8")
    except (UnicodeDecodeError, RawPostDataException) as exc:
        raise BadJSON(_("请求体须为 UTF-8 编码的 JSON。")) from exc
    if _depth_exceeds(raw, max_depth):
        raise BadJSON(_("请求体的 JSON 嵌套过深。"))
    try:
        value = json.loads(raw or "null")
    except (ValueError, RecursionError) as exc:
        raise BadJSON(_("请求体不是有效的 JSON。")) from exc
    if _has_surrogate(value):
        raise BadJSON(_("请求体含有无效的 Unicode 字符（孤立代理项）。"))
    return value
