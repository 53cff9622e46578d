"""The answers to queries that match much of the catalogue, kept until the index changes.

A phrase in most documents (社会主义 is in 62% of them) costs a pass over the positions of
every one of its hits, twice (the ranking and the facet counts run side by side): 120-140 ms
at 1M documents against 1-20 ms for every other shape (bench/README.md). People ask the same
few such phrases again and again, and the answer only changes when the index does, so the
index's answer (count, facets, the page's ids) is kept in this process, keyed by the index's
commit (its opstamp and segment ids) and the query, and only for queries with at least
``MIN_HITS`` hits: a rarer query is cheap to answer again and would only crowd the cache.

The key is read before the searcher is reloaded, so an answer is never older than its key:
a commit after the read gives a newer answer under the old key, never the reverse. Every
change of the index is a commit (the change log's follower, a rebuild, ``reindex``), so every
entry of the index before it is unreachable from then on and falls out of the LRU.

So that the first person after a commit does not pay the full cost, each process's follower
thread computes its hot queries again under the new commit as soon as it sees it (``hot``,
follower.warm_result_cache); and a query being computed by one thread is waited for, not
computed again, by the others (``begin``/``end``): a burst of the same popular query right
after a commit costs one computation.

Recall is the engine's: the cache stores exactly what ``search_index`` computed.
"""

import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field

MIN_HITS = 50_000  # below this a search costs under about 10 ms at 1M documents
MAX_ENTRIES = 256  # queries kept per process (facets of five fields and a few pages each)
MAX_PAGES = 16  # pages kept per query (sort, size, offset)


@dataclass
class Entry:
    count: int
    facets: dict
    query: object = None  # the tantivy Query: what the warm-up computes again after a commit
    pages: dict = field(default_factory=dict)  # (sort, limit, offset): hits
    asked: float = 0.0  # time.monotonic() a person last asked for it (the warm-up does not count)


_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()
_local = threading.local()  # .asked: inside warming(), the time the warmed entry stands for


def _asked_now() -> float | None:
    """The time to record as asked: now, or during a warm-up the old entry's time."""
    warming_for = getattr(_local, "asked", None)
    return time.monotonic() if warming_for is None else warming_for


def get(key) -> Entry | None:
    if key is None:
        return None
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            _entries.move_to_end(key)
            entry.asked = max(entry.asked, _asked_now())
        return entry


def put(key, *, count: int, facets: dict, page: tuple, hits: list, query=None) -> None:
    """Keep this answer when the query is frequent enough to be worth it."""
    if key is None or count < MIN_HITS:
        return
    with _lock:
        entry = _entries.get(key)
        if entry is None:
            entry = _entries[key] = Entry(count=count, facets=facets, query=query)
        if page not in entry.pages and len(entry.pages) >= MAX_PAGES:
            entry.pages.pop(next(iter(entry.pages)))
        entry.pages[page] = list(hits)
        entry.asked = max(entry.asked, _asked_now())
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()


# --- after a commit: the hot queries again ---

WARM_PAGES = 2  # first pages warmed per query (by relevance and by date, say)


@dataclass
class Hot:
    query: object  # the tantivy Query
    pages: list  # [(sort, limit, offset)] to compute again
    asked: float


def hot(index: str, stamp, n: int, within_s: float) -> list[Hot]:
    """The queries of ``index`` kept under a commit other than ``stamp`` that a person asked
    for in the last ``within_s`` seconds, most recently used first, at most ``n``.

    Only their first pages (offset 0) are to be computed again: they are what most people
    see, and with the count and facets back in the cache a deeper page costs only its own
    ranking pass. A query asked only at a deeper page gets its first cached page."""
    oldest = time.monotonic() - within_s
    out: list[Hot] = []
    seen = set()
    with _lock:
        for (where, kept_stamp, text), entry in reversed(_entries.items()):
            if len(out) >= n:
                break
            if where != index or text in seen or entry.query is None:
                continue
            seen.add(text)  # the most recent entry of a query speaks for it
            if kept_stamp == stamp or entry.asked < oldest:
                continue  # already computed under this commit, or no longer asked
            firsts = [p for p in entry.pages if p[2] == 0] or list(entry.pages)[:1]
            out.append(Hot(query=entry.query, pages=firsts[:WARM_PAGES], asked=entry.asked))
    return out


@contextmanager
def warming(asked: float):
    """Answers computed inside are not a person asking: they keep the time ``asked`` of the
    entry they replace, so a query nobody asks any more stops being warmed."""
    _local.asked = asked
    try:
        yield
    finally:
        _local.asked = None


# --- one computation per query at a time ---

FLIGHT_WAIT_S = 5.0  # then the waiter computes the answer itself


class Flight:
    """One thread computing one (key, page); the others wait for its answer."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.answer: tuple | None = None  # (count, hits, facets), None when it failed

    def wait(self, timeout: float = FLIGHT_WAIT_S) -> tuple | None:
        return self.answer if self.done.wait(timeout) else None


_flights: dict = {}


def begin(key, page: tuple) -> tuple[Flight | None, bool]:
    """(flight, True) when the caller is to compute this answer and then call ``end``;
    (flight, False) when another thread is computing it already (wait for it); (None, True)
    without a key (no commit to key it by: every caller computes)."""
    if key is None:
        return None, True
    with _lock:
        flight = _flights.get((key, page))
        if flight is not None:
            return flight, False
        flight = _flights[(key, page)] = Flight()
        return flight, True


def end(key, page: tuple, flight: Flight | None, answer: tuple | None) -> None:
    """Hand the answer (None when the computation failed) to the waiters."""
    if flight is None:
        return
    with _lock:
        if _flights.get((key, page)) is flight:
            del _flights[(key, page)]
    flight.answer = answer
    flight.done.set()
