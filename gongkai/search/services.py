"""Searching the public catalogue (catalogue.md, "Search"; Art. 24)."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import tantivy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document, Validity

from . import engine, resultcache
from .tokenize import match_view, query_terms, term_patterns

FACETS = ("agency", "subject", "genre", "year", "validity")
OPTIONAL = ("subject", "genre")  # facets a document may lack
UNCLASSIFIED = "未分类"  # the facet value (and filter) of documents without a subject or genre
TITLE_BOOST = 20.0  # title hits rank first (catalogue.md)
MAX_QUERY_CHARS = 200
MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 120


@dataclass
class SearchQuery:
    q: str = ""
    agency: str | None = None  # agency code
    subject: str | None = None  # subject name, first or second level
    genre: str | None = None
    year: int | None = None
    validity: str | None = None
    sort: str = "relevance"  # or "date"
    page: int = 1
    page_size: int = 20


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Hit:
    document: Document
    title_html: SafeString
    highlight: SafeString
    score: float


@dataclass
class SearchResults:
    query: SearchQuery
    count: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.query.page_size))


def _phrase(name: str, tokens: list[str]) -> tantivy.Query:
    if len(tokens) == 1:
        return tantivy.Query.term_query(engine.SCHEMA, name, tokens[0])
    return tantivy.Query.phrase_query(engine.SCHEMA, name, tokens)


def _filters(query: SearchQuery) -> list[tantivy.Query]:
    out = []
    for name in ("agency", "genre", "validity"):
        value = getattr(query, name)
        if value and not (name in OPTIONAL and value == UNCLASSIFIED):
            out.append(tantivy.Query.term_query(engine.SCHEMA, name, value))
    for name in OPTIONAL:
        if getattr(query, name) == UNCLASSIFIED:
            out.append(
                tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, tantivy.Query.all_query()),
                        (tantivy.Occur.MustNot, tantivy.Query.exists_query(name)),
                    ]
                )
            )
    if query.subject and query.subject != UNCLASSIFIED:
        out.append(
            tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Should, tantivy.Query.term_query(engine.SCHEMA, "subject", query.subject)),
                    (
                        tantivy.Occur.Should,
                        tantivy.Query.term_query(engine.SCHEMA, "subject2", query.subject),
                    ),
                ]
            )
        )
    if query.year:
        out.append(tantivy.Query.term_query(engine.SCHEMA, "year", int(query.year)))
    return out


def build_query(query: SearchQuery) -> tuple[tantivy.Query, list[str]]:
    """The tantivy query for a search: every term (as a bigram phrase) must occur in the
    title or the body; title hits are boosted; filters restrict without scoring."""
    phrases, ignored = query_terms(query.q[:MAX_QUERY_CHARS])
    filters = [(tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in _filters(query)]
    if not phrases:
        everything = [(tantivy.Occur.Must, tantivy.Query.all_query())]
        return tantivy.Query.boolean_query(everything + filters), ignored
    clauses = []
    for tokens in phrases:
        title = tantivy.Query.boost_query(_phrase("title", tokens), TITLE_BOOST)
        body = _phrase("body", tokens)
        if filters:
            # The filters go inside each branch (they score 0, so scores do not change): a
            # union reads its branches ahead in windows of 4096 documents, so a filter outside
            # it saves no phrase matching, while inside, the smaller filter leads the
            # intersection. Measured on 1M documents: see bench/README.md.
            title = tantivy.Query.boolean_query([(tantivy.Occur.Must, title)] + filters)
            body = tantivy.Query.boolean_query([(tantivy.Occur.Must, body)] + filters)
        clauses.append(
            (
                tantivy.Occur.Must,
                tantivy.Query.boolean_query([(tantivy.Occur.Should, title), (tantivy.Occur.Should, body)]),
            )
        )
    return tantivy.Query.boolean_query(clauses), ignored


def _facets(searcher, q: tantivy.Query) -> dict[str, list[tuple[str, int]]]:
    # A document without a subject or genre is counted as UNCLASSIFIED, so that every facet
    # adds up to the number of results.
    aggs = {}
    for name in FACETS:
        aggs[name] = {"terms": {"field": name, "size": 200}}
        if name in OPTIONAL:
            aggs[name]["terms"]["missing"] = UNCLASSIFIED
    raw = searcher.aggregate(q, aggs)
    return {
        name: [(str(b["key"]), b["doc_count"]) for b in raw.get(name, {}).get("buckets", [])]
        for name in FACETS
    }


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _facet_executor() -> ThreadPoolExecutor:
    """The threads that count facets; created on first use, so after a server forks."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=min(8, os.cpu_count() or 2), thread_name_prefix="facets"
            )
        return _executor


@dataclass
class IndexPage:
    """The index's answer to a search, before the database is read."""

    count: int
    hits: list[tuple[object, int]]  # (score, or the sort key, document id), in order
    facets: dict[str, list[tuple[str, int]]]  # facet name: [(value, count)]

    @property
    def ids(self) -> list[int]:
        return [doc_id for _, doc_id in self.hits]


def search_index(
    tq: tantivy.Query, *, sort: str = "relevance", limit: int = 20, offset: int = 0
) -> IndexPage:
    """One page of hits of ``tq`` with the total count and the facet counts, from the index
    alone (the engine half of search_documents; bench/ times it). The answer to a query with
    many hits is kept until the index next commits (resultcache.py)."""
    # Read before the reload: a cached answer is never older than its key (resultcache.py).
    stamp = engine.commit_stamp()
    cache_key = None if stamp is None else (str(engine.index_dir()), stamp, repr(tq))
    page = (sort, limit, offset)
    cached = resultcache.get(cache_key)
    if cached is not None and page in cached.pages:
        return IndexPage(count=cached.count, hits=list(cached.pages[page]), facets=cached.facets)
    # One thread of this process computes a page of a commit at a time; the others asking for
    # it meanwhile (a burst of a popular query after a commit) wait for its answer, which is
    # the answer they would compute: it was computed after reading the same stamp.
    flight, leader = resultcache.begin(cache_key, page)
    if not leader:
        answer = flight.wait()
        if answer is not None:
            return IndexPage(count=answer[0], hits=list(answer[1]), facets=answer[2])
        flight, cached = None, resultcache.get(cache_key)  # it failed or took too long: compute
    answer = None
    try:
        idx = engine.open_index()
        idx.reload()
        searcher = idx.searcher()
        # tantivy releases the GIL while it searches: the facets are counted on another core
        # while this one ranks, so a query that matches much of the index costs about one pass
        # over its hits, not two (bench/README.md). Another page of a cached query reuses them.
        facets = None if cached is not None else _facet_executor().submit(_facets, searcher, tq)
        if sort == "date" and offset >= DEEP_OFFSET:
            count, hits = _deep_date_page(searcher, tq, limit, offset)
        elif sort == "date":
            found = searcher.search(tq, limit, count=True, order_by_field="published", offset=offset)
            count = found.count or 0
            hits = [(key, searcher.doc(addr)["id"][0]) for key, addr in found.hits]
        else:
            count, hits = _relevance_page(searcher, tq, limit, offset)
        counted = cached.facets if cached is not None else facets.result()
        resultcache.put(cache_key, count=count, facets=counted, page=page, hits=hits, query=tq)
        answer = (count, hits, counted)
    finally:
        resultcache.end(cache_key, page, flight, answer)
    return IndexPage(count=count, hits=list(hits), facets=counted)


# From this offset on, a page by date is found by its day rather than by ranking every hit
# before it: the engine's top-k by a field keeps offset+limit hits in a heap, 119 ms at offset
# 500,000 and 150-175 ms for the last page of 1M documents against 15-35 ms this way. The day
# counts cost a pass over the hits (13-15 ms at 1M), so below this offset the heap is cheaper
# (38 against 36 ms at 50,000; 1.5-7 against 15 ms for an agency's 20,000 documents).
DEEP_OFFSET = 50_000
MAX_DAYS = 65000  # distinct publication days counted at once (178 years); more falls back


def _deep_date_page(
    searcher, tq: tantivy.Query, limit: int, offset: int
) -> tuple[int, list[tuple[object, int]]]:
    """A page far down the date order: count the hits per publication day (one pass over the
    fast field, no ranking), find the day the page starts on, then rank only the hits of that
    day and older, skipping the few of that day that belong to earlier pages. The page is the
    one the plain top-k gives: restricting the query keeps the engine's order among the hits
    left (equal dates stay in index order)."""
    raw = searcher.aggregate(tq, {"days": {"terms": {"field": "published", "size": MAX_DAYS}}})
    days = sorted(((int(float(b["key"])), b["doc_count"]) for b in raw["days"]["buckets"]), reverse=True)
    count = sum(n for _, n in days)
    if len(days) >= MAX_DAYS:  # a day may be missing from the counts: rank the plain way
        found = searcher.search(tq, limit, count=True, order_by_field="published", offset=offset)
        return found.count or 0, [(key, searcher.doc(addr)["id"][0]) for key, addr in found.hits]
    newer, first_day = 0, None  # hits on days after the page's first day; that day
    for day, n in days:
        if newer + n > offset:
            first_day = day
            break
        newer += n
    if first_day is None:
        return count, []  # past the last page
    upto = tantivy.Query.range_query(engine.SCHEMA, "published", tantivy.FieldType.Integer, None, first_day)
    narrowed = tantivy.Query.boolean_query(
        [(tantivy.Occur.Must, tq), (tantivy.Occur.Must, tantivy.Query.const_score_query(upto, 0.0))]
    )
    found = searcher.search(narrowed, limit, count=False, order_by_field="published", offset=offset - newer)
    return count, [(key, searcher.doc(addr)["id"][0]) for key, addr in found.hits]


TIES_MAX = 2000  # hits read past the page to find the end of a tie (a longer tie ends unordered)


def _relevance_page(
    searcher, tq: tantivy.Query, limit: int, offset: int
) -> tuple[int, list[tuple[object, int]]]:
    """One page by score, equal scores newest first (then the higher id): near-identical titles
    (72 government work reports) score the same and would otherwise come in index order.

    The order of the scores is the engine's; only hits of a score that occurs more than once
    on the page, or that continues before or after it, are reordered. They are read together
    with the page (the top offset+limit hits, and more while the last one still ties)."""
    want = offset + limit
    n = want + limit
    while True:
        found = searcher.search(tq, n, count=True)
        scored = found.hits
        if len(scored) < n or scored[want - 1][0] != scored[-1][0] or n - want >= TIES_MAX:
            break
        n = want + min(TIES_MAX, 4 * (n - want))
    count = found.count or 0
    page = scored[offset:want]
    if not page:
        return count, []
    top, bottom = page[0][0], page[-1][0]
    start = next(i for i, (s, _) in enumerate(scored) if s == top)
    end = max(i for i, (s, _) in enumerate(scored) if s == bottom) + 1
    group = scored[start:end]
    ids = [searcher.doc(addr)["id"][0] for _, addr in group]
    if len({s for s, _ in group}) < len(group):  # a tie touches the page
        published = _published(searcher, ids, [addr for _, addr in group])
        order = sorted(range(len(group)), key=lambda i: (-group[i][0], -published[i], -ids[i]))
        group, ids = [group[i] for i in order], [ids[i] for i in order]
    first = offset - start
    ordered = [(s, doc_id) for (s, _), doc_id in zip(group, ids, strict=True)]
    return count, ordered[first : first + limit]


def _published(searcher, ids: list[int], addresses: list) -> list[int]:
    """The publication date (yyyymmdd, from the index's fast field) of each of these hits."""
    q = tantivy.Query.term_set_query(engine.SCHEMA, "id", ids)
    found = searcher.search(q, len(ids), count=False, order_by_field="published")
    by_address = {(a.segment_ord, a.doc): key for key, a in found.hits}
    return [by_address.get((a.segment_ord, a.doc), 0) for a in addresses]


def _label_facets(raw: dict[str, list[tuple[str, int]]]) -> dict[str, list[FacetValue]]:
    names = dict(Agency.objects.filter(code__in=[v for v, _ in raw["agency"]]).values_list("code", "name"))
    validity = dict(Validity.choices)
    out = {}
    for name, buckets in raw.items():
        if name == "year":
            buckets = sorted(((str(int(float(v))), c) for v, c in buckets), reverse=True)
        if name == "year":
            out[name] = [FacetValue(v, f"{v}年", c) for v, c in buckets]
        elif name == "agency":
            out[name] = [FacetValue(v, names.get(v, v), c) for v, c in buckets]
        elif name == "validity":
            out[name] = [FacetValue(v, str(validity.get(v, v)), c) for v, c in buckets]
        else:
            out[name] = [FacetValue(v, gettext("未分类") if v == UNCLASSIFIED else v, c) for v, c in buckets]
    return out


def highlight(text: str, patterns, *, whole: bool = False, width: int = SNIPPET_CHARS) -> SafeString:
    """Escaped text (or a snippet around the first match) with matches wrapped in <mark>."""
    # Terms are found in the simplified view of the text and marked on the original, so a
    # traditional text shows its own characters highlighted.
    view = match_view(text)
    start = 0
    if not whole:
        first = min((m.start() for p in patterns if (m := p.search(view))), default=0)
        start = max(0, first - width // 3)
        end = start + width
        text = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
        view = ("…" if start else "") + view[start:end] + ("…" if end < len(view) else "")
    spans = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(view))
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:]))
    return mark_safe("".join(out).replace("\n", " "))


def search_documents(query: SearchQuery) -> SearchResults:
    """Ranked (or date-sorted) page of public documents with facet counts and highlights.
    Never raises on user input: odd queries give an empty result and a message."""
    query.page = max(1, int(query.page or 1))
    query.page_size = min(MAX_PAGE_SIZE, max(1, int(query.page_size or 20)))
    results = SearchResults(query=query)
    if len(query.q) > MAX_QUERY_CHARS:
        results.messages.append(f"检索词过长，仅使用前{MAX_QUERY_CHARS}个字符。")
    tq, ignored = build_query(query)
    if ignored:
        results.messages.append("检索词至少两个字符，已忽略：" + "、".join(ignored))
    # Without a text term every document scores the same, and ties come newest first: that is
    # the date order, which the engine gives without reading the tie.
    sort = query.sort if query_terms(query.q[:MAX_QUERY_CHARS])[0] else "date"
    page = search_index(tq, sort=sort, limit=query.page_size, offset=(query.page - 1) * query.page_size)
    results.count = page.count
    docs = Document.objects.public().select_related("agency", "subject__parent", "genre").in_bulk(page.ids)
    patterns = term_patterns(query.q[:MAX_QUERY_CHARS])
    for score, doc_id in page.hits:
        doc = docs.get(doc_id)
        if doc is None:  # withdrawn since the last index sync
            continue
        text = doc.summary or doc.body
        if patterns and not any(p.search(match_view(text)) for p in patterns):
            text = doc.body
        results.hits.append(
            Hit(
                document=doc,
                title_html=highlight(doc.title, patterns, whole=True),
                highlight=highlight(text, patterns),
                score=float(score) if isinstance(score, int | float) else 0.0,
            )
        )
    results.facets = _label_facets(page.facets)
    return results
