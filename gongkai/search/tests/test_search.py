from datetime import date

import pytest
from django.db import transaction

from gongkai.catalogue.models import Document, Visibility
from gongkai.catalogue.tests.factories import make_agency, make_document, publish_imported
from gongkai.search import engine
from gongkai.search.changelog import mark_stale
from gongkai.search.indexer import rebuild, sync_pending
from gongkai.search.models import PendingChange
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)


def titles(results):
    return [h.document.title for h in results.hits]


def test_substring_across_word_boundaries_is_found():
    agency = make_agency()
    make_document(agency, "关于深化行政审批制度改革的意见", "全面推进改革。")
    make_document(agency, "行政的审批", "无关")
    assert titles(search_documents(SearchQuery(q="行政审"))) == ["关于深化行政审批制度改革的意见"]


def test_two_character_word_is_found():
    agency = make_agency()
    make_document(agency, "年度报告", "政府信息公开工作年度报告")
    make_document(agency, "其他", "无关内容")
    assert titles(search_documents(SearchQuery(q="公开"))) == ["年度报告"]


def test_several_terms_must_all_occur():
    agency = make_agency()
    make_document(agency, "甲", "教育 改革")
    make_document(agency, "乙", "教育 发展")
    assert titles(search_documents(SearchQuery(q="教育 改革"))) == ["甲"]


def test_title_hits_rank_before_body_hits():
    agency = make_agency()
    make_document(agency, "普通通知", "本文多次提到乡村振兴，乡村振兴，乡村振兴。")
    make_document(agency, "关于乡村振兴的意见", "正文")
    assert titles(search_documents(SearchQuery(q="乡村振兴")))[0] == "关于乡村振兴的意见"


@pytest.mark.parametrize(
    "typed", ["国办发〔2019〕14号", "国办发[2019]14号", "国办发(2019)14号", "国办发（2019）14号"]
)
def test_document_numbers_match_across_bracket_forms(typed):
    agency = make_agency()
    make_document(
        agency, "关于全面推行行政规范性文件合法性审核机制的指导意见", "正文", doc_no="国办发〔2019〕14号"
    )
    make_document(agency, "另一份文件", "正文", doc_no="国办发〔2019〕15号")
    assert titles(search_documents(SearchQuery(q=typed))) == [
        "关于全面推行行政规范性文件合法性审核机制的指导意见"
    ]


def test_phrase_does_not_match_across_punctuation():
    agency = make_agency()
    make_document(agency, "甲", "推进公开。政府建设")
    assert titles(search_documents(SearchQuery(q="公开政府"))) == []


def test_summary_is_searched_and_highlighted():
    agency = make_agency()
    make_document(agency, "甲", "正文", summary="明确了营商环境优化的具体措施")
    results = search_documents(SearchQuery(q="营商环境"))
    assert titles(results) == ["甲"]
    assert "<mark>营商环境</mark>" in results.hits[0].highlight


def test_highlight_escapes_html_in_documents():
    agency = make_agency()
    make_document(agency, "甲", "<script>alert(1)</script> 数字政府建设")
    hit = search_documents(SearchQuery(q="数字政府")).hits[0]
    assert "<script>" not in hit.highlight
    assert "&lt;script&gt;" in hit.highlight


def test_facets_count_matching_documents_and_filters_combine():
    a, b = make_agency("甲市人民政府"), make_agency("乙市人民政府")
    make_document(a, "教育一", "教育", written_on=date(2023, 3, 1))
    make_document(a, "教育二", "教育", written_on=date(2024, 3, 1))
    make_document(b, "教育三", "教育", written_on=date(2024, 3, 1))
    make_document(b, "卫生", "卫生", written_on=date(2024, 3, 1))
    results = search_documents(SearchQuery(q="教育"))
    agency_counts = {f.label: f.count for f in results.facets["agency"]}
    assert agency_counts == {"甲市人民政府": 2, "乙市人民政府": 1}
    assert {f.value: f.count for f in results.facets["year"]} == {"2024": 2, "2023": 1}
    filtered = search_documents(SearchQuery(q="教育", agency=a.code, year=2024))
    assert titles(filtered) == ["教育二"]


def test_date_sort_puts_latest_publication_first():
    agency = make_agency()
    old = make_document(agency, "旧的教育文件", "教育", publish=False)
    new = make_document(agency, "新的教育文件", "教育", publish=False)
    publish_imported(old, published_on=date(2020, 1, 1))
    publish_imported(new, published_on=date(2024, 1, 1))
    assert titles(search_documents(SearchQuery(q="教育", sort="date"))) == ["新的教育文件", "旧的教育文件"]


@pytest.mark.parametrize(
    "query",
    [
        '"教育',
        "教育 AND OR NOT",
        "title:教育",
        "教育' OR 1=1; --",
        "*",
        "(((",
        "😀😀",
        "教" * 10000,
        "，。！？",
        "\\",
        "a",
    ],
)
def test_odd_queries_never_raise(query):
    agency = make_agency()
    make_document(agency, "教育文件", "教育")
    results = search_documents(SearchQuery(q=query))
    assert results.count >= 0


def test_single_character_query_explains_itself():
    results = search_documents(SearchQuery(q="教"))
    assert results.messages and "至少两个" in results.messages[0]


def test_withdrawn_and_internal_documents_are_not_found():
    agency = make_agency()
    make_document(agency, "内部教育文件", "教育", publish=False)
    doc = make_document(agency, "公开教育文件", "教育")
    Document.objects.filter(pk=doc.pk).update(visibility=Visibility.WITHDRAWN)
    mark_stale_and_sync([doc.pk])
    assert titles(search_documents(SearchQuery(q="教育"))) == []


def test_pending_changes_survive_a_crash_between_commit_and_index_write():
    agency = make_agency()
    doc = make_document(agency, "教育文件", "教育", publish=False)
    # Simulate a process that committed but died before its on-commit index write.
    with transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(
            visibility=Visibility.PUBLIC, index_no="X/2024-00001", published_on=date(2024, 1, 1)
        )
        PendingChange.objects.update_or_create(document_id=doc.pk)
    assert titles(search_documents(SearchQuery(q="教育"))) == []
    assert sync_pending() == 1
    assert titles(search_documents(SearchQuery(q="教育"))) == ["教育文件"]
    assert not PendingChange.objects.exists()


def test_rebuild_recreates_the_index_from_the_database():
    agency = make_agency()
    make_document(agency, "教育文件", "教育")
    engine.reset_cache()
    import shutil

    shutil.rmtree(engine.index_dir())
    engine.reset_cache()
    assert titles(search_documents(SearchQuery(q="教育"))) == []
    assert rebuild() == 1
    assert titles(search_documents(SearchQuery(q="教育"))) == ["教育文件"]


def mark_stale_and_sync(ids):
    with transaction.atomic():
        mark_stale(ids)
