"""`python -m bench load`: the portal under load as people use it (issue 13, section 3).

Locust (headless, library mode) drives a running platform over HTTP with the page mix below;
simulated people read before they click (think time, default 1-3 s). For each level of
concurrent users it reports throughput and p50/p95/p99 per page kind, errors, and (when this
command started the platform itself) the server's CPU time per request.

    python -m bench load                        # demo catalogue, one node started here, 20 and 50 users
    python -m bench load --users 50,200,500 --duration 120
    python -m bench load --host https://gk.example.gov.cn --users 200   # a running deployment
    python -m bench load --no-think --users 50  # capacity: no think time
    # The province: prepared once (bench/load_prepare.py), then one node and two behind nginx
    python -m bench load --docs 1000000 --agencies 5000 --nodes 1,2 --nginx --users 50,200,500
    python -m bench load --docs 1000000 --nodes 1,2 --nginx --no-think --users 10,25,50,100

Every request goes to --host (local by default) and has a timeout. Submissions and progress
lookups use a distinct X-Forwarded-For per simulated person; the platform started here trusts
it (GONGKAI_TRUSTED_PROXIES=1, or 2 behind the nginx started here, which appends the peer), so
the per-address throttles see many people, not one. With --docs the platform is started here
(bench/load_platform.py) on PostgreSQL (DATABASE_URL's server) and Redis, for each node count
of --nodes in turn; without think time the capacity knee per page kind is reported for each.
The full size: bench/README.md, "Load test of the portal".
"""

# Locust patches the standard library with gevent: it is imported first, before anything else.
from locust import HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import gevent

from . import load_platform

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 30
# The mix, as weights: reads dominate; search is a fifth of the traffic (issue 13, section 3).
MIX = {
    "home": 10,
    "directory": 4,
    "agency": 6,
    "guide": 3,
    "catalogue": 8,
    "catalogue_deep": 4,
    "document": 20,
    "attachment": 3,
    "search_rare": 5,
    "search_common": 6,
    "search_phrase": 3,
    "search_docno": 2,
    "search_facets": 4,
    "feed": 3,
    "sitemap": 2,
    "api_search": 4,
    "progress": 2,
    "apply": 1,
}
COMMON_PHRASE = "社会主义"


@dataclass
class Catalogue:
    """What the simulated people click on: read from the platform's own API first."""

    documents: list[str] = field(default_factory=list)
    doc_numbers: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    rare_words: list[str] = field(default_factory=list)
    common_words: list[str] = field(default_factory=list)
    pages: int = 1


CATALOGUE = Catalogue()
# requests' verify: False (--insecure) or the certificate of the nginx started here. Not True:
# the environment's CA bundle is not consulted then (it would override the session's value).
VERIFY: bool | str = True


def discover(host: str, *, verify: bool | str = True) -> Catalogue:
    import requests

    s = requests.Session()
    s.verify = verify
    s.trust_env = verify is True  # else REQUESTS_CA_BUNDLE would override ``verify``
    cat = Catalogue()
    first = s.get(
        f"{host}/api/v1/documents", params={"sort": "date", "page_size": 100}, timeout=TIMEOUT_S
    ).json()
    cat.pages = max(1, (first.get("count", 0) + 19) // 20)
    titles = []
    for doc in first.get("results", []):
        cat.documents.append(doc["index_no"])
        titles.append(doc.get("title", ""))
        if doc.get("doc_no"):
            cat.doc_numbers.append(doc["doc_no"])
    for index_no in cat.documents[:20]:
        detail = s.get(f"{host}/api/v1/documents/{quote(index_no)}", timeout=TIMEOUT_S).json()
        for a in detail.get("attachments") or []:
            if a.get("url"):
                cat.attachments.append(re.sub(r"^https?://[^/]+", "", a["url"]))
    agencies = s.get(f"{host}/api/v1/agencies", timeout=TIMEOUT_S).json()
    items = agencies.get("results", agencies) if isinstance(agencies, dict) else agencies
    cat.agencies = [a["code"] for a in items][:500]
    grams: dict[str, int] = {}
    for title in titles:
        for i in range(len(title) - 1):
            g = title[i : i + 2]
            if all("\u4e00" <= c <= "\u9fff" for c in g):
                grams[g] = grams.get(g, 0) + 1
    ranked = sorted(grams, key=grams.get, reverse=True)
    cat.common_words = ranked[:10] or ["通知"]
    cat.rare_words = [g for g in ranked if grams[g] == 1][:50] or cat.common_words
    return cat


def resident_id() -> str:
    """A well-formed 18-digit resident identity number (GB 11643 check character)."""
    body = f"110105{random.randint(1950, 2005)}{random.randint(1, 12):02d}{random.randint(1, 28):02d}"
    body += f"{random.randint(0, 999):03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


class Visitor(HttpUser):
    """One person on the portal."""

    wait_time = between(1, 3)

    def on_start(self):
        self.client.verify = VERIFY
        self.client.trust_env = VERIFY is True
        self.address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        self.client.headers["X-Forwarded-For"] = self.address

    def get(self, path: str, kind: str):
        with self.client.get(path, name=kind, timeout=TIMEOUT_S, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(MIX["home"])
    def home(self):
        self.get("/", "home")

    @task(MIX["directory"])
    def directory(self):
        self.get("/agencies/", "directory")

    @task(MIX["agency"])
    def agency(self):
        self.get(f"/agencies/{random.choice(CATALOGUE.agencies)}/", "agency")

    @task(MIX["guide"])
    def guide(self):
        self.get(f"/agencies/{random.choice(CATALOGUE.agencies)}/guide/", "guide")

    @task(MIX["catalogue"])
    def catalogue(self):
        self.get(f"/search/?sort=date&page={random.randint(1, min(5, CATALOGUE.pages))}", "catalogue")

    @task(MIX["catalogue_deep"])
    def catalogue_deep(self):
        page = random.randint(max(1, CATALOGUE.pages // 2), CATALOGUE.pages)
        self.get(f"/search/?sort=date&page={page}", "catalogue_deep")

    @task(MIX["document"])
    def document(self):
        self.get(f"/documents/{quote(random.choice(CATALOGUE.documents))}/", "document")

    @task(MIX["attachment"])
    def attachment(self):
        if CATALOGUE.attachments:
            self.get(random.choice(CATALOGUE.attachments), "attachment")
        else:
            self.document()

    @task(MIX["search_rare"])
    def search_rare(self):
        self.get(f"/search/?q={quote(random.choice(CATALOGUE.rare_words))}", "search_rare")

    @task(MIX["search_common"])
    def search_common(self):
        self.get(f"/search/?q={quote(random.choice(CATALOGUE.common_words))}", "search_common")

    @task(MIX["search_phrase"])
    def search_phrase(self):
        self.get(f"/search/?q={quote(COMMON_PHRASE)}", "search_phrase")

    @task(MIX["search_docno"])
    def search_docno(self):
        words = CATALOGUE.doc_numbers or CATALOGUE.rare_words
        self.get(f"/search/?q={quote(random.choice(words))}", "search_docno")

    @task(MIX["search_facets"])
    def search_facets(self):
        q = quote(random.choice(CATALOGUE.common_words))
        self.get(f"/search/?q={q}&agency={random.choice(CATALOGUE.agencies)}&sort=date", "search_facets")

    @task(MIX["feed"])
    def feed(self):
        self.get(random.choice(["/feed/rss/", "/feed/atom/"]), "feed")

    @task(MIX["sitemap"])
    def sitemap(self):
        self.get("/sitemap.xml", "sitemap")

    @task(MIX["api_search"])
    def api_search(self):
        q = quote(random.choice(CATALOGUE.common_words + CATALOGUE.rare_words))
        self.get(f"/api/v1/documents?q={q}", "api_search")

    @task(MIX["progress"])
    def progress(self):
        # A lookup with a number and code that do not exist: the same work as a real one.
        with self.client.post(
            "/api/v1/applications/YSQ-2099-000001/status",
            json={"code": "ABCD-EFGH-JKLM"},
            name="progress",
            timeout=TIMEOUT_S,
            catch_response=True,
        ) as r:
            if r.status_code == 404:
                r.success()
            elif r.status_code != 200:
                r.failure(f"{r.status_code}")

    @task(MIX["apply"])
    def apply(self):
        body = {
            "agency": random.choice(CATALOGUE.agencies),
            "applicant_type": "natural_person",
            "name": "王五",
            "id_type": "resident_id",
            "id_number": resident_id(),  # a different person each time: one applicant's daily limit
            "phone": "13712345678",
            "email": "wangwu@example.com",
            "address": "江州市滨江区人民路88号",
            "description": "2025年保障性租赁住房筹集计划（负载测试）",
            "doc_no": "",
            "form": "electronic",
            "delivery": "email",
        }
        with self.client.post(
            "/api/v1/applications", json=body, name="apply", timeout=TIMEOUT_S, catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"{r.status_code} {r.text[:100]}")


# --- running a level ---


def _server_cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU seconds of these processes and all their children (a node's gunicorn
    master and workers, nginx's master and workers)."""
    if not pids:
        return None
    import psutil

    total = 0.0
    for pid in pids:
        try:
            root = psutil.Process(pid)
            for p in [root, *root.children(recursive=True)]:
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            return None
    return total


class DatabaseCpu:
    """CPU seconds of the local PostgreSQL backends serving ``database`` during a level:
    sampled every second (a backend may end before the level does), the growth per process."""

    def __init__(self, database: str | None):
        # A backend's title: "postgres: <user> <database> <host>(<port>) <state>".
        self.database = f" {database} ".encode() if database else b""
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.greenlet = None

    def _sample(self) -> dict[int, float]:
        tick = os.sysconf("SC_CLK_TCK")
        out = {}
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    title = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
                    if title.startswith(b"postgres:") and self.database in title:
                        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                        out[int(proc.name)] = (int(fields[11]) + int(fields[12])) / tick
                except OSError:
                    continue
        return out

    def _run(self):
        while True:
            self.last.update(self._sample())
            gevent.sleep(1)

    def start(self) -> None:
        if self.database:
            self.first = self._sample()
            self.greenlet = gevent.spawn(self._run)

    def stop(self) -> float | None:
        if self.greenlet is None:
            return None
        self.greenlet.kill()
        self.last.update(self._sample())
        return sum(t - self.first.get(pid, 0.0) for pid, t in self.last.items())


def run_level(
    host: str,
    users: int,
    duration: float,
    *,
    think: bool,
    server_pids: list[int] | None = None,
    warmup: float = 10,
    database: str | None = None,
) -> dict:
    Visitor.wait_time = between(1, 3) if think else constant(0)
    env = Environment(user_classes=[Visitor], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(1, users / 5))
    gevent.sleep(max(warmup, 1))  # ramp-up and a warm cache: not measured
    env.stats.reset_all()
    db_cpu = DatabaseCpu(database)
    db_cpu.start()
    cpu0 = _server_cpu_seconds(server_pids or [])
    started = time.monotonic()
    gevent.sleep(duration)
    elapsed = time.monotonic() - started
    cpu1 = _server_cpu_seconds(server_pids or [])
    db_seconds = db_cpu.stop()
    runner.quit()
    kinds = {}
    for (name, _method), entry in sorted(env.stats.entries.items()):
        kinds[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / elapsed, 1),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    total = env.stats.total
    result = {
        "users": users,
        "think_time": "1-3 s" if think else "none",
        "seconds": round(elapsed, 1),
        "requests": total.num_requests,
        "rps": round(total.num_requests / elapsed, 1),
        "errors": total.num_failures,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "error_kinds": {str(e.error): e.occurrences for e in env.stats.errors.values()},
        "kinds": kinds,
    }
    if cpu0 is not None and cpu1 is not None and total.num_requests:
        result["server_cpu_ms_per_request"] = round((cpu1 - cpu0) * 1000 / total.num_requests, 2)
    if db_seconds is not None and total.num_requests:
        result["database_cpu_ms_per_request"] = round(db_seconds * 1000 / total.num_requests, 2)
    return result


# --- a platform started here ---


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_platform(data_dir: Path, workers: int, page_cache: bool) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_TRUSTED_PROXIES": "1",  # the simulated people's X-Forwarded-For (module docstring)
        "GONGKAI_PAGE_CACHE_SECONDS": os.environ.get("GONGKAI_PAGE_CACHE_SECONDS", "300")
        if page_cache
        else "0",
    }
    if not (data_dir / "gongkai.sqlite3").exists() and not env.get("DATABASE_URL"):
        print(f"Loading the demo catalogue into {data_dir} ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "gongkai", "demo", "--no-serve"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    port = _free_port()
    log = open(data_dir / "serve.log", "ab")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    host = f"http://127.0.0.1:{port}"
    load_platform.wait_port(port, process, data_dir / "serve.log")
    return process, host


def format_table(result: dict) -> str:
    lines = [
        f"{result['users']} users, think time {result['think_time']}, {result['seconds']} s: "
        f"{result['rps']} req/s, p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"p99 {result['p99_ms']:.0f} ms, {result['errors']} errors of {result['requests']}"
        + (
            f", server CPU {result['server_cpu_ms_per_request']} ms/request"
            if "server_cpu_ms_per_request" in result
            else ""
        )
        + (
            f", PostgreSQL {result['database_cpu_ms_per_request']} ms/request"
            if "database_cpu_ms_per_request" in result
            else ""
        ),
        f"  {'page kind':<16}{'req':>7}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'err':>6}",
    ]
    for name, k in result["kinds"].items():
        lines.append(
            f"  {name:<16}{k['requests']:>7}{k['rps']:>8}{k['p50_ms']:>7.0f}{k['p95_ms']:>7.0f}"
            f"{k['p99_ms']:>7.0f}{k['failures']:>6}"
        )
    for error, n in result["error_kinds"].items():
        lines.append(f"  error x{n}: {error[:150]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--host", help="drive this running platform (default: start one here on the demo data)"
    )
    parser.add_argument(
        "--users", default="20,50", help="comma-separated levels of concurrent users (default 20,50)"
    )
    parser.add_argument("--duration", type=float, default=45, help="measured seconds per level (default 45)")
    parser.add_argument("--no-think", action="store_true", help="no think time (capacity runs)")
    parser.add_argument(
        "--warmup", type=float, default=10, help="unmeasured seconds before each level (default 10)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each node started here")
    parser.add_argument(
        "--data-dir", help="data directory of the node started here (default: a new temporary one)"
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="node(s) started here: server-side page cache off"
    )
    parser.add_argument("--insecure", action="store_true", help="--host with a self-signed certificate")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    province_args = parser.add_argument_group(
        "the province-sized platform, prepared once and started here (instead of the demo catalogue)"
    )
    province_args.add_argument("--docs", type=int, help="synthetic documents (bench/synth.py), e.g. 1000000")
    province_args.add_argument(
        "--agencies", type=int, default=5000, help="agencies in a four-level tree (default 5,000)"
    )
    province_args.add_argument(
        "--nodes", default="1", help="comma-separated node counts, run one after the other (e.g. 1,2)"
    )
    province_args.add_argument(
        "--nginx",
        action="store_true",
        help="nginx in front (deploy/nginx/gongkai.conf, TLS); needed for 2 nodes",
    )
    province_args.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    province_args.add_argument(
        "--out", default=str(ROOT / "bench" / "out"), help="working directory (default bench/out/)"
    )
    province_args.add_argument(
        "--db-name", help="PostgreSQL database on DATABASE_URL's server (default gk_bench_load_<docs>)"
    )
    province_args.add_argument(
        "--redis-db",
        type=int,
        default=12,
        help="Redis database number, emptied at each start (default 12; -1: no Redis)",
    )
    province_args.add_argument("--reprepare", action="store_true", help="prepare everything again")
    province_args.add_argument("--prepare-only", action="store_true", help="prepare, do not run")
    args = parser.parse_args(argv)
    if args.docs is not None:
        if args.host or args.data_dir:
            parser.error("--docs starts its own platform: not with --host or --data-dir")
        if any(n.strip() not in ("1", "2") for n in args.nodes.split(",")):
            parser.error("--nodes: 1, 2 or 1,2")
        if "2" in args.nodes and not args.nginx:
            parser.error("two nodes need --nginx in front of them")
        from .load_province import province  # after Locust's gevent patching, like this module

        return province(args)
    global VERIFY  # noqa: PLW0603 (read by every Visitor)
    VERIFY = not args.insecure
    if args.insecure:
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    process, server_pid, tmp = None, None, None
    host = args.host
    try:
        if not host:
            data_dir = (
                Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gongkai-load-"))
            )
            tmp = None if args.data_dir else data_dir
            process, host = start_platform(data_dir, args.workers, not args.no_page_cache)
            server_pid = process.pid
        catalogue = discover(host, verify=not args.insecure)
        CATALOGUE.__dict__.update(catalogue.__dict__)
        if not CATALOGUE.documents or not CATALOGUE.agencies:
            raise SystemExit(f"{host} has no public documents or agencies to read")
        load = os.getloadavg()
        cache = "Redis" if os.environ.get("GONGKAI_REDIS_URL") else "per-process"
        if process is not None:
            print(
                f"Node started here: {args.workers} workers, page cache {'off' if args.no_page_cache else cache}"
            )
        print(
            f"Driving {host}: {len(CATALOGUE.documents)} documents sampled, {len(CATALOGUE.agencies)} "
            f"agencies, {CATALOGUE.pages} catalogue pages; machine load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs",
            flush=True,
        )
        results = []
        for users in [int(u) for u in args.users.split(",") if u.strip()]:
            result = run_level(
                host,
                users,
                args.duration,
                think=not args.no_think,
                server_pids=[server_pid] if server_pid else None,
                warmup=args.warmup,
            )
            result["load_average"] = [round(x, 2) for x in os.getloadavg()]
            results.append(result)
            print(format_table(result), flush=True)
            print(f"  machine load average after: {result['load_average']}", flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
