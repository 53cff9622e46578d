"""Key areas (重点领域) on the public site: the list of areas, each area's column (its standard
catalogue and its records, optionally of one agency: the budgets and final accounts of an
agency are its column of 财政预决算) and each project's page with what it owes and the
documents that disclosed it. Public and cacheable like the catalogue: nothing here is personal."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.keyareas import selectors

from .common import public_page

PROJECTS_PAGE_SIZE = 20


@public_page
def keyarea_list(request):
    return render(request, "portal/keyareas/list.html", {"areas": selectors.areas_public()})


def _column(request, code: str, agency: Agency | None):
    area = selectors.area_public(code)
    today = timezone.localdate()
    page_obj = Paginator(selectors.projects_public(area=area, agency=agency), PROJECTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "area": area,
        "agency": agency,
        "items": selectors.items_current(area),
        "page_obj": page_obj,
        "projects": [selectors.project_view(p, today) for p in page_obj.object_list],
    }
    return render(request, "portal/keyareas/area.html", context)


@public_page
def keyarea_area(request, code: str):
    return _column(request, code, None)


@public_page
def keyarea_agency_column(request, code: str, agency_code: str):
    agency = Agency.objects.active().filter(code=agency_code).first()
    if agency is None:
        raise Http404("no such agency")
    return _column(request, code, agency)


@public_page
def keyarea_project(request, pk: int):
    project = selectors.project_public(pk)
    view = selectors.project_view(project, timezone.localdate())
    return render(request, "portal/keyareas/project.html", {"project": project, "view": view})
