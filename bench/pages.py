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
* the directory right after an agency change: a real rename saved in a transaction (its time,
  the save and the tree written for every language after the commit, reported apart), then the
  request; and the request that writes the tree itself (a process without the warmed tree);
* the most common four-character phrase (社会主义), the engine path as the search bench times it:
  the first query after an index change (one document re-indexed through the change log, this
  process's follower thread running as in `gongkai serve`, the query at a delay drawn uniformly
  from 0 to 2 s after the commit), with the follower's warm-up and without it (as before), the
  fully cold cost (the result cache emptied before each query), the cache kept, and its search
  page.

Prints median and p95 ms per page, the target, p95/target and the load average; writes JSON to
bench/out/docs<N>-seed<S>/pages-<time>.json.
"""

import argparse
import json
import os
import random
import threading
import time
from datetime import datetime
from pathlib import Path

from . import synth
from .measure import median, percentile
from .runner import DEFAULT_OUT, SHANGHAI, _setup_django, log

PAGE_TARGET_MS = 100.0
PHRASE_TARGET_MS = 50.0
PHRASE = "社会主义"
DELAY_S = 2.0  # the first query after an index change comes 0 to this many seconds after it


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
        # The directory keeps its tree until an agency changes (portal/directory.py). A change
        # as it happens: a rename saved in a transaction, whose commit writes the tree for
        # every language in this process; then the request. Timed apart: the change (save,
        # commit, tree written) and the request after it.
        report["pages"]["directory (every agency)"].update(_directory_after_a_change(client, args.runs))
        for label, key in (("change", "the_change"), ("request after", "after_a_change")):
            log(
                f"directory, {label} an agency change: p95 {report['pages']['directory (every agency)'][key]['p95_ms']:.1f} ms"
            )
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
        for _ in range(args.runs):  # fully cold: the result cache emptied before each query
            resultcache.clear()
            cold.append(_ms(lambda: search_index(tq)))
        warm = [_ms(lambda: search_index(tq)) for _ in range(args.runs * 5)]
        hits = search_index(tq).count
        after_change = _phrase_after_an_index_change(tq, args.runs * 2, warm_up=True)
        no_warm_up = _phrase_after_an_index_change(tq, args.runs, warm_up=False)
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
            "engine_after_an_index_change": after_change,
            "engine_after_an_index_change_no_warm_up": no_warm_up,
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


def _directory_after_a_change(client, runs: int) -> dict:
    """A rename of one agency in a transaction, timed with its commit (the tree is written
    then, for every language), and the request after it; then the request that writes the tree
    itself (what a process without the warmed tree pays: another worker with the per-process
    cache), by bumping the generation alone."""
    from django.db import transaction

    from gongkai.agencies.models import Agency, AgencyLevel
    from gongkai.portal import directory

    city = Agency.objects.filter(level=AgencyLevel.CITY).order_by("id").first()
    name = city.name
    change_ms, request_ms, cold_ms = [], [], []
    for i in range(runs):

        def rename(i=i):
            with transaction.atomic():
                agency = Agency.objects.get(pk=city.pk)
                agency.name = name if i % 2 else f"{name}（{i}）"
                agency.save()

        change_ms.append(_ms(rename))
        request_ms.append(_ms(lambda: client.get("/agencies/")))
    Agency.objects.filter(pk=city.pk).update(name=name)
    for _ in range(runs):
        directory._bump()  # the generation changes, the tree is not written: the request writes it
        cold_ms.append(_ms(lambda: client.get("/agencies/")))
    return {
        "the_change": _summary(change_ms, None),
        "after_a_change": _summary(request_ms, PAGE_TARGET_MS),
        "request_writing_the_tree": _summary(cold_ms, PAGE_TARGET_MS),
    }


def _phrase_after_an_index_change(tq, runs: int, *, warm_up: bool) -> dict:
    """The first query of ``tq`` after an index change, as a serving process sees it: one
    document re-indexed through the change log (logged, then applied by this process after the
    commit, as the process that made a change does), this process's follower thread running
    (it warms the hot queries when it sees the commit, follower.py), and the query at a delay
    drawn uniformly from 0 to DELAY_S seconds after the commit: a popular query is asked about
    that often, and the earlier it comes, the more likely it is to find the warm-up unfinished
    (it then waits for it). ``warm_up=False`` times the same without the warm-up (as before)."""
    from django.db.models import Max

    from gongkai.catalogue.models import Document
    from gongkai.search import changelog, engine, follower, indexer, resultcache
    from gongkai.search.models import IndexCursor, PendingChange
    from gongkai.search.services import search_index

    # The bench's index was built outside the change log: give it a cursor at the log's end.
    latest = PendingChange.objects.aggregate(m=Max("id"))["m"] or 0
    IndexCursor.objects.update_or_create(
        index_id=indexer.local_index_id(),
        defaults={"applied_id": latest, "ready": True, "heartbeat": datetime.now(SHANGHAI)},
    )
    doc_id = Document.objects.public().order_by("id").values_list("id", flat=True).first()
    rng = random.Random(13)
    queries = follower.WARM_QUERIES
    follower.WARM_QUERIES = queries if warm_up else 0
    stop = threading.Event()
    thread = threading.Thread(target=follower.run, kwargs={"stop": stop}, name="search-follower", daemon=True)
    thread.start()
    ms, change_ms, warm_before = [], [], 0
    try:
        search_index(tq)  # asked by a person: a hot query
        for _ in range(runs):
            time.sleep(1.5)  # the follower has seen the last commit
            change_ms.append(_ms(lambda: changelog.mark_stale([doc_id])))  # committed and applied
            time.sleep(rng.uniform(0, DELAY_S))
            key = (str(engine.index_dir()), engine.commit_stamp(), repr(tq))
            warm_before += key in resultcache._entries
            ms.append(_ms(lambda: search_index(tq)))
    finally:
        stop.set()
        thread.join(timeout=30)
        follower.WARM_QUERIES = queries
    return {
        **_summary(ms, PHRASE_TARGET_MS),
        "max_ms": max(ms),
        "delay_s": [0, DELAY_S],
        "already_warm": warm_before,
        "index_change": _summary(change_ms, None),
    }


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
            print(_row("  (the change: a rename saved, committed, the tree written)", r["the_change"]))
            print(_row("  (the request after the change)", r["after_a_change"]))
            print(_row("  (the request writing the tree itself: no warm-up)", r["request_writing_the_tree"]))
        if "before" in r:
            b = r["before"]
            print(_row(f"  (before: every hit before the page ranked) ×{b['p95_ms'] / r['p95_ms']:.1f}", b))
    ph = report["phrase"]
    print(
        _row(
            f"phrase {PHRASE} ({ph['hits']:,} hits), engine, result cache emptied (fully cold)",
            ph["engine_cold"],
        )
    )
    after, before = ph["engine_after_an_index_change"], ph["engine_after_an_index_change_no_warm_up"]
    print(
        _row(
            f"phrase {PHRASE}, engine, first query 0-{after['delay_s'][1]:.0f} s after an index change "
            f"(warm already: {after['already_warm']}/{after['n']}, slowest {after['max_ms']:.1f} ms)",
            after,
        )
    )
    print(_row(f"phrase {PHRASE}, engine, the same without the warm-up (as before)", before))
    print(_row("  (the index change: one document logged, committed, applied)", after["index_change"]))
    print(_row(f"phrase {PHRASE}, engine, result cache kept", ph["engine_cached"]))
    print(_row(f"phrase {PHRASE}, search page without the cache", ph["search_page_uncached"]))
    print(_row(f"phrase {PHRASE}, search page with the cache", ph["search_page_cached"]))
    for q, r in ph["other_shapes_engine"].items():
        print(_row(f"other shape {q}, engine", r))
