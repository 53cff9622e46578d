"""Equal scores come newest first, on every page; every facet adds up to the result count
(issue 15, §5)."""

import random
from datetime import date

import pytest

from gongkai.catalogue.models import Genre
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.search.services import UNCLASSIFIED, SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "江州市人民政府工作报告全文。"


def reports(agency, years):
    """Same-length titles and the same body: the engine gives them one score."""
    for year in years:
        make_document(agency, f"{year}年江州市人民政府工作报告", BODY, published_on=date(year, 3, 5))


def test_equal_scores_come_newest_first_across_pages():
    agency = make_agency()
    years = list(range(1990, 2025))
    random.Random(15).shuffle(years)  # indexed in no particular order
    reports(agency, years)
    make_document(
        agency, "政府工作报告", "正文", published_on=date(1980, 1, 1)
    )  # a shorter title ranks first
    seen = []
    for page in (1, 2, 3, 4):
        found = search_documents(SearchQuery(q="政府工作报告", page=page, page_size=10))
        assert found.count == 36
        seen += [h.document for h in found.hits]
    assert seen[0].title == "政府工作报告"
    assert [d.published_on.year for d in seen[1:]] == list(range(2024, 1989, -1))
    assert len({d.pk for d in seen}) == 36  # no document twice, none left out at a page boundary


def test_facets_add_up_to_the_result_count_with_unclassified():
    ensure_taxonomy()
    agency = make_agency()
    report = Genre.objects.get(name="报告")
    for year in (2021, 2022, 2023):
        make_document(agency, f"{year}年江州市人民政府工作报告", BODY, genre_id=report.pk)
    make_document(agency, "1964年江州市人民政府工作报告（摘要）", BODY)  # no genre, no subject
    found = search_documents(SearchQuery(q="政府工作报告"))
    assert found.count == 4
    for name, values in found.facets.items():
        assert sum(v.count for v in values) == found.count, name
    genres = {v.label: v.count for v in found.facets["genre"]}
    assert genres == {"报告": 3, "未分类": 1}
    assert {v.label: v.count for v in found.facets["subject"]} == {"未分类": 4}
    # The 未分类 value filters like any other.
    only = search_documents(SearchQuery(q="政府工作报告", genre=UNCLASSIFIED))
    assert [h.document.title for h in only.hits] == ["1964年江州市人民政府工作报告（摘要）"]
    assert search_documents(SearchQuery(q="政府工作报告", subject=UNCLASSIFIED)).count == 4


def test_the_search_page_and_the_api_offer_the_unclassified_facet(client):
    ensure_taxonomy()
    agency = make_agency()
    make_document(agency, "2023年江州市人民政府工作报告", BODY, genre_id=Genre.objects.get(name="报告").pk)
    make_document(agency, "1964年江州市人民政府工作报告（摘要）", BODY)
    page = client.get("/search/", {"q": "政府工作报告"}).content.decode()
    assert "未分类" in page and "genre=%E6%9C%AA%E5%88%86%E7%B1%BB" in page
    filtered = client.get("/search/", {"q": "政府工作报告", "genre": UNCLASSIFIED}).content.decode()
    assert "1964年" in filtered and "2023年" not in filtered
    api = client.get("/api/v1/documents", {"q": "政府工作报告", "genre": UNCLASSIFIED})
    assert api.status_code == 200 and api.json()["count"] == 1
    assert {"value": UNCLASSIFIED, "label": "未分类", "count": 1} in api.json()["facets"]["genre"]


def test_without_a_query_every_document_ties_and_comes_newest_first():
    agency = make_agency()
    years = list(range(2000, 2025))
    random.Random(7).shuffle(years)
    reports(agency, years)
    found = search_documents(SearchQuery(sort="relevance", page=2, page_size=10))
    assert [h.document.published_on.year for h in found.hits] == list(range(2014, 2004, -1))
