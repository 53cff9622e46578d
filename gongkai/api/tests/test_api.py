import re
from datetime import date
from pathlib import Path

import pytest
from django.urls import get_resolver

from gongkai.agencies.models import DisclosureOffice
from gongkai.catalogue.services import document_set_validity, interpretation_link
from gongkai.catalogue.tests.factories import make_agency, make_document

pytestmark = pytest.mark.django_db(transaction=True)

HIT_KEYS = {
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
}


@pytest.fixture
def corpus():
    agency = make_agency("测试市人民政府", code="000014349")
    DisclosureOffice.objects.create(agency=agency, name="测试市人民政府办公室", phone="010-12345678")
    policy = make_document(agency, "关于优化营商环境的意见", "营商环境 正文", doc_no="测政发〔2024〕3号")
    reading = make_document(agency, "《关于优化营商环境的意见》政策解读", "解读 营商环境")
    interpretation_link(interpretation=reading, policy=policy)
    old = make_document(agency, "旧的营商环境办法", "营商环境", written_on=date(2020, 1, 1))
    document_set_validity(document=old, validity="repealed", replaced_by=policy)
    draft = make_document(agency, "未公开的营商环境草稿", "营商环境", publish=False)
    return {"agency": agency, "policy": policy, "reading": reading, "old": old, "draft": draft}


def test_documents_search_has_the_contract_keys(client, corpus):
    body = client.get("/api/v1/documents", {"q": "营商环境"}).json()
    assert body["count"] == 3
    assert set(body["results"][0]) == HIT_KEYS
    assert set(body["facets"]) >= {"agency", "subject", "year", "validity"}
    assert body["facets"]["agency"] == [{"value": "000014349", "label": "测试市人民政府", "count": 3}]
    assert "未公开的营商环境草稿" not in [r["title"] for r in body["results"]]


def test_documents_filters_and_date_sort(client, corpus):
    body = client.get("/api/v1/documents", {"q": "营商环境", "validity": "repealed"}).json()
    assert [r["title"] for r in body["results"]] == ["旧的营商环境办法"]
    body = client.get("/api/v1/documents", {"year": "2020"}).json()
    assert body["count"] == 1


def test_document_number_query_in_any_bracket_form(client, corpus):
    for typed in ("测政发[2024]3号", "测政发(2024)3号", "测政发〔2024〕3号"):
        body = client.get("/api/v1/documents", {"q": typed}).json()
        assert [r["doc_no"] for r in body["results"]] == ["测政发〔2024〕3号"], typed


@pytest.mark.parametrize("params", [{"year": "abc"}, {"page": "0"}, {"page_size": "1000"}, {"sort": "x"}])
def test_bad_parameters_get_a_400_with_the_field(client, params):
    response = client.get("/api/v1/documents", params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


def test_document_detail_links_interpretations_both_ways_and_validity(client, corpus):
    policy = client.get(f"/api/v1/documents/{corpus['policy'].index_no}").json()
    assert [d["title"] for d in policy["interpretations"]] == ["《关于优化营商环境的意见》政策解读"]
    assert [d["title"] for d in policy["replaces"]] == ["旧的营商环境办法"]
    reading = client.get(f"/api/v1/documents/{corpus['reading'].index_no}").json()
    assert [d["title"] for d in reading["interprets"]] == ["关于优化营商环境的意见"]
    old = client.get(f"/api/v1/documents/{corpus['old'].index_no}").json()
    assert old["validity"] == "repealed"
    assert old["replaced_by"]["index_no"] == corpus["policy"].index_no


def test_unpublished_and_unknown_documents_are_404(client, corpus):
    assert client.get("/api/v1/documents/000014349/2099-00001").status_code == 404
    assert client.get(f"/api/v1/documents/{corpus['draft'].pk}").status_code == 404


def test_agencies_list_and_detail(client, corpus):
    body = client.get("/api/v1/agencies").json()
    assert body["count"] == 1
    agency = body["results"][0]
    assert agency["office"]["name"] == "测试市人民政府办公室"
    assert agency["guide_url"]
    assert client.get("/api/v1/agencies/000014349").json()["name"] == "测试市人民政府"
    assert client.get("/api/v1/agencies/000000000").status_code == 404


def test_openapi_describes_every_api_route(client):
    """Every route but the JSON catch-all declares its operations, and the document is generated
    from exactly those declarations."""
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    (api,) = [p for p in get_resolver().url_patterns if str(p.pattern) == "api/v1/"]
    routes = set()
    for p in api.url_patterns:
        if p.name == "not_found":
            continue
        assert getattr(p.callback, "api_operations", None), f"{p.pattern} declares no operation"
        routes.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)))
    assert routes == set(spec["paths"])


@pytest.mark.parametrize(
    "params, message",
    [
        ({"validity": "bogus"}, "可选值：in_force、expired、repealed、amended"),
        ({"subject": "bogus"}, "未知的主题分类：bogus"),
        ({"genre": "bogus"}, "未知的体裁分类：bogus"),
        ({"agency": "bogus"}, "未知的机关代码：bogus（见 GET /agencies）"),
        ({"page_size": "1000"}, "须为 1 至 100 之间的整数"),
        ({"page_size": "abc"}, "须为 1 至 100 之间的整数"),
        ({"year": "1800"}, "须为 1900 至 2100 之间的整数"),
    ],
)
def test_unknown_facet_values_and_limits_answer_400_saying_the_limit(client, corpus, params, message):
    response = client.get("/api/v1/documents", params)
    assert response.status_code == 400
    (name,) = params
    assert response.json() == {"error": f"参数 {name} 无效：{message}", "errors": {name: [message]}}


def test_known_facet_values_still_filter(client, corpus):
    body = client.get("/api/v1/documents", {"agency": "000014349", "validity": "in_force"}).json()
    assert body["count"] == 2


@pytest.mark.parametrize("debug", [False, True])
def test_everything_under_the_api_answers_json_404_included(client, settings, debug):
    settings.DEBUG = debug
    for path in (
        "/api/v1/nothing-here",
        "/api/v1/documents/",
        "/api/v1/annual-reports/X/notayear",
        "/api/v1/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert "openapi.json" in response.json()["error"]


def test_an_undeclared_method_is_a_json_405_with_allow(client):
    response = client.delete("/api/v1/documents")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert "DELETE" in response.json()["error"]
    response = client.get("/api/v1/applications")
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_head_works_where_get_does(client, corpus):
    get = client.get("/api/v1/agencies/000014349")
    head = client.head("/api/v1/agencies/000014349")
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(get.content)) and "max-age=60" in head["Cache-Control"]
    assert client.head("/api/v1/agencies/000000000").status_code == 404


def test_public_api_responses_are_cacheable(client, corpus):
    response = client.get("/api/v1/documents")
    assert "max-age=60" in response["Cache-Control"]


def test_the_docs_list_exactly_the_endpoints_that_exist(client):
    """docs/api.md, "Endpoints (all of them)", names every operation of the document, no more."""
    spec = client.get("/api/v1/openapi.json").json()
    operations = {f"{method.upper()} {path[1:]}" for path, item in spec["paths"].items() for method in item}
    text = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text()
    section = text.split("## Endpoints (all of them)", 1)[1].split("\n## ", 1)[0]
    assert set(re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) [^`]+)`", section)) == operations
