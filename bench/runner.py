"""`python -m bench`: build (or reuse) a synthetic index, time the search shapes, print a table."""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import synth
from .measure import dir_size_mib, median, peak_rss_mib, percentile, reset_peak_rss, rss_mib

BUILD_TARGET_DOCS_S = 2000.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_OUT = Path(__file__).with_name("out")


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--docs", type=int, default=1_000_000, help="documents in the index (default 1,000,000)")
    p.add_argument("--queries", type=int, default=100, help="timed queries per shape (default 100)")
    p.add_argument("--warmup", type=int, default=3, help="untimed queries per shape first (default 3)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--body-bytes", type=int, default=2048, help="UTF-8 bytes of body per document (default 2048)"
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="working directory (default bench/out/)")
    p.add_argument(
        "--source", type=Path, default=None, help="sentence source (default: the Government Work Reports)"
    )
    p.add_argument("--heap-mb", type=int, default=2000, help="index writer heap, MB (default 2000)")
    p.add_argument("--threads", type=int, default=2, help="index writer threads (default 2)")
    p.add_argument(
        "--rebuild", action="store_true", help="rebuild the index even if one of the same size exists"
    )
    p.add_argument(
        "--no-db", action="store_true", help="skip the database half (loading rows, fetch timings)"
    )
    p.add_argument(
        "--db-queries", type=int, default=20, help="timed full searches per shape with the database"
    )
    p.add_argument("--breakdown", action="store_true", help="also time each step of the engine path")
    p.add_argument(
        "--no-t2s",
        action="store_true",
        help="baseline: tokenise without OpenCC's traditional-to-simplified conversion (to measure its cost)",
    )
    return p.parse_args(argv)


def _fingerprint(args, sentences: list[str]) -> dict:
    digest = hashlib.sha256("\n".join(sentences).encode()).hexdigest()[:16]
    return {
        "generator": synth.GENERATOR_VERSION,
        "docs": args.docs,
        "seed": args.seed,
        "body_bytes": args.body_bytes,
        "source": digest,
    }


def _index_key(sentences: list[str]) -> dict:
    """What an index depends on besides the text: the schema and the tokens the product makes
    (a change to either rebuilds the index)."""
    from gongkai.search import engine
    from gongkai.search.tokenize import index_text

    tokens = index_text(*sentences[:300]).encode()
    return {"schema": engine.SCHEMA_VERSION, "tokens": hashlib.sha256(tokens).hexdigest()[:16]}


def _setup_django(run_dir: Path) -> None:
    """Configure Django for the run, with its own SQLite database and search directory, unless
    the caller already set it up (tests: then the caller's database is used)."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    os.environ["GONGKAI_DATA_DIR"] = str(run_dir / "data")
    os.environ["GONGKAI_SEARCH_DIR"] = str(run_dir / "search")
    os.environ.pop("DATABASE_URL", None)
    django.setup()


def log(msg: str) -> None:
    print(f"[{datetime.now(SHANGHAI):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def main(argv=None) -> dict:
    args = parse_args(argv)
    source = args.source or synth.default_source()
    run_dir = args.out.resolve() / f"docs{args.docs}-seed{args.seed}"
    run_dir.mkdir(parents=True, exist_ok=True)
    _setup_django(run_dir)

    from django.test.utils import override_settings

    from gongkai.search import engine

    if args.no_t2s:
        os.environ["GONGKAI_BENCH_NO_T2S"] = "1"  # read by bench.build, here and in the build process
    from . import build, queries

    meta_path = run_dir / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
    sentences = synth.load_sentences(source)
    fingerprint = _fingerprint(args, sentences)
    if meta.get("fingerprint") != fingerprint:
        meta = {"fingerprint": fingerprint}
    corpus = run_dir / "corpus.jsonl"
    search_dir = run_dir / "search"
    report: dict = {"date": datetime.now(SHANGHAI).isoformat(timespec="seconds"), "args": _jsonable(args)}
    report["machine"] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }

    if "generate_s" not in meta or not corpus.exists():
        log(f"generating {args.docs:,} documents from {source}")
        start = time.perf_counter()
        synth.write_corpus(
            synth.Generator(sentences, seed=args.seed, body_bytes=args.body_bytes), args.docs, corpus
        )
        meta.update(generate_s=time.perf_counter() - start, corpus_mb=corpus.stat().st_size / 1e6)
        meta.pop("build", None)
        meta.pop("db_docs", None)
        _save(meta_path, meta)

    log("tokenising alone")
    tok = build.measure_tokenise(corpus, min(args.docs, 10_000))
    report["tokenise"] = {**vars(tok), "mb_per_s": tok.mb_per_s, "cpu_mb_per_s": tok.cpu_mb_per_s}

    index_key = _index_key(sentences)
    built = meta.get("build", {})
    if args.rebuild or built.get("index_key") != index_key or not engine.index_dir(search_dir).exists():
        import shutil

        shutil.rmtree(search_dir, ignore_errors=True)
        engine.reset_cache()
        log(f"building the index: heap {args.heap_mb} MB, {args.threads} writer thread(s)")
        load_before = list(os.getloadavg())
        stats = build.build_index_in_child(
            corpus, search_dir, heap_mb=args.heap_mb, threads=args.threads, total=args.docs
        )
        meta["build"] = {
            **vars(stats),
            "docs_per_s": stats.docs_per_s,
            "date": report["date"],
            "index_key": index_key,
            "load_before": load_before,
            "load_after": list(os.getloadavg()),
        }
        _save(meta_path, meta)
    else:
        log(f"reusing the index built {meta['build']['date']}")
    report["build"] = meta["build"]

    with override_settings(GONGKAI_SEARCH_DIR=search_dir):
        engine.reset_cache()
        sample = [d for d, _ in zip(synth.read_corpus(corpus), range(5000), strict=False)]
        terms = queries.choose_terms(sentences, sample)
        shape_list = queries.shapes(terms)
        codes = [a.code for a in synth.agencies()]
        searcher = engine.open_index().searcher()
        report["index"] = {
            "docs": searcher.num_docs,
            "segments": searcher.num_segments,
            "mib": dir_size_mib(engine.index_dir(search_dir)),
        }
        log(f"timing {len(shape_list)} shapes x {args.queries} queries")
        reset_peak_rss()
        load_before = list(os.getloadavg())
        results = queries.run_shapes(shape_list, codes, n=args.queries, warmup=args.warmup)
        report["query_memory"] = {"peak_rss_mib": peak_rss_mib(), **rss_mib()}
        report["query_load"] = {"before": load_before, "after": list(os.getloadavg())}
        report["shapes"] = [_shape_row(r) for r in results]
        if args.breakdown:
            log("timing each step")
            report["breakdown"] = queries.breakdown(shape_list, codes, search_dir, n=min(args.queries, 20))
        if not args.no_db:
            report["db"] = _database(args, meta, meta_path, corpus, results, codes)
    print_report(report)
    out = run_dir / f"results-{datetime.now(SHANGHAI):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1))
    log(f"results written to {out}")
    return report


def _database(args, meta, meta_path, corpus, results, codes) -> dict:
    """Load the rows once (kept with the index), then time the page fetch of 20 ids as
    search_documents does it, and whole search_documents calls."""
    from django.core.management import call_command

    from gongkai.catalogue.models import Document
    from gongkai.search.services import search_documents

    from . import dbload

    call_command("migrate", verbosity=0)
    if meta.get("db_docs") != args.docs or Document.objects.count() != args.docs:
        Document.objects.all().delete()
        log(f"loading {args.docs:,} rows into the database")
        start = time.perf_counter()
        dbload.load_documents(corpus, progress=lambda n: _progress(n, args.docs, every=100_000))
        meta.update(db_docs=args.docs, db_load_s=time.perf_counter() - start)
        _save(meta_path, meta)
    out = {"load_s": meta.get("db_load_s"), "rows": args.docs, "vendor": _db_vendor()}
    fetch_ms, full = [], []
    for r in results:
        for ids in r.ids[: args.db_queries]:
            start = time.perf_counter()
            Document.objects.public().select_related("agency", "subject__parent", "genre").in_bulk(ids)
            fetch_ms.append((time.perf_counter() - start) * 1000)
        ms = []
        for i in range(min(args.queries, args.db_queries)):
            start = time.perf_counter()
            search_documents(r.shape.query(i, codes))
            ms.append((time.perf_counter() - start) * 1000)
        full.append({"shape": r.shape.name, "median_ms": median(ms), "p95_ms": percentile(ms, 95)})
    out["fetch_20_ms"] = {"median": median(fetch_ms), "p95": percentile(fetch_ms, 95), "n": len(fetch_ms)}
    out["search_documents"] = full
    return out


def _db_vendor() -> str:
    from django.db import connection

    return connection.vendor


def _shape_row(r) -> dict:
    return {
        "shape": r.shape.name,
        "q": r.shape.q,
        "filters": r.shape.filters,
        "sort": r.shape.sort,
        "median_ms": r.median_ms,
        "p95_ms": r.p95_ms,
        "cpu_ms": r.median_cpu_ms,
        "target_ms": r.shape.target_ms,
        "ratio": r.ratio,
        "hits": r.hits,
        "n": len(r.ms),
    }


def print_report(report: dict) -> None:
    idx, build, tok = report["index"], report["build"], report["tokenise"]
    print()
    print(
        f"Search benchmark, {report['date']}, {report['machine']['cpus']} CPUs, {report['machine']['platform']}"
    )
    print(f"index: {idx['docs']:,} documents, {idx['segments']} segment(s), {idx['mib']:,.0f} MiB on disk")
    print()
    head = (
        f"{'shape':<50} {'median ms':>10} {'p95 ms':>8} {'target':>7} {'p95/target':>10} {'hits':>9} "
        f"{'cpu ms':>7}"
    )
    print(head)
    print("-" * len(head))
    for row in report["shapes"]:
        target = f"{row['target_ms']:.0f}" if row["target_ms"] else "-"
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        flag = " MISS" if row["ratio"] and row["ratio"] > 1 else ""
        print(
            f"{row['shape']:<50} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f} {target:>7} {ratio:>10} "
            f"{row['hits']:>9,} {row['cpu_ms']:>7.1f}{flag}"
        )
    print()
    rate = build["docs_per_s"]
    print(
        f"build: {build['docs']:,} docs in {build['seconds']:.1f} s = {rate:,.0f} docs/s "
        f"(target >= {BUILD_TARGET_DOCS_S:,.0f}, target/achieved {BUILD_TARGET_DOCS_S / rate:.2f}"
        f"{' MISS' if rate < BUILD_TARGET_DOCS_S else ''}); "
        f"commit+merge {build['commit_seconds']:.1f} s; CPU {build.get('cpu_seconds', 0):.0f} s; "
        f"heap {build['heap_mb']} MB, {build['threads']} writer thread(s); "
        f"built {build['date']}"
    )
    print(
        f"tokenise alone (index_text): {tok['mb_per_s']:.1f} MB/s wall, {tok['cpu_mb_per_s']:.1f} MB/s of CPU "
        f"({tok['docs'] / tok['seconds']:,.0f} docs/s; median of {tok['passes']} passes over {tok['docs']:,} docs)"
    )
    qm = report["query_memory"]
    print(
        f"peak RSS: build {build['peak_rss_mib']:,.0f} MiB; queries {qm['peak_rss_mib']:,.0f} MiB "
        f"(now: anon {qm.get('RssAnon', 0):,.0f} MiB, mapped index files {qm.get('RssFile', 0):,.0f} MiB)"
    )
    print(f"index size: {idx['mib']:,.0f} MiB ({idx['mib'] * 2**20 / idx['docs']:,.0f} bytes/doc)")
    if "load_before" in build:
        ql = report["query_load"]
        print(
            f"load average (1/5/15 min): build {_load(build['load_before'])} -> {_load(build['load_after'])}; "
            f"queries {_load(ql['before'])} -> {_load(ql['after'])}"
        )
    if "breakdown" in report:
        print()
        keys = ("reload", "search+count", "search", "ids", "facets")
        print(f"{'step medians, ms':<50} " + " ".join(f"{k:>12}" for k in keys))
        for row in report["breakdown"]:
            print(f"{row['shape']:<50} " + " ".join(f"{row[k]:>12.2f}" for k in keys))
    if "db" in report:
        db = report["db"]
        print()
        f = db["fetch_20_ms"]
        print(
            f"database ({db['vendor']}, {db['rows']:,} rows): fetch of the 20 hits median {f['median']:.2f} ms, "
            f"p95 {f['p95']:.2f} ms (n={f['n']})"
        )
        print(f"{'search_documents() with database, ms':<50} {'median':>10} {'p95':>8}")
        for row in db["search_documents"]:
            print(f"{row['shape']:<50} {row['median_ms']:>10.2f} {row['p95_ms']:>8.2f}")


def _progress(n: int, total: int, every: int = 100_000) -> None:
    if n % every == 0:
        log(f"{n:,} / {total:,}")


def _save(path: Path, meta: dict) -> None:
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=1))


def _jsonable(args) -> dict:
    return {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}


def _load(triple) -> str:
    return "/".join(f"{x:.1f}" for x in triple)
