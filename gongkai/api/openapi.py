"""The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json).

Kept beside the views; a test checks that every route is described and every described
path answers, so the two cannot drift apart.
"""

FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {"value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}},
    },
}
DOC_REF = {
    "type": "object",
    "properties": {"index_no": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}},
}
AGENCY_REF = {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "errors": {"type": "object"}},
}


def _param(name: str, description: str, schema: dict, *, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


def _json_response(description: str, ref: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def openapi_document(server_url: str) -> dict:
    string = {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gongkai 政府信息公开 API",
            "version": "1.0.0",
            "description": "主动公开的政府信息与机关目录。公开接口无需登录，不返回个人信息。",
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/documents": {
                "get": {
                    "operationId": "searchDocuments",
                    "summary": "检索政府信息（含分面统计）",
                    "parameters": [
                        _param("q", "检索词；空格分隔的多个词须同时出现（每个词至少两个字符）", string),
                        _param("agency", "发布机关代码", string),
                        _param("subject", "主题分类名称（一级或二级）", string),
                        _param("genre", "体裁分类名称", string),
                        _param("year", "成文年份", {"type": "integer", "minimum": 1900, "maximum": 2100}),
                        _param("validity", "有效性", {"type": "string", "enum": ["in_force", "expired", "repealed", "amended"]}),
                        _param("sort", "排序", {"type": "string", "enum": ["relevance", "date"], "default": "relevance"}),
                        _param("page", "页码", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}),
                        _param("page_size", "每页条数", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
                    ],
                    "responses": {
                        "200": _json_response("检索结果", "#/components/schemas/DocumentList"),
                        "400": _json_response("参数错误", "#/components/schemas/Error"),
                    },
                }
            },
            "/documents/{index_no}": {
                "get": {
                    "operationId": "getDocument",
                    "summary": "一条政府信息（元数据、正文、附件、政策解读）",
                    "parameters": [_param("index_no", "索引号，如 000014349/2024-00001", string, where="path", required=True)],
                    "responses": {
                        "200": _json_response("政府信息", "#/components/schemas/Document"),
                        "404": _json_response("不存在或未公开", "#/components/schemas/Error"),
                    },
                }
            },
            "/agencies": {
                "get": {
                    "operationId": "listAgencies",
                    "summary": "机关目录（含政府信息公开工作机构与公开指南地址）",
                    "responses": {"200": _json_response("机关目录", "#/components/schemas/AgencyList")},
                }
            },
            "/agencies/{code}": {
                "get": {
                    "operationId": "getAgency",
                    "summary": "一个机关",
                    "parameters": [_param("code", "统一社会信用代码或组织机构代码", string, where="path", required=True)],
                    "responses": {
                        "200": _json_response("机关", "#/components/schemas/Agency"),
                        "404": _json_response("不存在", "#/components/schemas/Error"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": ERROR,
                "DocumentHit": {
                    "type": "object",
                    "required": [
                        "index_no", "title", "agency", "doc_no", "subject", "genre",
                        "written_on", "published_on", "validity", "url", "highlight",
                    ],
                    "properties": {
                        "index_no": string,
                        "title": string,
                        "agency": string,
                        "doc_no": string,
                        "subject": {"type": ["string", "null"]},
                        "genre": {"type": ["string", "null"]},
                        "written_on": {"type": ["string", "integer"]},
                        "published_on": {"type": ["string", "null"]},
                        "validity": string,
                        "url": string,
                        "highlight": {"type": "string", "description": "HTML 转义后的摘要，命中处以 <mark> 标出"},
                    },
                },
                "DocumentList": {
                    "type": "object",
                    "required": ["count", "results", "facets"],
                    "properties": {
                        "count": {"type": "integer"},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/DocumentHit"}},
                        "facets": {
                            "type": "object",
                            "properties": {k: FACET for k in ("agency", "subject", "genre", "year", "validity")},
                        },
                        "messages": {"type": "array", "items": string},
                    },
                },
                "Document": {
                    "type": "object",
                    "required": ["index_no", "title", "agency", "body", "attachments", "interpretations"],
                    "properties": {
                        "index_no": string,
                        "title": string,
                        "agency": AGENCY_REF,
                        "co_issuers": {"type": "array", "items": AGENCY_REF},
                        "doc_no": string,
                        "subject": {"type": ["string", "null"]},
                        "subject_detail": {"type": ["string", "null"]},
                        "genre": {"type": ["string", "null"]},
                        "written_on": {"type": ["string", "integer"]},
                        "written_on_precision": {"type": "string", "enum": ["day", "year"]},
                        "published_on": {"type": ["string", "null"]},
                        "effective_on": {"type": ["string", "null"]},
                        "expires_on": {"type": ["string", "null"]},
                        "validity": string,
                        "replaced_by": {"oneOf": [DOC_REF, {"type": "null"}]},
                        "replaces": {"type": "array", "items": DOC_REF},
                        "summary": string,
                        "keywords": string,
                        "body": string,
                        "url": string,
                        "attachments": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "title": string,
                                    "filename": string,
                                    "content_type": string,
                                    "size": {"type": "integer"},
                                    "sha256": string,
                                    "url": {"type": ["string", "null"]},
                                },
                            },
                        },
                        "interpretations": {"type": "array", "items": DOC_REF},
                        "interprets": {"type": "array", "items": DOC_REF},
                    },
                },
                "Agency": {
                    "type": "object",
                    "required": ["code", "name", "level", "office", "guide_url"],
                    "properties": {
                        "code": string,
                        "name": string,
                        "short_name": string,
                        "level": {
                            "type": "string",
                            "enum": ["province", "city", "county", "township", "department", "institution"],
                        },
                        "parent": {"type": ["string", "null"]},
                        "office": {"type": ["object", "null"]},
                        "guide_url": {"type": ["string", "null"]},
                        "url": {"type": ["string", "null"]},
                    },
                },
                "AgencyList": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Agency"}},
                    },
                },
            }
        },
    }
