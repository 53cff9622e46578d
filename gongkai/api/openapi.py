"""The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json), generated:
the paths from the routes of urls.py, each operation from the declaration its view carries
(``spec.endpoint``), the bodies from the schemas registered with ``spec.schema``. Nothing here
is written twice; the contract test (tests/test_contract.py) checks the live API against it."""

import re

from django.urls import URLResolver, get_resolver

from . import schemas
from .spec import SCHEMAS, Operation, Response, endpoint, json_answer

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
INFO = {
    "title": "Gongkai 政府信息公开 API",
    "version": "1.0.0",
    "description": (
        "主动公开的政府信息、机关目录与依申请公开的提交和进度查询。公开接口无需登录，不返回个人信息。"
        "参数错误答复 400 {error, errors}，未知的接口和不存在的资源答复 404 {error}，"
        "支持 GET 的接口同样支持 HEAD。"
    ),
}


def api_routes(namespace: str = "api") -> list[tuple[str, object]]:
    """``(OpenAPI path, view)`` for every route of the API that declares operations."""
    top = next(
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == namespace
    )
    out = []
    for pattern in top.url_patterns:
        view = getattr(pattern, "callback", None)
        if getattr(view, "api_operations", None):
            out.append(("/" + _CONVERTER.sub(r"{\1}", str(pattern.pattern)), view))
    return out


def openapi_document(server_url: str) -> dict:
    paths: dict[str, dict] = {}
    for path, view in api_routes():
        item = paths.setdefault(path, {})
        for method, operation in view.api_operations.items():
            item[method] = operation.openapi()
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": paths,
        "components": {"schemas": dict(sorted(SCHEMAS.items()))},
    }


@endpoint(
    Operation(
        "get",
        "getOpenAPI",
        "本接口说明（OpenAPI 3.1，由各接口的声明生成）",
        responses=(Response(200, "OpenAPI 文档", schemas.OPENAPI_REF),),
    )
)
def openapi(request):
    return json_answer(openapi_document(request.build_absolute_uri("/api/v1/")))
