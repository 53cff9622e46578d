"""The HTTP boundary (issue 10, sections 3, 4 and 7; core/http.py): request bodies refused by
size before they are read, a full disk answered with 503 and nothing half-written, Chinese error
pages (JSON under /api/), a Content-Security-Policy on every page and a sandbox on downloads."""

import io
import json
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from gongkai.core import http

pytestmark = pytest.mark.django_db

HUGE = str(400 * 1024 * 1024)  # 400 MB declared; the test client holds only a few bytes


# ---------------------------------------------------------------- request limits


@pytest.mark.parametrize("url", ["/progress/", "/complaints/new/", "/apply/", "/evaluation/"])
def test_a_public_post_over_the_limit_is_refused_before_its_body_is_read(client, url):
    # The declared length is far more than the test client's payload: a middleware that read the
    # body would fail with "Cannot read more than the available bytes" instead of answering.
    response = client.post(url, data="x" * 10, content_type="text/plain", CONTENT_LENGTH=HUGE)
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "MB" in page
    assert response["Content-Type"].startswith("text/html")
    assert response["Connection"] == "close"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_api_post_over_the_limit_gets_json_413(client):
    response = client.post(
        "/api/v1/applications", data="{}", content_type="application/json", CONTENT_LENGTH=HUGE
    )
    assert response.status_code == 413
    assert set(response.json()) == {"error"} and "大小上限" in response.json()["error"]


def test_limits_are_per_url(client, settings):
    settings.GONGKAI_REQUEST_BODY_DEFAULT_LIMIT = 2000
    settings.GONGKAI_REQUEST_BODY_LIMITS = [("/staff/", 50_000)]
    body = "a" * 3000
    assert client.post("/progress/", data=body, content_type="text/plain").status_code == 413
    # the same body is within a staff URL's upload limit (it goes on to the login page)
    assert client.post("/staff/login/", data=body, content_type="text/plain").status_code != 413


def test_staff_uploads_are_allowed_up_to_the_attachment_limit_and_no_further(client, settings):
    limit = http.body_limit("/staff/records/1/attachments/")
    assert limit > settings.GONGKAI_MAX_ATTACHMENT_BYTES
    assert http.body_limit("/progress/") < 2 * 1024 * 1024
    over = str(limit + 1)
    response = client.post(
        "/staff/records/1/attachments/", data="x", content_type="text/plain", CONTENT_LENGTH=over
    )
    assert response.status_code == 413


def test_a_body_without_content_length_is_not_read_at_all(rf):
    # A chunked body arrives without Content-Length; Django reads Content-Length bytes, so none
    # of it: there is nothing for the limit to count as it streams.
    environ = rf._base_environ(
        PATH_INFO="/progress/",
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": io.BytesIO(b"q=" + b"x" * 1_000_000)},
    )
    environ.pop("CONTENT_LENGTH", None)
    request = WSGIRequest(environ)
    assert request.body == b"" and request.POST == {}


def test_too_many_form_fields_get_413_not_a_bare_400(client):
    body = "&".join(f"f{n}=1" for n in range(1500))  # past DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.post("/progress/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()


def test_a_malformed_content_length_is_a_clear_400(client):
    response = client.post("/progress/", data="x", content_type="text/plain", CONTENT_LENGTH="12abc")
    assert response.status_code == 400
    assert "Content-Length" in response.content.decode()


@pytest.mark.parametrize(
    "method,url,data",
    [
        ("post", "/evaluation/reply/1/", {"tracking_no": "GK\x00", "query_code": "ABCD2345"}),
        ("post", "/progress/", {"tracking_no": "x", "query_code": "\x00"}),
    ],
)
def test_a_nul_character_is_a_clear_400(client, method, url, data):
    """PostgreSQL refuses NUL in text: a lookup with one was a 500 there."""
    response = getattr(client, method)(url, data)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/documents/a%00b", "/documents/x%00/", "/agencies/%00/"])
def test_a_nul_character_in_a_path_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404


# ---------------------------------------------------------------- JSON bodies


@pytest.mark.parametrize(
    "body",
    [
        b'{"name": "\\ud800"}',  # a lone surrogate
        b'{"name": "ok", "description": ["\\udfff"]}',
        b"[" * 100_000 + b"]" * 100_000,  # nested 100,000 deep
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b"\xff\xfe{",  # not UTF-8
    ],
)
def test_hostile_json_gets_400_in_the_documented_shape(client, body):
    response = client.post("/api/v1/applications", data=body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["errors"] and response.json()["errors"]["__all__"]


def test_a_form_sent_to_the_json_api_is_a_400(client):
    response = client.post("/api/v1/applications", {"name": "张三", "x": "\x00"})  # multipart
    assert response.status_code == 400 and response.json()["errors"]["__all__"]


def test_json_body_accepts_ordinary_json_with_escapes(rf):
    request = rf.post(
        "/", data=json.dumps({"a": ["中文", "\u00e9", {"b": 'x\\y"z'}]}), content_type="application/json"
    )
    assert http.json_body(request) == {"a": ["中文", "é", {"b": 'x\\y"z'}]}


# ---------------------------------------------------------------- error pages


def test_not_found_is_chinese_html_and_json_under_the_api(client):
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
    assert "error" in api.json()


def test_server_error_page_is_chinese(rf):
    response = http.server_error(rf.get("/"))
    assert response.status_code == 500 and "服务暂时不可用" in response.content.decode()
    api = http.server_error(rf.get("/api/v1/documents"))
    assert api.status_code == 500 and "error" in json.loads(api.content)


@pytest.mark.parametrize(
    "view,status,text",
    [(http.bad_request, 400, "请求无效"), (http.permission_denied, 403, "无权访问")],
)
def test_error_pages_are_chinese(rf, view, status, text):
    response = view(rf.get("/"), Exception("x"))
    assert response.status_code == status and text in response.content.decode()


def test_csrf_failure_page_is_chinese_and_gives_the_typed_text_back():
    client = Client(enforce_csrf_checks=True)
    typed = "请公开江州市2025年教育经费预算的明细，并说明<script>标签"
    response = client.post(
        "/complaints/new/",
        {"kind": "complaint", "content": typed, "name": "李四", "csrfmiddlewaretoken": "stale"},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "您填写的内容" in page and "内容" in page and "姓名或名称" in page
    assert "请公开江州市2025年教育经费预算的明细" in page and "李四" in page
    assert "<script>标签" not in page  # escaped
    assert "stale" not in page  # tokens are not echoed


# ---------------------------------------------------------------- headers


def test_every_html_page_has_a_content_security_policy_without_inline_script(client):
    for url in ["/", "/search/?q=通知", "/apply/", "/staff/login/", "/no-such-page/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp


def test_templates_have_no_inline_script_or_event_handler():
    import re

    root = Path(__file__).resolve().parents[2]
    offending = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            tag = match.group(0)
            if "src=" not in tag and 'type="application/json"' not in tag:
                offending.append(f"{template.name}: {tag}")
        if re.search(r"\son[a-z]+\s*=", text):
            offending.append(f"{template.name}: event handler attribute")
    assert offending == []


def _download_view(request):
    response = HttpResponse(b"<html><script>alert(1)</script></html>", content_type="text/html")
    response["Content-Disposition"] = 'attachment; filename="x.html"'
    return response


# ---------------------------------------------------------------- disk full


def _write_view(request):
    """Stands for any view that stores an upload: the platform's storage, a real write."""
    default_storage.save(f"proofs/{uuid.uuid4().hex}.bin", ContentFile(b"x" * 200_000))
    return HttpResponse("saved")


urlpatterns = [
    path("api/v1/test-write", _write_view),
    path("test-write/", _write_view),
    path("test-download/", _download_view),
    path("", include("gongkai.urls")),
]


def test_any_download_gets_a_sandbox_and_nosniff(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/test-download/")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_disk_full_in_the_api_is_json_503_and_leaves_no_partial_file(client, settings, full_disk):
    settings.ROOT_URLCONF = __name__
    response = client.post("/api/v1/test-write", data="{}", content_type="application/json")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "存储空间" in response.json()["error"] and response["Retry-After"]
    assert _files_under(full_disk) == []


def test_disk_full_on_a_page_is_a_chinese_503(client, settings, full_disk):
    settings.ROOT_URLCONF = __name__
    response = client.post("/test-write/", {"content": "防汛物资储备情况", "csrfmiddlewaretoken": "t"})
    assert response.status_code == 503
    page = response.content.decode()
    assert "稍后再试" in page and "防汛物资储备情况" in page  # what was typed comes back
    assert _files_under(full_disk) == []
