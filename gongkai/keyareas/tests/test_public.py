"""The public side: each area's column (catalogue and records), an agency's column, each
project's page, and the JSON API checked against the generated OpenAPI document with
openapi-core, as gongkai/api/tests/test_contract.py checks the rest of the API.

``keyarea_contract_world`` and ``keyarea_contract_calls`` are written so that the API's own
contract test can add these calls to its ``calls()``: ``Call(*c) for c in keyarea_contract_calls(...)``."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from gongkai.agencies.models import Role
from gongkai.keyareas import services
from gongkai.keyareas.models import KeyArea
from gongkai.publishing.tests.factories import make_staff

from .factories import ensure_catalogue, make_world, publish_doc, stage

pytestmark = pytest.mark.django_db
API = "/api/v1"


def keyarea_contract_world(agency) -> dict:
    """A procurement project of ``agency`` with one disclosure in time and one overdue."""
    ensure_catalogue()
    clerk = make_staff(agency, Role.CLERK)
    project = services.project_create(
        agency=agency,
        area=KeyArea.objects.get(code="procurement"),
        fields=services.ProjectFields(number="CG-2026-01", title="办公设备采购项目", budget_amount=96000),
        actor=clerk,
    )
    day = timezone.localdate() - timedelta(days=20)
    for code in ("announcement", "result"):
        services.obligation_occur(obligation=stage(project, code), occurred_on=day, actor=clerk)
    doc = publish_doc(agency, "办公设备采购公告", day)
    services.obligation_fulfil(obligation=stage(project, "announcement"), document=doc, actor=clerk)
    return {"project": project, "agency": agency}


def keyarea_contract_calls(kw: dict) -> list[tuple]:
    """(method, path, status, query) for every key-area operation and parameter."""
    code, pk = kw["agency"].code, kw["project"].pk
    return [
        ("get", "/key-areas", 200, {}),
        ("get", "/key-areas/procurement", 200, {}),
        ("get", "/key-areas/no-such-area", 404, {}),
        ("get", "/key-area-projects", 200, {}),
        ("get", "/key-area-projects", 200, {"area": "procurement", "agency": code, "page": "1"}),
        ("get", "/key-area-projects", 400, {"area": "no-such-area"}),
        ("get", f"/key-area-projects/{pk}", 200, {}),
        ("get", f"/key-area-projects/{pk + 1000}", 404, {}),
    ]


@pytest.fixture
def kw():
    return keyarea_contract_world(make_world().bureau)


def test_every_keyarea_call_and_answer_matches_the_openapi_document(client, kw):
    document = client.get(f"{API}/openapi.json").json()
    for path in ("/key-areas", "/key-areas/{code}", "/key-area-projects", "/key-area-projects/{id}"):
        assert "get" in document["paths"][path]
    openapi = OpenAPI.from_dict(document)
    for method, path, status, query in keyarea_contract_calls(kw):
        response = getattr(client, method)(API + path, query)
        assert response.status_code == status, (path, response.content[:300])
        request = DjangoOpenAPIRequest(response.wsgi_request)
        if status < 400:
            openapi.validate_request(request)
        openapi.validate_response(request, DjangoOpenAPIResponse(response))


def test_the_api_gives_each_disclosures_status_and_document(client, kw):
    body = client.get(f"{API}/key-area-projects/{kw['project'].pk}").json()
    assert body["budget_amount"] == "96000.00" and body["agency"]["code"] == kw["agency"].code
    by_item = {d["item"]: d for d in body["disclosures"]}
    assert by_item["announcement"]["status"] == "in_time"
    assert by_item["announcement"]["document"]["title"] == "办公设备采购公告"
    assert by_item["result"]["status"] == "missing" and by_item["result"]["document"] is None
    assert by_item["intention"]["status"] == "not_yet"
    items = client.get(f"{API}/key-areas/construction").json()["items"]
    assert items[0]["deadline"] == "信息形成或变更之日起20个工作日内" and items[0]["due_unit"] == "workdays"


def test_an_areas_column_shows_its_catalogue_and_its_projects(client, kw):
    page = client.get(reverse("portal:keyarea_area", args=["procurement"]))
    assert page["Cache-Control"].startswith("public") or "public" in page["Cache-Control"]
    html = page.content.decode()
    assert "采购意向" in html and "财库〔2020〕10号" in html  # the catalogue
    assert "办公设备采购项目" in html and 'data-status="missing"' in html


def test_an_agencys_budget_column_lists_its_years(client, kw):
    clerk = make_staff(kw["agency"], Role.OFFICE_HEAD)
    services.project_create(
        agency=kw["agency"],
        area=KeyArea.objects.get(code="budget"),
        fields=services.ProjectFields(number="2026", title="2026年部门预算和决算", year=2026),
        actor=clerk,
    )
    url = reverse("portal:keyarea_agency_column", args=["budget", kw["agency"].code])
    html = client.get(url).content.decode()
    assert "2026年部门预算和决算" in html and "“三公”经费预算" in html
    assert (
        client.get(reverse("portal:keyarea_agency_column", args=["budget", "000000000"])).status_code == 404
    )


def test_a_projects_page_shows_what_it_owes_and_what_disclosed_it(client, kw):
    html = client.get(reverse("portal:keyarea_project", args=[kw["project"].pk])).content.decode()
    assert "96000.00" in html and "办公设备采购公告" in html and "逾期未公开" in html
    assert client.get(reverse("portal:keyarea_project", args=[kw["project"].pk + 1000])).status_code == 404


def test_the_areas_list_names_every_area(client, kw):
    html = client.get(reverse("portal:keyarea_list")).content.decode()
    assert all(name in html for name in ("财政预决算", "政府采购", "重大建设项目", "医疗卫生"))


def test_the_column_and_the_api_list_take_the_same_queries_for_more_projects(client, kw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    column, api = reverse("portal:keyarea_area", args=["procurement"]), f"{API}/key-area-projects"
    before = (queries(column), queries(api))
    clerk = make_staff(kw["agency"], Role.CLERK)
    for n in range(5):
        services.project_create(
            agency=kw["agency"],
            area=KeyArea.objects.get(code="procurement"),
            fields=services.ProjectFields(number=f"CG-EXTRA-{n}", title=f"采购项目{n}"),
            actor=clerk,
        )
    assert (queries(column), queries(api)) == before
