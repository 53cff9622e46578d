"""Query shapes and their timing through the product's search code, without the database."""

import collections
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from gongkai.search.services import SearchQuery, build_query, search_index

from . import synth
from .measure import median, percentile

TARGET_MS = 50.0
# Real words found in exactly one or two sentences of the Government Work Reports; the first
# one present in the source is the rare word.
RARE_CANDIDATES = ("敦煌", "航母", "蛟龙", "天宫", "北斗")
# Policy phrases people look up, in 1-3% of the documents; the first one in the source is the
# typical four-character phrase (the most common one, in about 60%, is the worst case).
TYPICAL_PHRASES = ("营商环境", "乡村振兴", "垃圾分类", "知识产权")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
FILTERS = ("", "agency", "year", "agency+year")


@dataclass(frozen=True)
class Terms:
    rare: str
    common: str  # the most common two-character word (document frequency of body bigrams)
    phrase: str  # the most common four-character string
    typical_phrase: str  # a four-character phrase of ordinary frequency
    pair: str  # two very common words, ANDed


def choose_terms(sentences: list[str], sample: list[synth.SynthDocument]) -> Terms:
    """Query terms from the source sentences and a sample of generated bodies (titles follow
    a template, "…关于…的通知", so they are left out of the counts)."""
    df2, df4 = collections.Counter(), collections.Counter()
    for doc in sample:
        grams2, grams4 = set(), set()
        for run in _CJK_RUN.findall(doc.body):
            grams2.update(run[i : i + 2] for i in range(len(run) - 1))
            grams4.update(run[i : i + 4] for i in range(len(run) - 3))
        df2.update(grams2)
        df4.update(grams4)
    ranked = sorted(df2.items(), key=lambda kv: (-kv[1], kv[0]))
    common = ranked[0][0]
    # The next two most common words that share no character with each other.
    first = ranked[1][0]
    second = next(w for w, _ in ranked[2:] if not set(w) & set(first))
    ranked4 = sorted(df4.items(), key=lambda kv: (-kv[1], kv[0]))
    phrase = ranked4[0][0]
    typical = next((w for w in TYPICAL_PHRASES if any(w in s for s in sentences)), None)
    if typical is None:  # a source without them: the first four-character string in under 3%
        typical = next((w for w, n in ranked4 if n < 0.03 * len(sample)), phrase)
    rare = next((w for w in RARE_CANDIDATES if any(w in s for s in sentences)), None)
    if rare is None:  # a source without them: the rarest bigram of the sample
        rare = sorted(df2.items(), key=lambda kv: (kv[1], kv[0]))[0][0]
    return Terms(rare=rare, common=common, phrase=phrase, typical_phrase=typical, pair=f"{first} {second}")


@dataclass(frozen=True)
class Shape:
    name: str
    q: str
    filters: str = ""  # one of FILTERS
    sort: str = "relevance"
    target_ms: float | None = TARGET_MS  # None: measured for information, no target

    def query(self, i: int, agency_codes: list[str]) -> SearchQuery:
        """The i-th query of the shape: filter values rotate over agencies and years."""
        agency = agency_codes[i % len(agency_codes)] if "agency" in self.filters else None
        year = 2000 + (i * 7) % 26 if "year" in self.filters else None
        return SearchQuery(q=self.q, agency=agency, year=year, sort=self.sort)


def shapes(terms: Terms) -> list[Shape]:
    out = []
    for label, q in (
        ("rare word", terms.rare),
        ("common 2-char word", terms.common),
        ("4-char phrase", terms.typical_phrase),
        ("most common 4-char phrase", terms.phrase),
        ("two-term AND", terms.pair),
    ):
        for f in FILTERS:
            out.append(Shape(f"{label} [{q}]" + (f" +{f}" if f else ""), q, f))
    out.append(Shape(f"common word by date [{terms.common}]", terms.common, sort="date"))
    out.append(Shape(f"common word by date [{terms.common}] +agency", terms.common, "agency", sort="date"))
    out.append(Shape("browse, no query", "", target_ms=None))
    out.append(Shape("browse, no query +agency", "", "agency", target_ms=None))
    return out


@dataclass
class ShapeResult:
    shape: Shape
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # CPU of the whole process (all its threads)
    counts: list[int] = field(default_factory=list)
    ids: list[list[int]] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return median(self.ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.ms, 95)

    @property
    def median_cpu_ms(self) -> float:
        return median(self.cpu_ms)

    @property
    def ratio(self) -> float | None:
        return self.p95_ms / self.shape.target_ms if self.shape.target_ms else None

    @property
    def hits(self) -> int:
        return int(median(self.counts))


def engine_search(query: SearchQuery):
    """The timed path: search_documents up to the database read (build_query, then the index's
    page of 20 ids with the total count and the five facets)."""
    tq, _ = build_query(query)
    return search_index(tq, sort=query.sort, limit=query.page_size, offset=0)


def run_shapes(
    shape_list: list[Shape], agency_codes: list[str], *, n: int, warmup: int = 3
) -> list[ShapeResult]:
    """Time ``n`` queries of every shape after ``warmup`` untimed ones. Shapes are interleaved
    (round-robin) so that a burst of load on the machine spreads over all of them."""
    results = [ShapeResult(s) for s in shape_list]
    for i in range(-warmup, n):
        for r in results:
            query = r.shape.query(i, agency_codes)
            cpu_start, start = time.process_time(), time.perf_counter()
            page = engine_search(query)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            if i >= 0:
                r.ms.append(elapsed * 1000)
                r.cpu_ms.append(cpu * 1000)
                r.counts.append(page.count)
                r.ids.append(page.ids)
    return results


def breakdown(shape_list: list[Shape], agency_codes: list[str], search_dir: Path, *, n: int) -> list[dict]:
    """Median milliseconds of each step of search_index, for profiling: reload and searcher,
    top-20 with count, top-20 without count, stored ids, facet aggregation."""
    from gongkai.search import engine
    from gongkai.search.services import _facets

    idx = engine.open_index(search_dir)
    rows = []
    for shape in shape_list:
        steps = collections.defaultdict(list)
        for i in range(n):
            tq, _ = build_query(shape.query(i, agency_codes))
            order = {"order_by_field": "published"} if shape.sort == "date" else {}
            t0 = time.perf_counter()
            idx.reload()
            searcher = idx.searcher()
            t1 = time.perf_counter()
            found = searcher.search(tq, 20, count=True, **order)
            t2 = time.perf_counter()
            searcher.search(tq, 20, count=False, **order)
            t3 = time.perf_counter()
            [searcher.doc(addr)["id"][0] for _, addr in found.hits]
            t4 = time.perf_counter()
            _facets(searcher, tq)
            t5 = time.perf_counter()
            for key, a, b in (
                ("reload", t0, t1),
                ("search+count", t1, t2),
                ("search", t2, t3),
                ("ids", t3, t4),
                ("facets", t4, t5),
            ):
                steps[key].append((b - a) * 1000)
        rows.append({"shape": shape.name, **{k: median(v) for k, v in steps.items()}})
    return rows
