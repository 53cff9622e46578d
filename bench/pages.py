"""`python -m bench pages`: the public pages at the size of a province (issue 13, §4).

Reuses the search bench's catalogue (`python -m bench --docs N`: the synthetic documents, their
index and the SQLite database, built first when missing) and adds a tree of agencies (default
5,000, four levels: province, cities, counties, townships, with departments at each), then
renders through Django's test client, with the page cache off so every request renders:

* the agency directory (every active agency);
* an agency's catalogue and the whole catalogue (the search page without a query) at page 1,
  the middle page and the last page, by the day counts (search/services.py, DEEP_OFFSET) and,
  for the ratio, by ranking every hit before the page as before;
* the feeds (site-wide and one agency's) and the sitemap (the index and a file of 50,000 URLs);
* the most common four-character phrase (社会主义), the engine path as the search bench times it,
  with the result cache empty before each query (cold) and kept (warm), and its search page.

Prints median and p95 ms per page, the target, p95/target and the load average; writes JSON to
bench/out/docs<N>-seed<S>/pages-<time>.json.
"""

import argparse
import json
import os
import time
from datetime import datetime
from pathlib import Path

from . import synth
from .measure import median, percentile
from .runner import DEFAULT_OUT, SHANGHAI, _setup_django, log

PAGE_TARGET_MS = 100.0
PHRASE_TARGET_MS = 50.0
PHRASE = "社会主义"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench pages", description=__doc__)
    p.add_argument("--docs", type=int, default=1_000_000, help="documents (default 1,000,000)")
    p.add_argument("--agencies", type=int, default=5000, help="agencies in all (default 5,000)")
    p.add_argument("--runs", type=int, default=20, help="timed requests per page (default 20)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=os.path.abspath, default=str(DEFAULT_OUT), help="default bench/out/")
    return p.parse_args(argv)


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _summary(ms: list[float], target: float | None) -> dict:
    p95 = percentile(ms, 95)
    return {
        "median_ms": median(ms),
        "p95_ms": p95,
        "target_ms": target,
        "ratio": p95 / target if target else None,
        "n": len(ms),
    }


def add_agencies(total: int) -> int:
    """A four-level tree up to ``total`` agencies (the search bench's 50 included): a province
    with departments, cities with departments and counties, counties with departments and
    townships. Saved one by one (Agency.save keeps the materialised path)."""
    from django.db import transaction

    from gongkai.agencies.models import Agency, AgencyLevel
    from gongkai.core.checksums import org_code_check_char

    have = Agency.objects.count()
    if have >= total:
        return have
    seq = iter(range(1, 10**7))

    def make(name, level, parent):
        nonlocal have
        body = f"7{next(seq):07d}"
        have += 1
        return Agency.objects.create(
            code=body + org_code_check_char(body), name=name, level=level, parent=parent
        )

    dept = AgencyLevel.DEPARTMENT
    with transaction.atomic():
        province = make("江南省人民政府", AgencyLevel.PROVINCE, None)
        for d in range(40):
            make(f"江南省第{d + 1}厅", dept, province)
        c = 0
        while have < total:
            c += 1
            city = make(f"第{c}市人民政府", AgencyLevel.CITY, province)
            for d in range(30):
                make(f"第{c}市第{d + 1}局", dept, city)
            for k in range(8):
                if have >= total:
                    break
                county = make(f"第{c}市第{k + 1}县人民政府", AgencyLevel.COUNTY, city)
                for d in range(25):
                    make(f"第{c}市第{k + 1}县第{d + 1}局", dept, county)
                for t in range(4):
                    make(f"第{c}市第{k + 1}县第{t + 1}镇人民政府", AgencyLevel.TOWNSHIP, county)
    return have


def main(argv=None) -> dict:
    args = parse_args(argv)
    run_dir = Path(args.out) / f"docs{args.docs}-seed{args.seed}"
    meta_path = run_dir / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    if meta.get("db_docs") != args.docs or "build" not in meta:
        log("no catalogue of this size yet: running the search bench first")
        from .runner import main as search_main

        search_main(["--docs", str(args.docs), "--seed", str(args.seed), "--queries", "5", "--out", args.out])
    _setup_django(run_dir)

    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from gongkai.agencies.models import Agency
    from gongkai.catalogue.models import Document
    from gongkai.search import engine, resultcache, services
    from gongkai.search.services import SearchQuery, build_query, search_index

    call_command("migrate", verbosity=0)
    log(f"agencies: {add_agencies(args.agencies):,}")
    report = {
        "date": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "args": vars(args),
        "load_before": list(os.getloadavg()),
        "rows": {"documents": Document.objects.count(), "agencies": Agency.objects.count()},
        "pages": {},
    }
    client = Client()
    agency = synth.agencies()[0].code
    per_agency = Document.objects.public().filter(agency__code=agency).count()
    total = Document.objects.public().count()
    last_agency, last_all = -(-per_agency // 20), -(-total // 20)
    from gongkai.portal import sitemaps

    doc_files = sitemaps.SECTIONS["documents"].files()

    def page(url: str):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    deep = {"agency": last_agency, "all": last_all}
    targets = [  # (name, url, a deep page: also timed as before)
        ("directory (every agency)", "/agencies/", False),
        ("agency catalogue, page 1", f"/agencies/{agency}/", False),
        (
            f"agency catalogue, page {deep['agency'] // 2}",
            f"/agencies/{agency}/?page={deep['agency'] // 2}",
            True,
        ),
        (f"agency catalogue, last page {deep['agency']}", f"/agencies/{agency}/?page={deep['agency']}", True),
        ("whole catalogue, page 1", "/search/", False),
        (f"whole catalogue, page {deep['all'] // 2}", f"/search/?page={deep['all'] // 2}", True),
        (f"whole catalogue, last page {deep['all']}", f"/search/?page={deep['all']}", True),
        ("feed, site RSS", "/feed/rss/", False),
        ("feed, agency Atom", f"/agencies/{agency}/feed/atom/", False),
        ("sitemap index", "/sitemap.xml", False),
        ("sitemap, first documents file", "/sitemap-documents.xml", False),
        (f"sitemap, documents file {doc_files}", f"/sitemap-documents.xml?p={doc_files}", False),
    ]
    with override_settings(GONGKAI_SEARCH_DIR=run_dir / "search", GONGKAI_PAGE_CACHE_SECONDS=0):
        engine.reset_cache()
        for name, url, _deep in targets:
            get = page(url)
            get()
            size = len(get().content)
            ms = [_ms(get) for _ in range(args.runs)]
            report["pages"][name] = {**_summary(ms, PAGE_TARGET_MS), "url": url, "bytes": size}
            log(f"{name}: p95 {report['pages'][name]['p95_ms']:.1f} ms")
        # The directory keeps its tree until an agency changes (portal/directory.py): the
        # request right after a change writes it anew, timed here by bumping before each one.
        from gongkai.portal.directory import bump_directory_generation

        def directory_after_a_change():
            bump_directory_generation()
            return client.get("/agencies/")

        ms = [_ms(directory_after_a_change) for _ in range(args.runs)]
        report["pages"]["directory (every agency)"]["after_a_change"] = _summary(ms, PAGE_TARGET_MS)
        after = report["pages"]["directory (every agency)"]["after_a_change"]
        log(f"directory after an agency change: p95 {after['p95_ms']:.1f} ms")
        log("deep pages as before (ranking every hit before the page)")
        deep_from = services.DEEP_OFFSET
        services.DEEP_OFFSET = 10**12
        try:
            for name, url, is_deep in targets:
                if is_deep:
                    get = page(url)
                    get()
                    ms = [_ms(get) for _ in range(max(5, args.runs // 2))]
                    report["pages"][name]["before"] = _summary(ms, PAGE_TARGET_MS)
        finally:
            services.DEEP_OFFSET = deep_from

        log(f"the phrase {PHRASE}")
        tq, _ = build_query(SearchQuery(q=PHRASE))
        search_index(tq)
        cold = []
        for _ in range(args.runs):
            resultcache.clear()
            cold.append(_ms(lambda: search_index(tq)))
        warm = [_ms(lambda: search_index(tq)) for _ in range(args.runs * 5)]
        hits = search_index(tq).count
        uncached_page = []
        for _ in range(max(5, args.runs // 2)):  # the page as it was: the cache empty each time
            resultcache.clear()
            uncached_page.append(_ms(page(f"/search/?q={PHRASE}")))
        page(f"/search/?q={PHRASE}")()
        cached_page = [_ms(page(f"/search/?q={PHRASE}")) for _ in range(args.runs)]
        others = {}
        for q in ("营商环境", "发展"):
            tq2, _ = build_query(SearchQuery(q=q))
            search_index(tq2)
            others[q] = _summary(
                [_ms(lambda tq2=tq2: search_index(tq2)) for _ in range(args.runs)], PHRASE_TARGET_MS
            )
        report["phrase"] = {
            "hits": hits,
            "min_hits_cached": resultcache.MIN_HITS,
            "engine_cold": _summary(cold, PHRASE_TARGET_MS),
            "engine_cached": _summary(warm, PHRASE_TARGET_MS),
            "search_page_uncached": _summary(uncached_page, None),
            "search_page_cached": _summary(cached_page, None),
            "other_shapes_engine": others,
        }
    report["load_after"] = list(os.getloadavg())
    _print(report)
    out = run_dir / f"pages-{datetime.now(SHANGHAI):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    log(f"results written to {out}")
    return report


def _row(name: str, r: dict) -> str:
    ratio = f"{r['ratio']:.2f}" + (" MISS" if r["ratio"] > 1 else "") if r.get("ratio") is not None else "-"
    target = f"{r['target_ms']:.0f}" if r.get("target_ms") else "-"
    return f"| {name} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {target} | {ratio} |"


def _print(report: dict) -> None:
    rows = report["rows"]
    print(f"\n{rows['documents']:,} documents, {rows['agencies']:,} agencies; page cache off")
    print(f"load average before {report['load_before']}, after {report['load_after']}\n")
    print("| page | median ms | p95 ms | target ms | p95/target |")
    print("|---|---:|---:|---:|---:|")
    for name, r in report["pages"].items():
        print(_row(name, r))
        if "after_a_change" in r:
            print(_row("  (the request after an agency change: the tree written anew)", r["after_a_change"]))
        if "before" in r:
            b = r["before"]
            print(_row(f"  (before: every hit before the page ranked) ×{b['p95_ms'] / r['p95_ms']:.1f}", b))
    ph = report["phrase"]
    print(_row(f"phrase {PHRASE} ({ph['hits']:,} hits), engine, result cache empty", ph["engine_cold"]))
    print(_row(f"phrase {PHRASE}, engine, result cache kept", ph["engine_cached"]))
    print(_row(f"phrase {PHRASE}, search page without the cache", ph["search_page_uncached"]))
    print(_row(f"phrase {PHRASE}, search page with the cache", ph["search_page_cached"]))
    for q, r in ph["other_shapes_engine"].items():
        print(_row(f"other shape {q}, engine", r))
