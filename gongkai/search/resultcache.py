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

Recall is the engine's: the cache stores exactly what ``search_index`` computed.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

MIN_HITS = 50_000  # below this a search costs under about 10 ms at 1M documents
MAX_ENTRIES = 256  # queries kept per process (facets of five fields and a few pages each)
MAX_PAGES = 16  # pages kept per query (sort, size, offset)


@dataclass
class Entry:
    count: int
    facets: dict
    pages: dict = field(default_factory=dict)  # (sort, limit, offset): hits


_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def get(key) -> Entry | None:
    if key is None:
        return None
    with _lock:
        entry = _entries.get(key)
        if entry is not None:
            _entries.move_to_end(key)
        return entry


def put(key, *, count: int, facets: dict, page: tuple, hits: list) -> None:
    """Keep this answer when the query is frequent enough to be worth it."""
    if key is None or count < MIN_HITS:
        return
    with _lock:
        entry = _entries.get(key)
        if entry is None:
            entry = _entries[key] = Entry(count=count, facets=facets)
        if page not in entry.pages and len(entry.pages) >= MAX_PAGES:
            entry.pages.pop(next(iter(entry.pages)))
        entry.pages[page] = list(hits)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    with _lock:
        _entries.clear()
