import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from gongkai.catalogue.models import Genre, Subject, Validity
from gongkai.catalogue.services import document_set_validity
from gongkai.catalogue.tests.factories import make_agency, make_document, publish_imported
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.search.serialize import RESULT_KEYS, document_url, results_to_dict
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)


def published(agency, title, body, written_on, **fields):
    doc = make_document(agency, title, body, publish=False, written_on=written_on, **fields)
    return publish_imported(doc, published_on=written_on)


@pytest.fixture
def catalogue():
    ensure_taxonomy()
    city = make_agency("江州市人民政府")
    other = make_agency("滨江区人民政府")
    subject = Subject.objects.get(name="环境监测、保护与治理")
    rules = published(
        city,
        "江州市生活垃圾分类管理办法",
        "生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾。<script>x</script>",
        date(2024, 1, 15),
        doc_no="江府规〔2024〕1号",
        subject_id=subject.pk,
        genre_id=Genre.objects.get(name="规范性文件").pk,
    )
    old = published(city, "江州市城市生活垃圾分类管理暂行办法", "垃圾分类暂行规定。", date(2019, 6, 28))
    document_set_validity(document=old, validity=Validity.REPEALED, replaced_by=rules)
    published(other, "滨江区垃圾分类工作方案", "街道垃圾分类。", date(2023, 5, 1))
    return city, rules


def run_search(*args) -> dict:
    out = io.StringIO()
    call_command("search", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_has_the_keys_of_the_api(catalogue):
    data = run_search("垃圾分类")
    assert set(data) == {"count", "results", "facets"}
    assert data["count"] == 3
    assert all(list(r) == list(RESULT_KEYS) for r in data["results"])
    assert set(data["facets"]) == {"agency", "subject", "genre", "year", "validity"}
    for values in data["facets"].values():
        assert all(set(v) == {"value", "label", "count"} for v in values)


def test_a_result_carries_codes_names_dates_and_a_marked_highlight(catalogue):
    city, rules = catalogue
    result = next(r for r in run_search("厨余垃圾")["results"])
    assert result == {
        "index_no": rules.index_no,
        "title": "江州市生活垃圾分类管理办法",
        "agency": city.code,
        "doc_no": "江府规〔2024〕1号",
        "subject": "城乡建设、环境保护",
        "genre": "规范性文件",
        "written_on": "2024-01-15",
        "published_on": rules.published_on.isoformat(),
        "validity": "in_force",
        "url": document_url(rules.index_no),
        "highlight": result["highlight"],
    }
    assert "<mark>厨余垃圾</mark>" in result["highlight"]
    assert "<script>" not in result["highlight"] and "&lt;script&gt;" in result["highlight"]


def test_filters_narrow_the_results(catalogue):
    city, _ = catalogue
    assert run_search("垃圾分类", "--agency", city.code)["count"] == 2
    assert (
        run_search("垃圾分类", "--validity", "废止")["results"][0]["title"]
        == "江州市城市生活垃圾分类管理暂行办法"
    )
    assert run_search("垃圾分类", "--year", "2023")["count"] == 1
    assert run_search("垃圾分类", "--subject", "城乡建设、环境保护")["count"] == 1
    assert run_search("垃圾分类", "--genre", "规范性文件")["count"] == 1
    assert len(run_search("垃圾分类", "--limit", "1")["results"]) == 1


def test_date_sort_puts_the_newest_first(catalogue):
    titles = [r["title"] for r in run_search("垃圾分类", "--sort", "date")["results"]]
    assert titles == [
        "江州市生活垃圾分类管理办法",
        "滨江区垃圾分类工作方案",
        "江州市城市生活垃圾分类管理暂行办法",
    ]


def test_an_unknown_agency_is_a_user_error(catalogue):
    with pytest.raises(CommandError, match="no agency with code"):
        call_command("search", "垃圾", "--agency", "999999999")


def test_a_limit_out_of_range_is_a_user_error(catalogue):
    with pytest.raises(CommandError, match="--limit"):
        call_command("search", "垃圾", "--limit", "0")


def test_listing_without_json_is_readable(catalogue):
    out = io.StringIO()
    call_command("search", "厨余", stdout=out)
    text = out.getvalue()
    assert text.startswith("1 documents found")
    assert "江州市生活垃圾分类管理办法" in text and "【厨余】" in text and "<mark>" not in text


def test_absolute_urls_use_the_given_function(catalogue):
    data = results_to_dict(
        search_documents(SearchQuery(q="厨余")), absolute_url=lambda p: "https://gk.example" + p
    )
    assert data["results"][0]["url"].startswith("https://gk.example/")
