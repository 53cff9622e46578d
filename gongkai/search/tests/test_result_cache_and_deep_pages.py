"""The two shortcuts of search_index give exactly the engine's answer (issue 13, §4): the
result cache of frequent queries (same count, hits and facets as without it, and never an
answer from before the index changed) and deep pages by date (the same page as ranking every
hit before it)."""

import random
import shutil
from datetime import date, timedelta

import pytest

from gongkai.catalogue.models import Document
from gongkai.catalogue.services import document_withdraw
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.search import engine, indexer, resultcache, services
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)


def answer(query: SearchQuery):
    found = search_documents(query)
    facets = {name: [(v.value, v.count) for v in values] for name, values in found.facets.items()}
    return found.count, [h.document.pk for h in found.hits], facets


def corpus(n: int = 30):
    agencies = [make_agency(f"江州市{name}") for name in ("发展和改革委员会", "财政局")]
    rng = random.Random(13)
    docs = []
    for i in range(n):
        body = "坚持和发展中国特色社会主义。" if i % 3 else "推进营商环境建设。"
        docs.append(
            make_document(
                agencies[i % 2],
                f"关于第{i}项工作的通知",
                body,
                published_on=date(2024, 1, 1) + timedelta(days=rng.randint(0, 5)),  # many ties
            )
        )
    return agencies, docs


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_cached_answers_equal_uncached_ones(cache_everything, monkeypatch, sort):
    agencies, _docs = corpus()
    queries = [SearchQuery(q="社会主义", sort=sort, page=page, page_size=4) for page in (1, 2, 3, 6)] + [
        SearchQuery(q="社会主义", agency=agencies[0].code, sort=sort),
        SearchQuery(q="", page=2, page_size=7),
    ]
    with monkeypatch.context() as off:
        off.setattr(resultcache, "MIN_HITS", 10**9)  # nothing is kept
        plain = [answer(q) for q in queries]
    assert plain[0][0] == 20 and len(plain[0][1]) == 4
    first = [answer(q) for q in queries]  # computed, then kept
    again = [answer(q) for q in queries]  # from the cache
    assert first == plain and again == plain
    assert resultcache._entries, "the answers were kept"


def test_a_publication_or_withdrawal_is_seen_through_the_cache(cache_everything):
    agencies, docs = corpus(9)
    query = SearchQuery(q="社会主义", sort="date")
    count, ids, _ = answer(query)
    assert answer(query)[0] == count  # kept
    new = make_document(agencies[0], "关于新工作的通知", "坚持社会主义。", published_on=date(2025, 1, 1))
    count2, ids2, _ = answer(query)
    assert count2 == count + 1 and ids2[0] == new.pk  # the newest comes first
    gone = next(d for d in docs if d.pk in ids)
    document_withdraw(document=gone, reason="测试")
    count3, ids3, _ = answer(query)
    assert count3 == count and gone.pk not in ids3


def test_only_frequent_queries_are_kept(monkeypatch):
    resultcache.clear()
    corpus(9)
    monkeypatch.setattr(resultcache, "MIN_HITS", 7)
    answer(SearchQuery(q="营商环境"))  # 3 hits: not kept
    assert not resultcache._entries
    answer(SearchQuery(q="社会主义"))  # 6 hits... still below 7
    assert not resultcache._entries
    answer(SearchQuery(q="通知"))  # 9 hits
    assert len(resultcache._entries) == 1
    resultcache.clear()


def test_deep_pages_by_date_are_the_pages_of_the_plain_ranking(monkeypatch):
    agencies, _docs = corpus(40)
    queries = [
        SearchQuery(q=q, agency=a, sort="date", page_size=3)
        for q in ("", "社会主义")
        for a in (None, agencies[1].code)
    ]
    resultcache.clear()
    for query in queries:
        pages = []
        for deep_from in (10**9, 0):  # the plain top-k, then the day counts for every page
            monkeypatch.setattr(services, "DEEP_OFFSET", deep_from)
            run = []
            for page in range(1, 16):
                query.page = page
                count, ids, _ = answer(query)
                run.append((count, ids))
            pages.append(run)
        plain, deep = pages
        assert deep == plain
        seen = [pk for _, ids in plain for pk in ids]
        assert len(seen) == len(set(seen)) == plain[0][0]  # every hit once, then empty pages


def test_an_index_deleted_and_built_again_is_not_answered_from_the_cache(cache_everything):
    corpus(6)
    query = SearchQuery(q="社会主义")
    count, ids, _ = answer(query)
    # Changed behind the change log's back, then the index deleted and rebuilt from the database:
    # its opstamps start over, so only the segment ids tell it from the old one.
    Document.objects.filter(pk=ids[0]).update(body="推进改革。")
    shutil.rmtree(engine.index_dir())
    engine.reset_cache()
    indexer.rebuild()
    count2, ids2, _ = answer(query)
    assert count2 == count - 1 and ids[0] not in ids2
