"""`python -m bench load --docs N --agencies M [--nodes 1,2] [--nginx]`: the province-sized
platform, prepared once (bench/load_prepare.py, in a plain Django process) and started here
(bench/load_platform.py) for each node count in turn, driven by bench/load.py's Locust people;
without think time, the capacity knee per page kind for each node count side by side.
Imported by bench/load.py after Locust has patched the standard library."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from . import load as core
from . import load_platform

ROOT = Path(__file__).resolve().parents[1]
KNEE_P95_MS = 500.0  # capacity: the highest rate at which a page kind's p95 stays within this


def capacity_knee(levels: list[dict], limit_ms: float = KNEE_P95_MS) -> dict:
    """Per page kind, of the levels run without think time: the highest request rate of the
    kind at a level where its p95 stayed within ``limit_ms``. ``reached`` is False when even
    the highest level stayed within it (the knee lies further up), None when no level did."""
    knee = {}
    ordered = sorted(levels, key=lambda r: r["users"])
    for kind in sorted({k for r in ordered for k in r["kinds"]}):
        within = [r for r in ordered if kind in r["kinds"] and r["kinds"][kind]["p95_ms"] <= limit_ms]
        if not within:
            knee[kind] = None
            continue
        best = max(within, key=lambda r: r["kinds"][kind]["rps"])
        top = ordered[-1]
        knee[kind] = {
            "users": best["users"],
            "rps": best["kinds"][kind]["rps"],
            "p95_ms": best["kinds"][kind]["p95_ms"],
            "total_rps": best["rps"],
            "reached": not (kind in top["kinds"] and top["kinds"][kind]["p95_ms"] <= limit_ms),
        }
    return knee


def format_knees(runs: list[dict]) -> str:
    """The knee per page kind, one column per number of nodes."""
    head = f"  {'page kind':<16}" + "".join(f"{str(r['nodes']) + ' node(s)':>28}" for r in runs)
    lines = [f"Capacity: highest rate with p95 <= {KNEE_P95_MS:.0f} ms (req/s of the kind, at users)", head]
    for kind in sorted({k for r in runs for k in r["knee"]}):
        cells = []
        for r in runs:
            k = r["knee"].get(kind)
            cell = "none" if k is None else f"{k['rps']} at {k['users']}{'' if k['reached'] else ' (>=)'}"
            cells.append(f"{cell:>28}")
        lines.append(f"  {kind:<16}" + "".join(cells))
    totals = []
    for r in runs:
        ok = [lv for lv in r["levels"] if lv["p95_ms"] <= KNEE_P95_MS]
        best = max(ok, key=lambda lv: lv["rps"]) if ok else None
        cell = "none" if best is None else f"{best['rps']} at {best['users']}"
        totals.append(f"{cell:>28}")
    lines.append(f"  {'all (overall p95)':<16}" + "".join(totals))
    return "\n".join(lines)


def prepare(args) -> tuple[dict, Path, str | None]:
    """The prepared catalogue (bench/load_prepare.py, in a plain Django process): its meta, its
    directory and the database URL the nodes use (None: SQLite in the directory)."""
    work = Path(args.out).resolve() / f"load-docs{args.docs}-agencies{args.agencies}"
    database = args.db_name or f"gk_bench_load_{args.docs}"
    cmd = [
        sys.executable, "-m", "bench.load_prepare", "--dir", str(work), "--docs", str(args.docs),
        "--agencies", str(args.agencies), "--seed", str(args.seed), "--database", database,
    ]  # fmt: skip
    if args.reprepare:
        cmd.append("--fresh")
    print(f"Preparing {work} (done once, reused after) ...", flush=True)
    out = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if out.returncode:
        raise SystemExit(f"preparation failed ({out.returncode})")
    meta = json.loads(out.stdout.strip().splitlines()[-1])
    admin = os.environ.get("DATABASE_URL", "")
    url = admin.rsplit("/", 1)[0] + "/" + database if admin.startswith("postgres") else None
    return meta, work, url


def province(args) -> None:
    """--docs: prepare (once) and start the platform here, then drive it with 1 and/or 2 nodes."""
    meta, work, database_url = prepare(args)
    print(
        "Prepared: "
        + ", ".join(
            f"{k} {meta[k]}"
            for k in (
                "rows", "attachments", "generate_s", "load_s", "load_docs_per_s", "agencies_s",
                "index_s", "index_docs_per_s", "copy_s",
            )
            if k in meta
        ),
        flush=True,
    )  # fmt: skip
    if args.prepare_only:
        return
    redis = load_platform.redis_url(args.redis_db) if args.redis_db >= 0 else None
    if redis is None and args.redis_db >= 0:
        print("Note: no Redis at 127.0.0.1:6379: caches, sessions and throttles per process", flush=True)
    platform = load_platform.Platform(
        work, database_url, workers=args.workers, page_cache=not args.no_page_cache, redis=redis
    )
    database = database_url.rsplit("/", 1)[1] if database_url else None
    report = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "args": vars(args),
        "prepared": meta,
        "cpus": os.cpu_count(),
        "runs": [],
    }
    users = [int(u) for u in args.users.split(",") if u.strip()]
    try:
        for nodes in [int(n) for n in args.nodes.split(",") if n.strip()]:
            host = platform.start(nodes, nginx=args.nginx, label=f"{nodes}node")
            core.VERIFY = str(platform.cert) if args.nginx else True  # read by every Visitor
            try:
                core.CATALOGUE.__dict__.update(core.discover(host, verify=core.VERIFY).__dict__)
                if not core.CATALOGUE.documents or not core.CATALOGUE.agencies:
                    raise SystemExit(f"{host} has no public documents or agencies to read")
                load = os.getloadavg()
                print(
                    f"\n== {nodes} node(s) x {args.workers} workers{' behind nginx' if args.nginx else ''}, "
                    f"{'PostgreSQL' if database_url else 'SQLite'}, page cache "
                    f"{'off' if args.no_page_cache else ('Redis' if redis else 'per process')}: {host}; "
                    f"{core.CATALOGUE.pages} catalogue pages, {len(core.CATALOGUE.agencies)} agencies sampled, "
                    f"{len(core.CATALOGUE.attachments)} attachments; load average {load[0]:.2f} {load[1]:.2f} "
                    f"{load[2]:.2f} on {os.cpu_count()} CPUs",
                    flush=True,
                )
                run = {"nodes": nodes, "nginx": args.nginx, "host": host, "levels": []}
                for level in users:
                    result = core.run_level(
                        host, level, args.duration, think=not args.no_think, server_pids=platform.pids(),
                        warmup=args.warmup, database=database,
                    )  # fmt: skip
                    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
                    run["levels"].append(result)
                    print(core.format_table(result), flush=True)
                    print(f"  machine load average after: {result['load_average']}", flush=True)
                if args.no_think:
                    run["knee"] = capacity_knee(run["levels"])
                report["runs"].append(run)
            finally:
                platform.stop()
    finally:
        platform.stop()
    if args.no_think and report["runs"]:
        print("\n" + format_knees(report["runs"]), flush=True)
    path = Path(args.json) if args.json else work / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    print(f"Results written to {path}", flush=True)
