"""Public JSON API, /api/v1/ (interfaces.md). Read-only, no login, no personal data."""

from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document
from gongkai.search.serialize import document_url, results_to_dict, written_on_value
from gongkai.search.services import SearchQuery, search_documents

from .openapi import openapi_document

PUBLIC_CACHE = cache_control(public=True, max_age=60)


def _error(status: int, message: str, **fields) -> JsonResponse:
    body = {"error": message}
    if fields:
        body["errors"] = fields
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _int_param(request, name: str, default: int | None, lo: int, hi: int) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(name) from None
    if not lo <= value <= hi:
        raise ValueError(name)
    return value


@require_GET
@PUBLIC_CACHE
def documents(request):
    """Search and list public documents with facets."""
    try:
        year = _int_param(request, "year", None, 1900, 2100)
        page = _int_param(request, "page", 1, 1, 10_000)
        page_size = _int_param(request, "page_size", 20, 1, 100)
    except ValueError as exc:
        return _error(400, f"参数 {exc} 无效", **{str(exc): ["必须是有效的整数"]})
    sort = request.GET.get("sort") or "relevance"
    if sort not in ("relevance", "date"):
        return _error(400, "参数 sort 无效", sort=["可选值：relevance、date"])
    query = SearchQuery(
        q=request.GET.get("q", ""),
        agency=request.GET.get("agency") or None,
        subject=request.GET.get("subject") or None,
        genre=request.GET.get("genre") or None,
        year=year,
        validity=request.GET.get("validity") or None,
        sort=sort,
        page=page,
        page_size=page_size,
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
    return {
        "index_no": doc.index_no,
        "title": doc.title,
        "agency": _agency_ref(doc.agency),
        "co_issuers": [_agency_ref(a) for a in doc.co_issuers.all()],
        "doc_no": doc.doc_no,
        "subject": doc.subject.top.name if doc.subject_id else None,
        "subject_detail": doc.subject.name if doc.subject_id and doc.subject.parent_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "written_on": written_on_value(doc),
        "written_on_precision": doc.written_on_precision,
        "published_on": doc.published_on.isoformat() if doc.published_on else None,
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


@require_GET
@PUBLIC_CACHE
def document_detail(request, index_no: str):
    doc = (
        Document.objects.public()
        .select_related("agency", "subject__parent", "genre", "replaced_by")
        .prefetch_related("attachments", "co_issuers")
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


@require_GET
@PUBLIC_CACHE
def agencies(request):
    rows = Agency.objects.active().select_related("parent", "office").order_by("path", "sort_order")
    return _json({"count": len(rows), "results": [agency_to_dict(a, request) for a in rows]})


@require_GET
@PUBLIC_CACHE
def agency_detail(request, code: str):
    agency = Agency.objects.active().select_related("parent", "office").filter(code=code).first()
    if agency is None:
        return _error(404, "未找到该机关")
    return _json(agency_to_dict(agency, request))


@require_GET
@PUBLIC_CACHE
def openapi(request):
    return _json(openapi_document(request.build_absolute_uri("/api/v1/")))
