"""The bodies of the public API as named JSON schemas (``components/schemas`` of
/api/v1/openapi.json), registered with ``spec.schema``. The serialisers in views.py,
applications.py, reports.py and gongkai/powers/api.py produce exactly these shapes: objects
are closed (``additionalProperties: false``) wherever the API answers a fixed set of keys, so
the contract test (tests/test_contract.py) fails on a field added or dropped on either side.
"""

from gongkai.agencies.models import AgencyLevel
from gongkai.applications.rules import ApplicantType, ApplicationState, Delivery, IdType, InfoForm, Outcome
from gongkai.catalogue.models import DatePrecision, Validity
from gongkai.powers.models import PowerType
from gongkai.search.serialize import RESULT_KEYS
from gongkai.search.services import FACETS

from .spec import nullable, schema


def closed(properties: dict, *, optional: tuple[str, ...] = (), description: str = "") -> dict:
    """An object with exactly these keys (all required unless named optional)."""
    out = {
        "type": "object",
        "required": [k for k in properties if k not in optional],
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        out["description"] = description
    return out


FACET = {
    "type": "array",
    "items": closed({"value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer"}}),
}
DOC_REF = closed({"index_no": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"}})
AGENCY_REF = closed({"code": {"type": "string"}, "name": {"type": "string"}})
ERROR = closed(
    {
        "error": {"type": "string", "description": "说明（参数错误时写明取值范围）"},
        "errors": {
            "type": "object",
            "description": "参数名或字段名 → 错误说明列表",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    optional=("errors",),
)

FIELD_ERRORS = closed(
    {
        "errors": {
            "type": "object",
            "description": "字段名 → 错误说明列表；不属于某个字段的错误在 __all__ 下",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "tracking_no": {"type": "string", "description": "409 时：已提交申请的编号"},
    },
    optional=("tracking_no",),
)
_TEXT = {"type": ["string", "null"]}
APPLICATION_REQUEST = {
    "type": "object",
    "required": ["agency", "applicant_type", "name", "description", "form", "delivery"],
    "properties": {
        "agency": {"type": "string", "description": "受理机关代码"},
        "applicant_type": {
            "type": "string",
            "enum": list(ApplicantType.values),
        },
        "name": {"type": "string", "description": "姓名或名称"},
        "id_type": {"type": ["string", "null"], "enum": [*IdType.values, "", None]},
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
        "form": {"type": "string", "enum": list(InfoForm.values)},
        "delivery": {"type": "string", "enum": list(Delivery.values)},
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
            "enum": list(ApplicationState.values),
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
        "outcome": {"type": ["string", "null"], "enum": [*Outcome.values, None]},
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
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["no", "description", "outcome", "outcome_label"],
                "additionalProperties": False,
                "properties": {
                    "no": {"type": "integer"},
                    "description": {"type": "string"},
                    "outcome": {"type": ["string", "null"], "enum": [*Outcome.values, None]},
                    "outcome_label": {"type": ["string", "null"]},
                },
            },
            "description": "分项答复的各项（按答复书顺序），作出决定后附各项处理结果；未分项时为空数组",
        },
    },
}


_COUNTS = {
    "type": "object",
    "additionalProperties": {"type": ["integer", "null"]},
}  # null: blank in an imported report
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
        "imported": {
            "type": "boolean",
            "description": "平台启用前发布、按原样导入的报告（gongkai annual-report import）：空白单元格为 null",
        },
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


POWER_TYPES = list(PowerType.values)
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


def _close(definition: dict, *, optional: tuple[str, ...] = ()) -> dict:
    definition["required"] = [k for k in definition["properties"] if k not in optional]
    definition["additionalProperties"] = False
    return definition


_close(APPLICATION_PROGRESS)
_close(APPLICATION_PROGRESS["properties"]["reply"]["oneOf"][0])
_close(APPLICATION_PROGRESS["properties"]["remedies"]["oneOf"][0])
_close(_NAMED_BODY)
_close(POWER_VERSION)
_close(POWER_REF)

_string = {"type": "string"}
_text_or_null = {"type": ["string", "null"]}

ERROR_REF = schema("Error", ERROR)
FIELD_ERRORS_REF = schema("FieldErrors", FIELD_ERRORS)
APPLICATION_REQUEST_REF = schema("ApplicationRequest", APPLICATION_REQUEST)
APPLICATION_CREATED_REF = schema(
    "ApplicationCreated",
    closed(
        {
            "tracking_no": _string,
            "query_code": {"type": "string", "description": "只显示这一次，请妥善保存"},
            "received_on": {"type": ["string", "null"], "format": "date"},
        }
    ),
)
APPLICATION_PROGRESS_REF = schema("ApplicationProgress", APPLICATION_PROGRESS)
ANNUAL_REPORT_REF = schema("AnnualReport", ANNUAL_REPORT)

POWER_LIST_REF = schema(
    "PowerList",
    closed(
        {
            "agency": AGENCY_REF,
            "count": {"type": "integer"},
            "results": {"type": "array", "items": POWER_REF},
            "url": _text_or_null,
        }
    ),
)
POWER_REF_SCHEMA = schema(
    "Power",
    closed(
        {
            **{k: POWER_REF["properties"][k] for k in ("code", "type", "type_label", "name")},
            "agency": AGENCY_REF,
            "current": {"oneOf": [POWER_VERSION, {"type": "null"}]},
            "versions": {"type": "array", "items": POWER_VERSION},
            "decision_counts": {
                "type": "array",
                "description": "历年处理决定数量",
                "items": closed({"year": {"type": "integer"}, "count": {"type": "integer"}}),
            },
            "url": _text_or_null,
        }
    ),
)

_HIT_PROPERTIES = {
    "index_no": _string,
    "title": _string,
    "agency": {"type": "string", "description": "发布机关代码（agency 参数的取值）"},
    "doc_no": _string,
    "subject": {"type": ["string", "null"], "description": "一级主题分类名称"},
    "genre": _text_or_null,
    "written_on": {"type": "string", "description": "YYYY、YYYY-MM 或 YYYY-MM-DD，保持原有精度"},
    "published_on": {"type": ["string", "null"], "description": "YYYY、YYYY-MM 或 YYYY-MM-DD，保持原有精度"},
    "validity": {"type": "string", "enum": list(Validity.values)},
    "url": _string,
    "highlight": {"type": "string", "description": "HTML 转义后的摘要，命中处以 <mark> 标出"},
}
assert tuple(_HIT_PROPERTIES) == RESULT_KEYS, "DocumentHit must list search.serialize.RESULT_KEYS"
DOCUMENT_HIT_REF = schema("DocumentHit", closed(_HIT_PROPERTIES))
DOCUMENT_LIST_REF = schema(
    "DocumentList",
    closed(
        {
            "count": {"type": "integer"},
            "results": {"type": "array", "items": DOCUMENT_HIT_REF},
            "facets": closed({name: FACET for name in FACETS}),
            "messages": {
                "type": "array",
                "items": _string,
                "description": "对检索词的提示（如被忽略的单字）",
            },
        }
    ),
)
DOCUMENT_REF = schema(
    "Document",
    closed(
        {
            "index_no": _string,
            "title": _string,
            "agency": nullable(AGENCY_REF),
            "issuers": {"type": "array", "items": AGENCY_REF, "description": "发文机关，牵头机关在前"},
            "co_issuers": {"type": "array", "items": AGENCY_REF},
            "doc_no": {"type": "string", "description": "发文字号（年份统一为〔〕）"},
            "doc_no_original": {"type": "string", "description": "发文字号原文"},
            "normative_no": {"type": "string", "description": "规范性文件登记号"},
            "subject": _text_or_null,
            "subject_detail": _text_or_null,
            "genre": _text_or_null,
            "written_on": {"type": "string", "description": "YYYY、YYYY-MM 或 YYYY-MM-DD"},
            "written_on_precision": {"type": "string", "enum": list(DatePrecision.values)},
            "published_on": {"type": ["string", "null"], "description": "YYYY、YYYY-MM 或 YYYY-MM-DD"},
            "published_on_precision": {"type": "string", "enum": list(DatePrecision.values)},
            "effective_on": _text_or_null,
            "expires_on": _text_or_null,
            "validity": {"type": "string", "enum": list(Validity.values)},
            "replaced_by": nullable(DOC_REF),
            "replaces": {"type": "array", "items": DOC_REF},
            "summary": _string,
            "keywords": _string,
            "body": _string,
            "url": _string,
            "attachments": {
                "type": "array",
                "items": closed(
                    {
                        "title": _string,
                        "filename": _string,
                        "content_type": _string,
                        "size": {"type": "integer"},
                        "sha256": _string,
                        "url": _text_or_null,
                    }
                ),
            },
            "interpretations": {"type": "array", "items": DOC_REF},
            "interprets": {"type": "array", "items": DOC_REF},
        }
    ),
)
_OFFICE = closed(
    {k: _string for k in ("name", "address", "hours", "phone", "fax", "email", "postcode", "website")},
    description="政府信息公开工作机构",
)
AGENCY_SCHEMA_REF = schema(
    "Agency",
    closed(
        {
            "code": {"type": "string", "description": "统一社会信用代码或组织机构代码"},
            "name": _string,
            "short_name": _string,
            "level": {"type": "string", "enum": list(AgencyLevel.values)},
            "parent": _text_or_null,
            "office": nullable(_OFFICE),
            "guide_url": _text_or_null,
            "url": _text_or_null,
        }
    ),
)
AGENCY_LIST_REF = schema(
    "AgencyList",
    closed({"count": {"type": "integer"}, "results": {"type": "array", "items": AGENCY_SCHEMA_REF}}),
)
OPENAPI_REF = schema(
    "OpenAPI",
    {
        "type": "object",
        "required": ["openapi", "info", "paths", "components"],
        "description": "本文档（OpenAPI 3.1）",
    },
)
