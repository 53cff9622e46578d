"""The one registration point of the public API (docs/api.md, "Adding an endpoint").

Each view declares its operations with ``@endpoint(Operation(...))``: method, parameters,
request body and responses, the bodies as named JSON schemas (``schema()``). From these same
declarations

* ``openapi.py`` generates ``/api/v1/openapi.json`` (it walks the routes of ``urls.py``);
* the wrapper made by ``endpoint`` validates the query parameters before the view runs (a bad
  or unknown value answers 400 in the documented error shape, with a message that states the
  limit) and hands the view the parsed values in ``request.api_params``; it answers HEAD where
  GET is declared and a JSON 405 for any undeclared method;
* the contract test (tests/test_contract.py) checks every live answer against the schemas with
  openapi-core.

So the description and the behaviour cannot drift: a field a serialiser adds or drops, or a
parameter a view reads without declaring it, fails the contract test.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpResponse, JsonResponse

SCHEMAS: dict[str, dict] = {}


def schema(name: str, definition: dict) -> dict:
    """Registers a named body schema (``components/schemas/<name>``) and returns its ``$ref``."""
    if name in SCHEMAS and SCHEMAS[name] != definition:
        raise ValueError(f"schema {name} declared twice")
    SCHEMAS[name] = definition
    return ref(name)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(definition: dict) -> dict:
    return {"oneOf": [definition, {"type": "null"}]}


def json_answer(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_answer(status: int, message: str, **fields) -> JsonResponse:
    """The documented error shape: ``{"error": "...", "errors": {field: [messages]}}``."""
    body: dict[str, Any] = {"error": message}
    if fields:
        body["errors"] = fields
    return json_answer(body, status)


class ParamError(ValueError):
    pass


@dataclass(frozen=True)
class Param:
    """One parameter. ``schema`` is its JSON schema (type, minimum/maximum, enum, format,
    default): the wrapper parses and checks a query value against it. ``check`` is a further
    check of the parsed value that the schema cannot state (a known agency code): it returns
    an error message, or None when the value is good."""

    name: str
    description: str
    schema: dict
    where: str = "query"  # or "path", "header"
    required: bool = False
    check: Callable[[Any], str | None] | None = None

    def rule(self) -> str:
        """The limit in words, for the error message."""
        s = self.schema
        if "enum" in s:
            return "可选值：" + "、".join(str(v) for v in s["enum"])
        if s.get("type") == "integer":
            lo, hi = s.get("minimum"), s.get("maximum")
            if lo is not None and hi is not None:
                return f"须为 {lo} 至 {hi} 之间的整数"
            return "须为整数"
        if s.get("format") == "date":
            return "日期格式：YYYY-MM-DD"
        if "maxLength" in s:
            return f"不能超过 {s['maxLength']} 个字符"
        return "格式不正确"

    def parse(self, raw: str):
        s = self.schema
        value: Any = raw
        if s.get("type") == "integer":
            try:
                value = int(raw)
            except ValueError:
                raise ParamError(self.rule()) from None
            if not s.get("minimum", value) <= value <= s.get("maximum", value):
                raise ParamError(self.rule())
        elif s.get("format") == "date":
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                raise ParamError(self.rule()) from None
        elif "enum" in s and raw not in s["enum"]:
            raise ParamError(self.rule())
        elif len(raw) > s.get("maxLength", len(raw)):
            raise ParamError(self.rule())
        if self.check is not None:
            message = self.check(value)
            if message:
                raise ParamError(message)
        return value

    def openapi(self) -> dict:
        return {
            "name": self.name,
            "in": self.where,
            "required": self.required or self.where == "path",
            "description": self.description,
            "schema": self.schema,
        }


@dataclass(frozen=True)
class Response:
    status: int
    description: str
    body: dict | None = None  # a schema, usually ref("Name")

    def openapi(self) -> dict:
        out: dict[str, Any] = {"description": self.description}
        if self.body is not None:
            out["content"] = {"application/json": {"schema": self.body}}
        return out


@dataclass(frozen=True)
class Operation:
    method: str  # "get" or "post"
    operation_id: str
    summary: str
    responses: tuple[Response, ...]
    params: tuple[Param, ...] = ()
    body: dict | None = None  # request body schema
    description: str = ""
    deprecated: bool = False
    tags: tuple[str, ...] = field(default=())

    def parse_query(self, query) -> dict:
        """The declared query parameters, parsed (defaults filled in); ParamError names the first
        bad one as ``(name, message)``."""
        values = {}
        for param in self.params:
            if param.where != "query":
                continue
            raw = query.get(param.name, "")
            if raw == "":
                if param.required:
                    raise ParamError(param.name, "必须填写")
                values[param.name] = param.schema.get("default")
                continue
            try:
                values[param.name] = param.parse(raw)
            except ParamError as exc:
                raise ParamError(param.name, str(exc)) from None
        return values

    def openapi(self) -> dict:
        out: dict[str, Any] = {"operationId": self.operation_id, "summary": self.summary}
        if self.description:
            out["description"] = self.description
        if self.deprecated:
            out["deprecated"] = True
        if self.tags:
            out["tags"] = list(self.tags)
        if self.params:
            out["parameters"] = [p.openapi() for p in self.params]
        if self.body is not None:
            out["requestBody"] = {"required": True, "content": {"application/json": {"schema": self.body}}}
        out["responses"] = {str(r.status): r.openapi() for r in self.responses}
        return out


def endpoint(*operations: Operation):
    """Declares a view's operations and wraps it: 405 (JSON, with ``Allow``) for an undeclared
    method, HEAD answered as GET without a body, query parameters validated into
    ``request.api_params`` (400 in the documented shape otherwise)."""
    by_method = {op.method: op for op in operations}
    allowed = sorted({m.upper() for m in by_method} | ({"HEAD"} if "get" in by_method else set()))

    def decorate(view):
        @functools.wraps(view)
        def dispatch(request, *args, **kwargs):
            head = request.method == "HEAD"
            op = by_method.get("get" if head else request.method.lower())
            if op is None:
                response = error_answer(405, f"不支持 {request.method} 方法，可用：{'、'.join(allowed)}")
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                request.api_params = op.parse_query(request.GET)
            except ParamError as exc:
                name, message = exc.args
                return error_answer(400, f"参数 {name} 无效：{message}", **{name: [message]})
            if head:
                request.method = "GET"  # the view (and any require_GET inside) answers as for GET
            response = view(request, *args, **kwargs)
            if head:
                return _without_body(response)
            return response

        dispatch.api_operations = by_method
        return dispatch

    return decorate


def _without_body(response: HttpResponse) -> HttpResponse:
    length = len(response.content)
    response.content = b""
    response["Content-Length"] = str(length)
    return response
