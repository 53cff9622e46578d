"""The OpenAPI 3.1 description of the public API (served at /api/v1/openapi.json).

Kept beside the views; a test checks that every route is described and every described
path answers, so the two cannot drift apart.
"""

FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
        },
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

FIELD_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "object",
            "description": "字段名 → 错误说明列表；不属于某个字段的错误在 __all__ 下",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "tracking_no": {"type": "string", "description": "409 时：已提交申请的编号"},
    },
}
_TEXT = {"type": ["string", "null"]}
APPLICATION_REQUEST = {
    "type": "object",
    "required": ["agency", "applicant_type", "name", "description", "form", "delivery"],
    "properties": {
        "agency": {"type": "string", "description": "受理机关代码"},
        "applicant_type": {
            "type": "string",
            "enum": [
                "natural_person",
                "commercial_enterprise",
                "research_institution",
                "social_welfare_org",
                "legal_service_org",
                "other_org",
            ],
        },
        "name": {"type": "string", "description": "姓名或名称"},
        "id_type": {"type": ["string", "null"], "enum": ["resident_id", "passport", "other", "", None]},
        "id_number": {**_TEXT, "description": "自然人必填；居民身份证校验出生日期和校验码"},
        "org_code": {**_TEXT, "description": "法人或其他组织必填：统一社会信用代码"},
        "contact_name": {**_TEXT, "description": "法人或其他组织必填：联系人"},
        "phone": _TEXT,
        "email": _TEXT,
        "address": _TEXT,
        "postcode": _TEXT,
        "description": {"type": "string", "description": "所需信息的内容描述"},
        "doc_no": {**_TEXT, "description": "文件名称、文号或其他特征"},
        "purpose": {**_TEXT, "description": "用途（不要求填写）"},
        "form": {"type": "string", "enum": ["electronic", "paper", "inspection"]},
        "delivery": {"type": "string", "enum": ["email", "post", "collect"]},
    },
}
_DATE = {"type": ["string", "null"], "format": "date"}
_NAMED_BODY = {
    "type": "object",
    "required": ["name", "address"],
    "properties": {"name": {"type": "string"}, "address": {"type": ["string", "null"]}},
}
APPLICATION_PROGRESS = {
    "type": "object",
    "required": [
        "tracking_no",
        "agency",
        "status",
        "status_label",
        "received_on",
        "reply_due_on",
        "due_provisional",
        "clock_paused",
        "due_explanation",
        "outcome",
        "reply",
        "remedies",
    ],
    "properties": {
        "tracking_no": {"type": "string"},
        "agency": AGENCY_REF,
        "status": {
            "type": "string",
            "enum": ["submitted", "received", "awaiting_correction", "decided", "closed", "merged"],
        },
        "status_label": {"type": "string"},
        "submitted_on": _DATE,
        "received_on": {**_DATE, "description": "收到申请之日；网上申请在机关确认前为 null"},
        "reply_due_on": {**_DATE, "description": "答复期限；未收到、待补正或计时暂停时可为 null"},
        "due_provisional": {"type": "boolean", "description": "期限跨越尚未发布节假日安排的年份，为暂定"},
        "clock_paused": {"type": "boolean"},
        "due_explanation": {
            "type": "array",
            "items": {"type": "string"},
            "description": "期限的计算过程，逐步说明及法律依据",
        },
        "outcome": {"type": ["string", "null"]},
        "outcome_label": {"type": ["string", "null"]},
        "closed_on": _DATE,
        "reply": {
            "oneOf": [
                {
                    "type": "object",
                    "properties": {
                        "letter_no": {"type": "string"},
                        "title": {"type": "string"},
                        "paragraphs": {"type": "array", "items": {"type": "string"}},
                    },
                },
                {"type": "null"},
            ],
            "description": "送达后的答复书（申请人姓名及联系方式已隐去）",
        },
        "remedies": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["reconsideration_first", "lines", "reconsideration_body", "court"],
                    "properties": {
                        "reconsideration_first": {
                            "type": "boolean",
                            "description": "整个答复须先申请行政复议（复议前置，仅不予公开，"
                            "《中华人民共和国行政复议法》第二十三条）；为 false 时可以选择复议或直接起诉",
                        },
                        "lines": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "救济途径的告知，逐句，含期限（复议60日、诉讼6个月）和受理机关",
                        },
                        "reconsideration_body": {
                            "oneOf": [_NAMED_BODY, {"type": "null"}],
                            "description": "行政复议机关；本机关尚未登记时为 null",
                        },
                        "court": {
                            "oneOf": [_NAMED_BODY, {"type": "null"}],
                            "description": "管辖法院；复议前置或本机关尚未登记时为 null",
                        },
                    },
                },
                {"type": "null"},
            ],
            "description": "救济途径：答复送达后提供，此前为 null（与进度查询页面一致）",
        },
    },
}


_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
ANNUAL_REPORT = {
    "type": "object",
    "required": ["agency", "year", "tables", "checks", "manual", "published_at", "narrative"],
    "properties": {
        "agency": AGENCY_REF,
        "year": {"type": "integer"},
        "format": {
            "type": "string",
            "enum": ["2019", "2021"],
            "description": "表格式样：2021（国办公开办函〔2021〕30号）；2019（国办公开办函〔2019〕60号试行格式，"
            "用于2019、2020年度）",
        },
        "tables": {
            "type": "object",
            "properties": {
                "table1": {
                    "type": "object",
                    "description": "2021式样：regulations、normative_documents 各含 issued、repealed、in_force；"
                    "licensing、penalty、enforcement 各含 decisions；fees 含 amount_10k_yuan（万元，字符串）。"
                    "2019式样：regulations、normative_documents 各含 made、published、public_total；"
                    "licensing、other_services、penalty、enforcement 各含 previous_items、change（可为负数）、"
                    "decisions；fees 含 previous_items、change；procurement 含 projects、amount_10k_yuan",
                },
                "table2": {
                    "type": "object",
                    "description": "行 → 列 → 件数；列为六类申请人与 total；2019式样中 other_handling"
                    "（六）为单独一行，没有 other_no_correction、other_fee_unpaid、other",
                    "additionalProperties": _COUNTS,
                },
                "table3": {
                    "type": "object",
                    "description": "reconsideration、litigation_direct、litigation_after_reconsideration → "
                    "upheld、corrected、other、pending、total",
                    "additionalProperties": _COUNTS,
                },
            },
        },
        "checks": {
            "type": "array",
            "description": "发布时不成立的勾稽关系（均已在 explanations 中说明）；空表示全部成立",
            "items": {
                "type": "object",
                "properties": {
                    "rule": {"type": "string"},
                    "column": {"type": "string"},
                    "row": {"type": ["string", "null"]},
                    "expected": {"type": "integer"},
                    "actual": {"type": "integer"},
                },
            },
        },
        "manual": {"type": "array", "items": {"type": "string"}, "description": "人工填报的单元格路径"},
        "fees_section": {
            "type": "object",
            "properties": {"notices": {"type": "integer"}, "amount_yuan": {"type": "string"}},
        },
        "status": {"type": "string", "enum": ["published"]},
        "published_at": {"type": "string", "format": "date-time"},
        "narrative": {
            "type": "object",
            "description": "overview（一）、problems（五）、other_matters（六）的文字",
            "additionalProperties": {"type": "string"},
        },
        "fees_text": {"type": "string", "description": "第六部分开头的信息处理费说明，由 fees_section 生成"},
        "assessment_section": {
            "type": "object",
            "description": "本年度考核结果 assessment（scheme、total、rank、ranked）与公众评价 evaluation"
            "（ratings、mean）；平台没有相关记录时为空对象",
        },
        "assessment_text": {
            "type": "string",
            "description": "第六部分的考核与评价说明，由 assessment_section 生成",
        },
        "explanations": {"type": "object", "additionalProperties": {"type": "string"}},
        "url": {"type": ["string", "null"], "description": "门户网站上的报告页面"},
    },
}


POWER_TYPES = [
    "licensing", "levy", "penalty", "enforcement", "inspection",
    "confirmation", "benefit", "reward", "adjudication", "other",
]  # fmt: skip
POWER_VERSION = {
    "type": "object",
    "required": ["effective_from", "effective_to", "procedure_steps"],
    "properties": {
        "effective_from": {"type": "string", "format": "date", "description": "施行日期"},
        "effective_to": {**_DATE, "description": "停止施行日期（含当日）；现行及以后的版本为 null"},
        "legal_basis": {"type": "string", "description": "设定依据"},
        "conditions": {"type": "string", "description": "办理条件"},
        "materials": {"type": "string", "description": "申请材料"},
        "procedure_steps": {"type": "array", "items": {"type": "string"}, "description": "办理流程，按顺序"},
        "time_limit": {"type": "string", "description": "办理时限"},
        "fees": {"type": "string", "description": "收费标准"},
        "fee_basis": {"type": "string", "description": "收费依据"},
        "responsible_unit": {"type": "string", "description": "责任处（科）室"},
        "supervision_phone": {"type": "string", "description": "监督电话"},
        "complaint_phone": {"type": "string", "description": "投诉电话"},
    },
}
POWER_REF = {
    "type": "object",
    "required": ["code", "type", "name"],
    "properties": {
        "code": {"type": "string", "description": "权力编码"},
        "type": {"type": "string", "enum": POWER_TYPES},
        "type_label": {"type": "string"},
        "name": {"type": "string"},
        "in_force_from": {**_DATE, "description": "现行版本的施行日期；尚未施行时为 null"},
        "starts_on": {**_DATE, "description": "尚未施行的事项：首个版本的施行日期"},
        "url": {"type": ["string", "null"]},
    },
}


def _param(
    name: str, description: str, schema: dict, *, where: str = "query", required: bool = False
) -> dict:
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
            "description": "主动公开的政府信息、机关目录与依申请公开的提交和进度查询。公开接口无需登录，不返回个人信息。",
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/powers/{agency_code}": {
                "get": {
                    "operationId": "listPowers",
                    "summary": "机关的权力清单（现行及已公布待施行的事项）",
                    "parameters": [
                        _param("agency_code", "机关代码", string, where="path", required=True),
                        _param("type", "权力类型", {"type": "string", "enum": POWER_TYPES}),
                    ],
                    "responses": {
                        "200": _json_response("权力清单", "#/components/schemas/PowerList"),
                        "400": _json_response("参数错误", "#/components/schemas/Error"),
                        "404": _json_response("机关不存在", "#/components/schemas/Error"),
                    },
                }
            },
            "/powers/{agency_code}/{code}": {
                "get": {
                    "operationId": "getPower",
                    "summary": "一项行政权力：现行版本、全部版本（新者在前）与历年处理决定数量",
                    "parameters": [
                        _param("agency_code", "机关代码", string, where="path", required=True),
                        _param("code", "权力编码", string, where="path", required=True),
                        _param(
                            "on",
                            "取该日施行的版本作为 current（默认今天）",
                            {"type": "string", "format": "date"},
                        ),
                    ],
                    "responses": {
                        "200": _json_response("权力事项", "#/components/schemas/Power"),
                        "400": _json_response("参数错误", "#/components/schemas/Error"),
                        "404": _json_response("不存在", "#/components/schemas/Error"),
                    },
                }
            },
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
                        _param(
                            "validity",
                            "有效性",
                            {"type": "string", "enum": ["in_force", "expired", "repealed", "amended"]},
                        ),
                        _param(
                            "sort",
                            "排序",
                            {"type": "string", "enum": ["relevance", "date"], "default": "relevance"},
                        ),
                        _param(
                            "page", "页码", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}
                        ),
                        _param(
                            "page_size",
                            "每页条数",
                            {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                        ),
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
                    "parameters": [
                        _param(
                            "index_no", "索引号，如 000014349/2024-00001", string, where="path", required=True
                        )
                    ],
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
                    "parameters": [
                        _param("code", "统一社会信用代码或组织机构代码", string, where="path", required=True)
                    ],
                    "responses": {
                        "200": _json_response("机关", "#/components/schemas/Agency"),
                        "404": _json_response("不存在", "#/components/schemas/Error"),
                    },
                }
            },
            "/applications": {
                "post": {
                    "operationId": "submitApplication",
                    "summary": "提交政府信息公开申请（与网页表单相同的校验）",
                    "description": (
                        "网上申请待机关确认接收，确认之日为收到申请之日（《条例》第三十一条），此前 received_on 为 null。"
                        "查询码只在本次应答中出现一次，平台只保存其摘要。可带 Idempotency-Key 请求头："
                        "同一地址以同一键重试不会产生第二份申请，而是得到 409 和已提交申请的编号。"
                    ),
                    "parameters": [
                        _param(
                            "Idempotency-Key",
                            "幂等键（可选，至多 200 个字符）",
                            {"type": "string", "maxLength": 200},
                            where="header",
                        )
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ApplicationRequest"}
                            }
                        },
                    },
                    "responses": {
                        "201": _json_response("已提交", "#/components/schemas/ApplicationCreated"),
                        "400": _json_response(
                            "校验未通过，按字段列出错误", "#/components/schemas/FieldErrors"
                        ),
                        "409": _json_response("以同一幂等键重复提交", "#/components/schemas/FieldErrors"),
                        "429": _json_response(
                            "提交过于频繁（按地址和按申请人限制）", "#/components/schemas/FieldErrors"
                        ),
                    },
                }
            },
            "/applications/{tracking_no}/status": {
                "post": {
                    "operationId": "postApplicationProgress",
                    "summary": "凭申请编号和查询码查询办理进度与答复（不含个人信息）",
                    "description": (
                        "查询码放在请求体中，不出现在任何网址和访问日志中。"
                        "应答与 GET /applications/{tracking_no}?code= 完全相同。"
                    ),
                    "parameters": [_param("tracking_no", "申请编号", string, where="path", required=True)],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["code"],
                                    "properties": {"code": {"type": "string", "description": "查询码"}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _json_response("办理进度", "#/components/schemas/ApplicationProgress"),
                        "400": _json_response(
                            "请求体不是 JSON 对象，或 code 不是字符串", "#/components/schemas/FieldErrors"
                        ),
                        "404": _json_response(
                            "申请编号或查询码不正确（不区分是哪一项）", "#/components/schemas/Error"
                        ),
                        "429": _json_response("查询过于频繁", "#/components/schemas/Error"),
                    },
                }
            },
            "/applications/{tracking_no}": {
                "get": {
                    "operationId": "getApplicationProgress",
                    "summary": "凭申请编号和查询码查询办理进度与答复（旧接口，请改用 POST .../status）",
                    "description": (
                        "为已有客户端保留。查询码在网址中：平台的访问日志（gunicorn 与 Django）会把 code 参数替换为"
                        " [redacted]，但网址仍可能留在客户端、代理或浏览器历史中，新客户端请用 POST /applications/{tracking_no}/status。"
                    ),
                    "deprecated": True,
                    "parameters": [
                        _param("tracking_no", "申请编号", string, where="path", required=True),
                        _param("code", "查询码", string, required=True),
                    ],
                    "responses": {
                        "200": _json_response("办理进度", "#/components/schemas/ApplicationProgress"),
                        "404": _json_response(
                            "申请编号或查询码不正确（不区分是哪一项）", "#/components/schemas/Error"
                        ),
                        "429": _json_response("查询过于频繁", "#/components/schemas/Error"),
                    },
                }
            },
            "/annual-reports/{agency_code}/{year}": {
                "get": {
                    "operationId": "getAnnualReport",
                    "summary": "已发布的政府信息公开工作年度报告（统计表、勾稽关系、人工填报项与文字部分）",
                    "parameters": [
                        _param("agency_code", "机关代码", string, where="path", required=True),
                        _param("year", "报告年度", {"type": "integer"}, where="path", required=True),
                    ],
                    "responses": {
                        "200": _json_response("年度报告", "#/components/schemas/AnnualReport"),
                        "404": _json_response("不存在或尚未发布", "#/components/schemas/Error"),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": ERROR,
                "PowerList": {
                    "type": "object",
                    "required": ["agency", "count", "results"],
                    "properties": {
                        "agency": AGENCY_REF,
                        "count": {"type": "integer"},
                        "results": {"type": "array", "items": POWER_REF},
                        "url": {"type": ["string", "null"]},
                    },
                },
                "Power": {
                    "type": "object",
                    "required": ["agency", "code", "type", "name", "current", "versions", "decision_counts"],
                    "properties": {
                        **{
                            k: POWER_REF["properties"][k]
                            for k in ("code", "type", "type_label", "name", "url")
                        },
                        "agency": AGENCY_REF,
                        "current": {"oneOf": [POWER_VERSION, {"type": "null"}]},
                        "versions": {"type": "array", "items": POWER_VERSION},
                        "decision_counts": {
                            "type": "array",
                            "description": "历年处理决定数量",
                            "items": {
                                "type": "object",
                                "properties": {"year": {"type": "integer"}, "count": {"type": "integer"}},
                            },
                        },
                    },
                },
                "FieldErrors": FIELD_ERRORS,
                "ApplicationRequest": APPLICATION_REQUEST,
                "ApplicationCreated": {
                    "type": "object",
                    "required": ["tracking_no", "query_code", "received_on"],
                    "properties": {
                        "tracking_no": string,
                        "query_code": {"type": "string", "description": "只显示这一次，请妥善保存"},
                        "received_on": {"type": ["string", "null"], "format": "date"},
                    },
                },
                "ApplicationProgress": APPLICATION_PROGRESS,
                "AnnualReport": ANNUAL_REPORT,
                "DocumentHit": {
                    "type": "object",
                    "required": [
                        "index_no",
                        "title",
                        "agency",
                        "doc_no",
                        "subject",
                        "genre",
                        "written_on",
                        "published_on",
                        "validity",
                        "url",
                        "highlight",
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
                        "highlight": {
                            "type": "string",
                            "description": "HTML 转义后的摘要，命中处以 <mark> 标出",
                        },
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
                            "properties": {
                                k: FACET for k in ("agency", "subject", "genre", "year", "validity")
                            },
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
