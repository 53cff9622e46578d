"""Public JSON API, /api/v1/ (interfaces.md). Read-only, no login, no personal data.

Each view declares its operation (spec.endpoint): the OpenAPI document is generated from these
declarations and the query parameters are validated from them before the view runs."""

from django.urls import NoReverseMatch, reverse

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document, Genre, Subject, Validity
from gongkai.core.pagecache import cached_public
from gongkai.search.serialize import document_url, published_on_value, results_to_dict, written_on_value
from gongkai.search.services import (
    MAX_PAGE_SIZE,
    MAX_QUERY_CHARS,
    UNCLASSIFIED,
    SearchQuery,
    search_documents,
)

from . import schemas
from .spec import Operation, Param, Response, endpoint, error_answer, json_answer

PUBLIC_CACHE = cached_public  # ETag/304 and a server-side copy of published data (core/pagecache.py)
STRING = {"type": "string"}
MAX_PAGE = 10_000

# The old names, used by the other API modules.
_error = error_answer
_json = json_answer


def _known_agency(code: str) -> str | None:
    return (
        None if Agency.objects.filter(code=code).exists() else f"未知的机关代码：{code}（见 GET /agencies）"
    )


def _known_subject(name: str) -> str | None:
    known = name == UNCLASSIFIED or Subject.objects.filter(name=name).exists()  # the facet's 未分类
    return None if known else f"未知的主题分类：{name}"


def _known_genre(name: str) -> str | None:
    known = name == UNCLASSIFIED or Genre.objects.filter(name=name).exists()  # the facet's 未分类
    return None if known else f"未知的体裁分类：{name}"


SEARCH = Operation(
    "get",
    "searchDocuments",
    "检索政府信息（含分面统计）",
    params=(
        Param(
            "q",
            f"检索词；空格分隔的多个词须同时出现（每个词至少两个字符）；只使用前 {MAX_QUERY_CHARS} 个字符，"
            "更长时 messages 中有提示",
            STRING,
        ),
        Param("agency", "发布机关代码（须为机关目录中的代码）", STRING, check=_known_agency),
        Param("subject", "主题分类名称（一级或二级，须为已有分类）", STRING, check=_known_subject),
        Param("genre", "体裁分类名称（须为已有分类）", STRING, check=_known_genre),
        Param("year", "成文年份", {"type": "integer", "minimum": 1900, "maximum": 2100}),
        Param("validity", "有效性", {"type": "string", "enum": list(Validity.values)}),
        Param("sort", "排序", {"type": "string", "enum": ["relevance", "date"], "default": "relevance"}),
        Param("page", "页码", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
        Param(
            "page_size",
            f"每页条数（最多 {MAX_PAGE_SIZE}）",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20},
        ),
    ),
    responses=(
        Response(200, "检索结果", schemas.DOCUMENT_LIST_REF),
        Response(400, "参数错误：未知的取值或超出范围（说明中写明取值范围）", schemas.ERROR_REF),
    ),
)


@endpoint(SEARCH)
@PUBLIC_CACHE
def documents(request):
    """Search and list public documents with facets."""
    p = request.api_params
    query = SearchQuery(
        q=p["q"] or "",
        agency=p["agency"],
        subject=p["subject"],
        genre=p["genre"],
        year=p["year"],
        validity=p["validity"],
        sort=p["sort"],
        page=p["page"],
        page_size=p["page_size"],
    )
    results = search_documents(query)
    body = results_to_dict(results, absolute_url=request.build_absolute_uri)
    body["messages"] = results.messages
    return _json(body)


def _agency_ref(agency: Agency | None) -> dict | None:
    if agency is None:
        return None
    return {"code": agency.code, "name": agency.name}


def document_to_dict(doc: Document, request) -> dict:
    """A public document with its metadata, body, attachments and interpretations."""
    issuers = doc.issuer_agencies()
    return {
        "index_no": doc.index_no,
        "title": doc.title,
        "agency": _agency_ref(doc.agency),
        # The issuing agencies, lead first (the publishing agency alone when none are
        # recorded); co_issuers: those of a joint issuance other than the publishing agency.
        "issuers": [_agency_ref(a) for a in issuers],
        "co_issuers": [_agency_ref(a) for a in issuers if a.pk != doc.agency_id],
        "doc_no": doc.doc_no,
        "doc_no_original": doc.doc_no_original or doc.doc_no,
        "normative_no": doc.normative_no,
        "subject": doc.subject.top.name if doc.subject_id else None,
        "subject_detail": doc.subject.name if doc.subject_id and doc.subject.parent_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "written_on": written_on_value(doc),
        "written_on_precision": doc.written_on_precision,
        "published_on": published_on_value(doc),
        "published_on_precision": doc.published_on_precision,
        "effective_on": doc.effective_on.isoformat() if doc.effective_on else None,
        "expires_on": doc.expires_on.isoformat() if doc.expires_on else None,
        "validity": doc.validity,
        "replaced_by": _doc_ref(doc.replaced_by, request) if doc.replaced_by_id else None,
        "replaces": [_doc_ref(d, request) for d in doc.replaces.public()],
        "summary": doc.summary,
        "keywords": doc.keywords,
        "body": doc.body,
        "url": request.build_absolute_uri(document_url(doc.index_no)),
        "attachments": [
            {
                "title": a.title,
                "filename": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": _attachment_url(a, request),
            }
            for a in doc.attachments.all()
        ],
        "interpretations": [_doc_ref(d, request) for d in doc.interpretations.public()],
        "interprets": [_doc_ref(d, request) for d in doc.interprets.public()],
    }


def _attachment_url(attachment, request) -> str | None:
    try:
        return request.build_absolute_uri(reverse("portal:attachment", args=[attachment.pk]))
    except NoReverseMatch:  # the portal is not installed in an API-only deployment
        return None


def _doc_ref(doc: Document, request) -> dict:
    return {
        "index_no": doc.index_no,
        "title": doc.title,
        "url": request.build_absolute_uri(document_url(doc.index_no)),
    }


@endpoint(
    Operation(
        "get",
        "getDocument",
        "一条政府信息（元数据、正文、附件、政策解读）",
        params=(Param("index_no", "索引号，如 000014349/2024-00001", STRING, where="path"),),
        responses=(
            Response(200, "政府信息", schemas.DOCUMENT_REF),
            Response(404, "不存在或未公开", schemas.ERROR_REF),
        ),
    )
)
@PUBLIC_CACHE
def document_detail(request, index_no: str):
    doc = (
        Document.objects.public()
        .select_related("agency", "subject__parent", "genre", "replaced_by")
        .prefetch_related("attachments")
        .filter(index_no=index_no)
        .first()
    )
    if doc is None:
        return _error(404, "未找到该政府信息")
    if doc.replaced_by_id and not Document.objects.public().filter(pk=doc.replaced_by_id).exists():
        doc.replaced_by = None
        doc.replaced_by_id = None
    return _json(document_to_dict(doc, request))


def agency_to_dict(agency: Agency, request) -> dict:
    office = getattr(agency, "office", None)
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent_id else None,
        "office": None
        if office is None
        else {
            "name": office.name,
            "address": office.address,
            "hours": office.hours,
            "phone": office.phone,
            "fax": office.fax,
            "email": office.email,
            "postcode": office.postcode,
            "website": office.website,
        },
        "guide_url": _portal_url(request, "portal:guide", agency.code),
        "url": _portal_url(request, "portal:agency", agency.code),
    }


def _portal_url(request, name: str, code: str) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, args=[code]))
    except NoReverseMatch:  # portal not installed
        return None


@endpoint(
    Operation(
        "get",
        "listAgencies",
        "机关目录（含政府信息公开工作机构与公开指南地址）",
        responses=(Response(200, "机关目录", schemas.AGENCY_LIST_REF),),
    )
)
@PUBLIC_CACHE
def agencies(request):
    rows = Agency.objects.active().select_related("parent", "office").order_by("path", "sort_order")
    return _json({"count": len(rows), "results": [agency_to_dict(a, request) for a in rows]})


@endpoint(
    Operation(
        "get",
        "getAgency",
        "一个机关",
        params=(Param("code", "统一社会信用代码或组织机构代码", STRING, where="path"),),
        responses=(
            Response(200, "机关", schemas.AGENCY_SCHEMA_REF),
            Response(404, "不存在", schemas.ERROR_REF),
        ),
    )
)
@PUBLIC_CACHE
def agency_detail(request, code: str):
    agency = Agency.objects.active().select_related("parent", "office").filter(code=code).first()
    if agency is None:
        return _error(404, "未找到该机关")
    return _json(agency_to_dict(agency, request))


def not_found(request, rest: str = ""):
    """Any other path under /api/v1/: a JSON 404, whatever the method (and DEBUG)."""
    return error_answer(404, "未找到请求的接口，接口列表见 /api/v1/openapi.json")
