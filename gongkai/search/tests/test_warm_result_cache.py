"""After a commit of the index the hot queries are computed again before people ask, and a
query being computed is not computed again by a second thread (issue 13, §4: 社会主义 right
after an index change). The answers stay the engine's and never older than the index."""

import threading
import time
from datetime import date

import pytest

from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.search import engine, follower, resultcache, services
from gongkai.search.services import SearchQuery, build_query, search_documents, search_index

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = ("relevance", 20, 0)


def answer(query: SearchQuery):
    found = search_documents(query)
    facets = {name: [(v.value, v.count) for v in values] for name, values in found.facets.items()}
    return found.count, [h.document.pk for h in found.hits], facets


def corpus(n: int = 9):
    agency = make_agency("江州市发展和改革委员会")
    for i in range(n):
        body = "坚持和发展中国特色社会主义。" if i % 3 else "推进营商环境建设。"
        make_document(agency, f"关于第{i}项工作的通知", body, published_on=date(2024, 1, 1 + i))
    return agency


def kept(tq):
    """The entry of ``tq`` under the index's present commit, or None."""
    return resultcache._entries.get((str(engine.index_dir()), engine.commit_stamp(), repr(tq)))


def publish(agency, title="关于新工作的通知"):
    """A publication: its transaction commits and this node's index applies it (a commit)."""
    return make_document(agency, title, "坚持社会主义。", published_on=date(2025, 1, 1))


def computations(monkeypatch) -> list:
    """Counts the rankings search_index really computes (the real function, counted)."""
    calls = []
    real = services._relevance_page

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_relevance_page", counted)
    return calls


def test_the_follower_computes_a_hot_query_again_after_a_commit(cache_everything, monkeypatch):
    agency = corpus()
    query = SearchQuery(q="社会主义")
    tq, _ = build_query(query)
    count, _, _ = answer(query)
    new = publish(agency)
    assert kept(tq) is None  # the commit made the old answer unreachable
    follower.follow_once()  # the follower's step: the index is up to date, the commit is new
    entry = kept(tq)
    assert entry is not None and entry.count == count + 1
    assert new.pk in [doc_id for _, doc_id in entry.pages[PAGE]]
    calls = computations(monkeypatch)
    warmed = answer(query)
    assert calls == []  # the person after the commit is answered from the cache
    with monkeypatch.context() as off:
        off.setattr(resultcache, "MIN_HITS", 10**9)  # nothing kept: the engine's own answer
        assert warmed == answer(query)


def test_only_queries_people_asked_recently_are_warmed(cache_everything, monkeypatch):
    agency = corpus()
    tq, _ = build_query(SearchQuery(q="社会主义"))
    answer(SearchQuery(q="社会主义"))
    asked = next(iter(resultcache._entries.values())).asked
    publish(agency)
    follower.follow_once()
    assert kept(tq).asked == asked  # the warm-up is not somebody asking
    monkeypatch.setattr(follower, "WARM_WITHIN_S", 0.0)
    publish(agency, "关于另一项工作的通知")
    follower.follow_once()
    assert kept(tq) is None


def test_the_follower_thread_warms_soon_after_a_commit(cache_everything):
    agency = corpus()
    tq, _ = build_query(SearchQuery(q="社会主义"))
    answer(SearchQuery(q="社会主义"))
    stop = threading.Event()
    # The log is looked at every 30 s here: the commit is seen by the look at its stamp.
    thread = threading.Thread(target=follower.run, kwargs={"poll_s": 30.0, "stop": stop})
    thread.start()
    try:
        time.sleep(0.3)  # the thread's first look
        publish(agency)
        deadline = time.monotonic() + 5
        while kept(tq) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert kept(tq) is not None and kept(tq).count == 7
    finally:
        stop.set()
        thread.join(timeout=10)


def concurrently(tq, first_started: threading.Event):
    """search_index of ``tq`` from two threads, the second once the first is computing."""
    results = [None, None]

    def ask(i):
        try:
            results[i] = search_index(tq)
        except RuntimeError as error:
            results[i] = error

    one = threading.Thread(target=ask, args=(0,))
    one.start()
    assert first_started.wait(5)
    two = threading.Thread(target=ask, args=(1,))
    two.start()
    one.join(10)
    two.join(10)
    return results


@pytest.mark.parametrize("min_hits", [1, 10**9])  # kept or not, the second caller waits
def test_two_callers_of_the_same_query_compute_it_once(monkeypatch, min_hits):
    corpus()
    resultcache.clear()
    monkeypatch.setattr(resultcache, "MIN_HITS", min_hits)
    tq, _ = build_query(SearchQuery(q="社会主义"))
    expected = search_index(tq)
    resultcache.clear()
    calls, started = [], threading.Event()
    real = services._relevance_page

    def slow(*args, **kwargs):
        calls.append(1)
        started.set()
        time.sleep(0.5)  # long enough for the second caller to arrive and wait
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_relevance_page", slow)
    results = concurrently(tq, started)
    assert len(calls) == 1
    for got in results:
        assert (got.count, got.hits, got.facets) == (expected.count, expected.hits, expected.facets)
    assert not resultcache._flights
    resultcache.clear()


def test_a_failed_computation_leaves_the_waiter_to_compute(monkeypatch):
    corpus()
    resultcache.clear()
    tq, _ = build_query(SearchQuery(q="社会主义"))
    expected = search_index(tq)
    calls, started = [], threading.Event()
    real = services._relevance_page

    def first_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            started.set()
            time.sleep(0.5)
            raise RuntimeError("the first computation fails")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_relevance_page", first_fails)
    results = concurrently(tq, started)
    assert isinstance(results[0], RuntimeError)  # the first caller's error is its own
    assert len(calls) == 2 and (results[1].count, results[1].hits) == (expected.count, expected.hits)
    assert not resultcache._flights


def test_a_document_published_after_a_commit_is_found_warmed_or_not(cache_everything):
    agency = corpus()
    query = SearchQuery(q="社会主义", sort="date")
    count, _, _ = answer(query)
    follower.follow_once()
    first = publish(agency)
    count1, ids1, _ = answer(query)  # asked before the follower looked: computed, not the old
    assert count1 == count + 1 and ids1[0] == first.pk
    follower.follow_once()
    second = publish(agency, "关于另一项工作的通知")
    count2, ids2, _ = answer(query)
    assert count2 == count + 2 and second.pk in ids2
    follower.follow_once()
    assert answer(query)[:2] == (count2, ids2)
