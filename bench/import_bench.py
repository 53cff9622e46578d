"""`python -m bench import`: time `gongkai import-documents` end to end (issue 11, section 1).

The timed path is the product's command itself, run in a fresh process on a fresh database:
read and hash the file, parse and check every line, derive what the lines leave out, write the
documents in batches (bulk insert, index numbers, one audit event and one change-log write per
batch) in one transaction, commit, then bring the search index up to date. The command returns
once the index has committed; the bench then searches for the last document's title to
confirm the import is searchable, and reports the time until it was found.

    .venv/bin/python -m bench import --docs 100000                 # SQLite (its own file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench import --docs 100000 --db postgresql   # a scratch database

The file: the search benchmark's synthetic documents (bench/synth.py: real sentences of the
Government Work Reports, 2 KB bodies) as import lines with title, content, doc_no, subject,
genre, written_on, published_on, validity and a url, all for one agency. The PostgreSQL run
creates (and afterwards drops, unless --keep) the database ``gk_bench_import`` on the server
of DATABASE_URL; nothing else there is touched.
"""

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from . import synth
from .measure import dir_size_mib

TARGET_DOCS_S = 2000.0
SHANGHAI = ZoneInfo("Asia/Shanghai")
AGENCY_CODE = "800000011"  # any valid-looking code; the bench creates the agency
DEFAULT_OUT = Path(__file__).with_name("out")
REPO = Path(__file__).resolve().parents[1]
PG_DB = "gk_bench_import"


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench import", description=__doc__.split("\n\n")[0])
    p.add_argument("--docs", type=int, default=1_000_000, help="documents in the file (default 1,000,000)")
    p.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--batch-size", type=int, default=None, help="the command's --batch-size (default its own)"
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="working directory (default bench/out/)")
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    p.add_argument("--reimport", action="store_true", help="then import the same file again (idempotence)")
    return p.parse_args(argv)


def log(msg: str) -> None:
    print(f"[{datetime.now(SHANGHAI):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def write_import_file(docs: int, seed: int, path: Path) -> None:
    """The synthetic documents as `import-documents` lines (atomically)."""
    gen = synth.Generator(synth.load_sentences(synth.default_source()), seed=seed)
    tmp = path.with_suffix(".tmp")
    # The generator draws titles at random: at 1,000,000 documents a title and date come up twice
    # (twice in the first million), which the import rightly refuses as the same document.
    seen: set[int] = set()
    with tmp.open("w", encoding="utf-8") as f:
        for number in range(-(-docs // synth.CHUNK)):
            for d in gen.chunk(number, docs):
                title = d.title
                if (key := hash((title, d.written_on))) in seen:
                    title = f"{title}（{d.id}）"
                seen.add(key)
                line = {
                    "title": title,
                    "content": d.body,
                    "doc_no": d.doc_no,
                    "subject": d.subject,
                    "genre": d.genre,
                    "written_on": d.written_on,
                    "published_on": d.published_on,
                    "validity": d.validity,
                    "url": f"https://www.example.gov.cn/zwgk/{d.id}.html",
                }
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
    tmp.replace(path)


def last_title(path: Path) -> str:
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 20000))
        return json.loads(f.read().splitlines()[-1])["title"]


def _env(args, run_dir: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "PYTHONPATH": str(REPO)}
    env["GONGKAI_DATA_DIR"] = str(run_dir / "data")
    env["GONGKAI_SEARCH_DIR"] = str(run_dir / "search")
    if args.db == "postgresql":
        base = os.environ.get("DATABASE_URL", "")
        if not base.startswith("postgres"):
            raise SystemExit("--db postgresql needs DATABASE_URL=postgres://... (the server to use)")
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + PG_DB
    else:
        env.pop("DATABASE_URL", None)
    return env


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(sql)


def _django(env: dict, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "django", *args], env=env, cwd=REPO, check=True, capture_output=True, text=True
    )
    return out.stdout


SETUP = f"""
from gongkai.agencies.models import Agency, AgencyLevel
Agency.objects.get_or_create(code="{AGENCY_CODE}", defaults={{"name": "江北市人民政府", "level": AgencyLevel.CITY}})
"""

CHECK = """
import json, os, time
from gongkai.catalogue.models import Document
from gongkai.core.audit import audit_verify
from gongkai.search.services import SearchQuery, search_documents
title, deadline = os.environ["BENCH_TITLE"], time.monotonic() + 120
while True:
    found = search_documents(SearchQuery(q=title, page_size=5))
    if any(h.document.title == title for h in found.hits) or time.monotonic() > deadline:
        break
    time.sleep(0.05)
print(json.dumps({
    "found": any(h.document.title == title for h in found.hits),
    "at": time.time(),
    "documents": Document.objects.count(),
    "public_in_index": search_documents(SearchQuery(page_size=1)).count,
    "audit_broken": len(audit_verify()),
}))
"""


def fresh_database(args, run_dir: Path, env: dict) -> None:
    shutil.rmtree(run_dir / "data", ignore_errors=True)
    shutil.rmtree(run_dir / "search", ignore_errors=True)
    (run_dir / "data").mkdir(parents=True)
    if args.db == "postgresql":
        _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        _pg_admin(f"CREATE DATABASE {PG_DB}")
    _django(env, "migrate", "--noinput")
    _django(env, "shell", "-c", SETUP)


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving the bench database (a local server):
    their /proc times, sampled while the command runs, the last sample per process kept."""

    def __init__(self):
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if PG_DB.encode() not in (proc / "cmdline").read_bytes():
                    continue
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                self.seen[int(proc.name)] = (int(fields[11]) + int(fields[12])) / tick
            except OSError:
                continue

    def _run(self) -> None:
        while not self.stop.wait(0.5):
            self._sample()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())


class TreeRss:
    """Peak of the summed resident memory of a process and its children (the import's index
    worker, gongkai/search/importfeed.py), sampled every 0.2 s: wait4 reports only the larger
    of the two peaks, not what they hold together."""

    def __init__(self, pid: int):
        self.pid, self.peak_kib, self.peak_parent_kib, self.peak_children_kib = pid, 0, 0, 0
        self.peak_anon_kib = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _rss(self, pid: int, field: str = "VmRSS:") -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _children(self, pid: int) -> list[int]:
        try:
            return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            parent = self._rss(self.pid)
            kids = self._children(self.pid)
            children = sum(self._rss(c) for c in kids)
            self.peak_kib = max(self.peak_kib, parent + children)
            # Anonymous memory only: without the index files' pages that tantivy maps to read
            # (page cache, given back under memory pressure), which RSS counts too.
            anon = self._rss(self.pid, "RssAnon:") + sum(self._rss(c, "RssAnon:") for c in kids)
            self.peak_anon_kib = max(self.peak_anon_kib, anon)
            self.peak_parent_kib = max(self.peak_parent_kib, parent)
            self.peak_children_kib = max(self.peak_children_kib, children)

    def close(self) -> float:
        self.stop.set()
        self.thread.join()
        return self.peak_kib / 1024


def timed_import(args, path: Path, env: dict) -> dict:
    """Run the command in a child process; its wall time, CPU time and peak RSS."""
    cmd = [sys.executable, "-m", "django", "import_documents", str(path), "--agency", AGENCY_CODE, "--json"]
    if args.batch_size:
        cmd += ["--batch-size", str(args.batch_size)]
    load_before = os.getloadavg()
    start_wall, start = time.time(), time.perf_counter()
    server = ServerCpu() if args.db == "postgresql" else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, server or contextlib.nullcontext():
        proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=err)
        tree = TreeRss(proc.pid)
        # wait4 gives the child's own rusage (CPU, peak RSS) without mixing in earlier children;
        # its CPU includes the index worker it waited for.
        _, status, usage = os.wait4(proc.pid, 0)
        tree_peak = tree.close()
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import-documents failed:\n{stderr[-3000:]}")
    return {
        "counts": json.loads(stdout),
        "server_cpu_s": server.seconds if server else None,
        "wall_s": wall,
        "start": start_wall,
        "cpu_user_s": usage.ru_utime,
        "cpu_sys_s": usage.ru_stime,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # KiB on Linux; the larger process's
        "peak_rss_sum_mib": tree_peak,  # the command and its index worker together (sampled)
        "peak_rss_command_mib": tree.peak_parent_kib / 1024,
        "peak_rss_index_worker_mib": tree.peak_children_kib / 1024,
        "peak_anon_sum_mib": tree.peak_anon_kib / 1024,
        "load_before": load_before,
        "load_after": os.getloadavg(),
    }


def check_searchable(path: Path, env: dict, started: float) -> dict:
    out = _django({**env, "BENCH_TITLE": last_title(path)}, "shell", "-c", CHECK)
    found = json.loads(out.strip().splitlines()[-1])
    found["time_to_searchable_s"] = found.pop("at") - started
    return found


def main(argv=None) -> dict:
    args = parse_args(argv)
    run_dir = args.out.resolve() / f"import-docs{args.docs}-seed{args.seed}-{args.db}"
    run_dir.mkdir(parents=True, exist_ok=True)
    path = args.out.resolve() / f"import-docs{args.docs}-seed{args.seed}-v2.jsonl"  # v2: unique titles
    if not path.exists():
        log(f"writing {args.docs:,} import lines to {path}")
        write_import_file(args.docs, args.seed, path)
    env = _env(args, run_dir)
    log(f"fresh {args.db} database")
    fresh_database(args, run_dir, env)
    report = {
        "date": datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        "args": {k: str(v) for k, v in vars(args).items()},
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "file_mb": path.stat().st_size / 1e6,
    }
    runs = [("import", path)] + ([("reimport", path)] if args.reimport else [])
    try:
        for name, file in runs:
            log(f"{name}: gongkai import-documents ({args.docs:,} documents, {args.db})")
            timed = timed_import(args, file, env)
            check = check_searchable(file, env, timed["start"])
            timed.update(check)
            timed["docs_s"] = args.docs / timed["wall_s"]
            timed["docs_s_to_searchable"] = args.docs / timed["time_to_searchable_s"]
            timed["cpu_s"] = timed["cpu_user_s"] + timed["cpu_sys_s"]
            report[name] = timed
            print_run(name, args, timed)
        if args.db == "sqlite":
            report["sqlite_mib"] = dir_size_mib(run_dir / "data")
        report["index_mib"] = dir_size_mib(run_dir / "search")
    finally:
        if args.db == "postgresql" and not args.keep:
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
    stamp = datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    (run_dir / f"results-{stamp}.json").write_text(json.dumps(report, indent=2, default=str))
    log(f"report: {run_dir / f'results-{stamp}.json'}")
    return report


def print_run(name: str, args, r: dict) -> None:
    ok = "met" if r["docs_s_to_searchable"] >= TARGET_DOCS_S else "MISS"
    print(
        f"{name} ({args.db}, {args.docs:,} documents): {r['counts']}\n"
        f"  wall {r['wall_s']:.1f} s = {r['docs_s']:,.0f} documents/s "
        f"(searchable after {r['time_to_searchable_s']:.1f} s = {r['docs_s_to_searchable']:,.0f}/s, "
        f"target {TARGET_DOCS_S:,.0f}: {ok})\n"
        f"  CPU {r['cpu_s']:.1f} s (user {r['cpu_user_s']:.1f}, sys {r['cpu_sys_s']:.1f}) of the command"
        " and its index worker"
        + (f", PostgreSQL backends {r['server_cpu_s']:.1f} s" if r.get("server_cpu_s") is not None else "")
        + f"; peak RSS {r['peak_rss_mib']:,.0f} MiB (larger process), "
        f"{r.get('peak_rss_sum_mib', 0):,.0f} MiB (both together; command "
        f"{r.get('peak_rss_command_mib', 0):,.0f}, index worker {r.get('peak_rss_index_worker_mib', 0):,.0f}); "
        f"anonymous memory of both {r.get('peak_anon_sum_mib', 0):,.0f} MiB\n"
        f"  last document found by search: {r['found']}; documents {r['documents']:,}; "
        f"public in the index {r['public_in_index']:,}; audit chain breaks {r['audit_broken']}\n"
        f"  load average before {r['load_before'][0]:.1f}, after {r['load_after'][0]:.1f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
