"""Key areas (重点领域) in the public JSON API: the areas, one area's standard catalogue, and the
projects (procurement, construction, budgets and final accounts) with the status of every
disclosure they owe. Read-only, no login; each view declares its operation (spec.endpoint), so
the OpenAPI document describes it and its query parameters are validated before it runs."""

from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from gongkai.agencies.models import Agency
from gongkai.keyareas import selectors
from gongkai.keyareas.models import KeyArea
from gongkai.keyareas.rules import DueUnit, RecordKind, Status

from .schemas import AGENCY_REF, ERROR_REF, closed
from .spec import Operation, Param, Response, endpoint, error_answer, json_answer, nullable, schema

PUBLIC_CACHE = cache_control(public=True, max_age=60)
PAGE_SIZE = 20
STRING = {"type": "string"}
_TEXT_OR_NULL = nullable(STRING)
_DATE_OR_NULL = nullable({"type": "string", "format": "date"})

KEY_AREA = schema(
    "KeyArea",
    closed(
        {
            "code": STRING,
            "name": STRING,
            "version": {"type": "string", "description": "目录版本"},
            "description": STRING,
            "basis": STRING,
            "record_kind": nullable({"type": "string", "enum": list(RecordKind.values)}),
            "url": _TEXT_OR_NULL,
        }
    ),
)
KEY_AREA_LIST = schema(
    "KeyAreaList", closed({"count": {"type": "integer"}, "results": {"type": "array", "items": KEY_AREA}})
)
STANDARD_ITEM = schema(
    "StandardItem",
    closed(
        {
            "code": STRING,
            "matter": {"type": "string", "description": "公开事项"},
            "content": {"type": "string", "description": "公开内容"},
            "basis": {"type": "string", "description": "公开依据"},
            "deadline": {"type": "string", "description": "公开时限（文字）"},
            "due_unit": {"type": "string", "enum": list(DueUnit.values)},
            "due_n": {"type": "integer", "minimum": 0},
            "subject": {"type": "string", "description": "公开主体"},
            "channels": {"type": "string", "description": "公开渠道"},
            "audience": {"type": "string", "description": "公开对象"},
            "method": {"type": "string", "description": "公开方式"},
            "is_stage": {"type": "boolean", "description": "是否为项目记录的公开环节"},
        }
    ),
)
KEY_AREA_DETAIL = schema(
    "KeyAreaDetail",
    closed(
        {
            "code": STRING,
            "name": STRING,
            "version": STRING,
            "description": STRING,
            "basis": STRING,
            "record_kind": nullable({"type": "string", "enum": list(RecordKind.values)}),
            "url": _TEXT_OR_NULL,
            "items": {"type": "array", "items": STANDARD_ITEM},
        }
    ),
)
DISCLOSURE = schema(
    "KeyAreaDisclosure",
    closed(
        {
            "item": STRING,
            "matter": STRING,
            "occurred_on": _DATE_OR_NULL,
            "due_on": _DATE_OR_NULL,
            "due_provisional": {"type": "boolean"},
            "status": {
                "type": "string",
                "enum": list(Status.values),
                "description": "；".join(f"{s.value}：{s.label}" for s in Status),
            },
            "document": nullable(
                closed(
                    {
                        "index_no": STRING,
                        "title": STRING,
                        "published_on": {"type": "string", "format": "date"},
                        "url": _TEXT_OR_NULL,
                    }
                )
            ),
        }
    ),
)
PROJECT = schema(
    "KeyAreaProject",
    closed(
        {
            "id": {"type": "integer"},
            "area": STRING,
            "agency": AGENCY_REF,
            "number": STRING,
            "title": STRING,
            "year": nullable({"type": "integer"}),
            "budget_amount": nullable({"type": "string", "description": "预算金额（元），十进制字符串"}),
            "summary": STRING,
            "url": _TEXT_OR_NULL,
            "disclosures": {"type": "array", "items": DISCLOSURE},
        }
    ),
)
PROJECT_LIST = schema(
    "KeyAreaProjectList",
    closed(
        {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "results": {"type": "array", "items": PROJECT},
        }
    ),
)


def _url(request, name: str, *args) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:  # the public pages are not installed in an API-only deployment
        return None


def area_to_dict(request, area: KeyArea) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "version": area.version,
        "description": area.description,
        "basis": area.basis,
        "record_kind": area.record_kind or None,
        "url": _url(request, "portal:keyarea_area", area.code),
    }


def _item(item) -> dict:
    fields = ("code", "matter", "content", "basis", "deadline", "due_unit", "due_n", "subject", "channels")
    return {
        **{f: getattr(item, f) for f in fields},
        "audience": item.audience,
        "method": item.method,
        "is_stage": item.is_stage,
    }


def project_to_dict(request, view: selectors.ProjectView) -> dict:
    p = view.project
    return {
        "id": p.pk,
        "area": p.area.code,
        "agency": {"code": p.agency.code, "name": p.agency.name},
        "number": p.number,
        "title": p.title,
        "year": p.year,
        "budget_amount": None if p.budget_amount is None else str(p.budget_amount),
        "summary": p.summary,
        "url": _url(request, "portal:keyarea_project", p.pk),
        "disclosures": [
            {
                "item": row.item.code,
                "matter": row.item.matter,
                "occurred_on": row.obligation.occurred_on.isoformat() if row.obligation.occurred_on else None,
                "due_on": row.obligation.due_on.isoformat() if row.obligation.due_on else None,
                "due_provisional": row.obligation.due_provisional,
                "status": str(row.status.value),
                "document": None
                if row.document is None
                else {
                    "index_no": row.document.index_no,
                    "title": row.document.title,
                    "published_on": row.document.published_on.isoformat(),
                    "url": _url(request, "portal:document", row.document.index_no),
                },
            }
            for row in view.rows
        ],
    }


def _known_area(code: str) -> str | None:
    return (
        None
        if KeyArea.objects.filter(code=code).exists()
        else f"未知的重点领域代码：{code}（见 GET /key-areas）"
    )


def _known_agency(code: str) -> str | None:
    return (
        None if Agency.objects.filter(code=code).exists() else f"未知的机关代码：{code}（见 GET /agencies）"
    )


_AREA_CODE = Param("code", "重点领域代码", STRING, where="path")


@endpoint(
    Operation(
        "get",
        "listKeyAreas",
        "重点领域及其主动公开基本目录的版本",
        responses=(Response(200, "重点领域", KEY_AREA_LIST),),
    )
)
@PUBLIC_CACHE
def key_areas(request):
    areas = [area_to_dict(request, a) for a in selectors.areas_public()]
    return json_answer({"count": len(areas), "results": areas})


@endpoint(
    Operation(
        "get",
        "getKeyArea",
        "一个重点领域的主动公开基本目录：公开事项、内容、依据、时限、主体、渠道、对象和方式",
        params=(_AREA_CODE,),
        responses=(Response(200, "重点领域及其目录", KEY_AREA_DETAIL), Response(404, "不存在", ERROR_REF)),
    )
)
@PUBLIC_CACHE
def key_area(request, code: str):
    area = KeyArea.objects.filter(code=code).first()
    if area is None:
        return error_answer(404, "未找到该重点领域")
    return json_answer(
        {**area_to_dict(request, area), "items": [_item(i) for i in selectors.items_current(area)]}
    )


@endpoint(
    Operation(
        "get",
        "listKeyAreaProjects",
        "重点领域项目（政府采购、重大建设项目、部门预决算）及各应公开事项的公开情况",
        params=(
            Param("area", "重点领域代码", {"type": "string", "maxLength": 40}, check=_known_area),
            Param("agency", "机关代码", {"type": "string", "maxLength": 18}, check=_known_agency),
            Param("page", "页码", {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1}),
        ),
        responses=(Response(200, "项目列表", PROJECT_LIST), Response(400, "参数错误", ERROR_REF)),
    )
)
@PUBLIC_CACHE
def key_area_projects(request):
    params = request.api_params
    area = KeyArea.objects.filter(code=params["area"]).first() if params["area"] else None
    agency = Agency.objects.filter(code=params["agency"]).first() if params["agency"] else None
    paginator = Paginator(selectors.projects_public(area=area, agency=agency), PAGE_SIZE)
    page = paginator.get_page(params["page"])
    today = timezone.localdate()
    return json_answer(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [project_to_dict(request, selectors.project_view(p, today)) for p in page.object_list],
        }
    )


@endpoint(
    Operation(
        "get",
        "getKeyAreaProject",
        "一个重点领域项目及其各应公开事项的公开期限、状态和公开文件",
        params=(Param("id", "项目编号（数字）", {"type": "integer"}, where="path"),),
        responses=(Response(200, "项目", PROJECT), Response(404, "不存在", ERROR_REF)),
    )
)
@PUBLIC_CACHE
def key_area_project(request, id: int):  # noqa: A002 - the path parameter's documented name
    project = selectors.projects_public().filter(pk=id).first()
    if project is None:
        return error_answer(404, "未找到该项目")
    return json_answer(project_to_dict(request, selectors.project_view(project, timezone.localdate())))
