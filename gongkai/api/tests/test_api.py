import re
from datetime import date

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
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    api_patterns = get_resolver().url_patterns
    routes = set()
    for top in api_patterns:
        if str(top.pattern) == "api/v1/":
            for p in top.url_patterns:
                route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
                if route != "openapi.json":
                    routes.add("/" + route)
    assert routes == set(spec["paths"])


def test_public_api_responses_are_cacheable(client, corpus):
    response = client.get("/api/v1/documents")
    assert "max-age=60" in response["Cache-Control"]
