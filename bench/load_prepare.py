"""The province-sized catalogue of `python -m bench load --docs N --agencies M`, prepared once.

Run by bench/load.py as a child process (`python -m bench.load_prepare`): the load test's own
process is patched by gevent (Locust), this one is a plain Django process. It brings the
directory given with --dir to this state, doing only what is missing (meta.json records what
was done, with the time each step took):

* a database: PostgreSQL ``--database`` on the server of DATABASE_URL (created here), or
  SQLite in ``<dir>/data`` when DATABASE_URL is not set; migrated on every call;
* N synthetic documents of the search bench's generator (bench/synth.py, the same corpus file
  when `python -m bench --docs N` made one), loaded by bench/dbload.py; a share of them
  (--spread) filed under the agencies of a four-level tree (bench/pages.py ``add_agencies``)
  of M agencies in all, the search bench's 50 included, the rest under those 50;
* a small text attachment on the newest documents and on one document in 200;
* node A's search index built once (`gongkai reindex`, GONGKAI_SEARCH_DIR=<dir>/search-a),
  and node B's a copy of it (<dir>/search-b) with its own index id and a ready cursor at the
  same place in the change log, as if node B had built it (search/indexer.py): neither node
  rebuilds at start;
* before every run, both cursors' heartbeats renewed, so that an old preparation is not taken
  for a dead node's (GONGKAI_SEARCH_INDEX_TTL) and rebuilt.

Prints the meta as JSON on its last line of standard output.
"""

import argparse
import json
import os
import shutil
import socket
import time
import uuid
from datetime import datetime
from pathlib import Path

from . import synth
from .runner import SHANGHAI, log

SPREAD = 0.5  # share of the documents filed under the tree's agencies
ATTACHED_NEWEST = 40  # the load test reads the attachments of the newest documents
ATTACH_EVERY = 200
ATTACHMENT_BYTES = 32 * 1024


def _save(path: Path, meta: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=1))
    tmp.replace(path)


def _pg(admin_url: str, sql: str) -> list:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def database(args, fresh: bool) -> str | None:
    """Create (``fresh``: drop first) the bench database; its URL, or None for SQLite."""
    admin = os.environ.get("DATABASE_URL", "")
    if not admin.startswith("postgres"):
        if fresh:
            for name in ("gongkai.sqlite3", "gongkai.sqlite3-wal", "gongkai.sqlite3-shm"):
                (args.dir / "data" / name).unlink(missing_ok=True)
        return None
    name = args.database
    if fresh:
        _pg(admin, f"DROP DATABASE IF EXISTS {name}")
    if not _pg(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        _pg(admin, f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + "/" + name


def corpus_file(args, meta: dict) -> Path:
    """The search bench's corpus of this size and seed when it has one, else one made here."""
    bench_dir = args.dir.parent / f"docs{args.docs}-seed{args.seed}"
    try:
        theirs = json.loads((bench_dir / "meta.json").read_text()).get("fingerprint", {})
    except (OSError, ValueError):
        theirs = {}
    if (bench_dir / "corpus.jsonl").exists() and theirs.get("generator") == synth.GENERATOR_VERSION:
        if theirs.get("body_bytes") == 2048 and theirs.get("docs") == args.docs:
            return bench_dir / "corpus.jsonl"
    mine = args.dir / "corpus.jsonl"
    if not mine.exists():
        log(f"generating {args.docs:,} documents (bench/synth.py, seed {args.seed})")
        start = time.perf_counter()
        gen = synth.Generator(synth.load_sentences(synth.default_source()), seed=args.seed)
        synth.write_corpus(gen, args.docs, mine)
        meta["generate_s"] = round(time.perf_counter() - start, 1)
    return mine


def load(args, meta: dict) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.catalogue.models import Document

    from . import dbload, pages

    synthetic = {a.code for a in synth.agencies()}
    start = time.perf_counter()
    pages.add_agencies(max(1, args.agencies - len(synthetic)))
    tree = list(Agency.objects.exclude(code__in=synthetic).order_by("pk").values_list("pk", "code"))
    meta["agencies_s"] = round(time.perf_counter() - start, 1)
    cut = round(args.spread * 100)

    def agency_for(d):
        # Ids are consecutive: a fixed share of every hundred, spread over the whole tree.
        return tree[(d.id * 7919) % len(tree)] if d.id % 100 < cut else None

    corpus = corpus_file(args, meta)
    log(f"loading {args.docs:,} documents from {corpus}")
    start = time.perf_counter()
    step = max(10_000, args.docs // 10)
    n = dbload.load_documents(
        corpus, agency_for=agency_for, progress=lambda n: n % step == 0 and log(f"{n:,} / {args.docs:,}")
    )
    meta["load_s"] = round(time.perf_counter() - start, 1)
    meta["load_docs_per_s"] = round(n / max(meta["load_s"], 0.001))
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Document]):
            cur.execute(sql)  # ids were given: later inserts must not collide with them
    attach(meta)
    if connection.vendor == "postgresql":
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        meta["analyze_s"] = round(time.perf_counter() - start, 1)


def attach(meta: dict) -> None:
    """One text attachment on the newest documents and on one in ATTACH_EVERY: rows in bulk,
    files written straight into MEDIA_ROOT (the directory every node shares)."""
    import hashlib

    from django.conf import settings
    from django.db.models.functions import Mod

    from gongkai.catalogue.models import Attachment, Document

    newest = Document.objects.public().order_by("-published_on", "-id").values_list("id", flat=True)
    ids = set(newest[:ATTACHED_NEWEST])
    every = Document.objects.public().annotate(m=Mod("id", ATTACH_EVERY)).filter(m=0)
    ids |= set(every.values_list("id", flat=True))
    directory = Path(settings.MEDIA_ROOT) / "attachments"
    directory.mkdir(parents=True, exist_ok=True)
    rows = []
    bodies = dict(Document.objects.filter(id__in=ids).values_list("id", "body"))
    for doc_id in sorted(ids):
        text = bodies[doc_id][:600]
        data = (text * (ATTACHMENT_BYTES // max(1, len(text.encode())) + 1)).encode()[:ATTACHMENT_BYTES]
        data = data.decode(errors="ignore").encode()
        storage = f"{uuid.uuid4().hex}.txt"
        (directory / storage).write_bytes(data)
        rows.append(
            Attachment(
                document_id=doc_id,
                title="附件1：实施细则",
                original_name="附件1.txt",
                storage_name=storage,
                file=f"attachments/{storage}",
                content_type="text/plain; charset=utf-8",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                text=text,
                sort_order=1,
            )
        )
    Attachment.objects.bulk_create(rows, batch_size=1000)
    meta["attachments"] = len(rows)


def _index_ok(search_dir: Path, meta_id: str | None) -> bool:
    from gongkai.search import engine, indexer
    from gongkai.search.models import IndexCursor

    id_file = engine.index_dir(search_dir) / indexer.ID_FILE
    if not id_file.exists() or id_file.read_text().strip() != meta_id:
        return False
    return IndexCursor.objects.filter(index_id=meta_id, ready=True).exists()


def indexes(args, meta: dict) -> None:
    """Node A's index built once, node B's copied from it (see the module's docstring)."""
    from django.core.management import call_command
    from django.utils import timezone

    from gongkai.search import engine, indexer
    from gongkai.search.models import IndexCursor

    a, b = args.dir / "search-a", args.dir / "search-b"
    if not _index_ok(a, meta.get("index_a")):
        shutil.rmtree(a, ignore_errors=True)
        meta.pop("index_b", None)
        log("building node A's search index (gongkai reindex)")
        start = time.perf_counter()
        call_command("reindex", verbosity=0)  # GONGKAI_SEARCH_DIR is search-a in this process
        meta["index_s"] = round(time.perf_counter() - start, 1)
        meta["index_docs_per_s"] = round(args.docs / max(meta["index_s"], 0.001))
        meta["index_a"] = indexer.local_index_id(a)
    if not _index_ok(b, meta.get("index_b")):
        start = time.perf_counter()
        IndexCursor.objects.filter(index_id=meta.get("index_b") or "-").delete()
        shutil.rmtree(b, ignore_errors=True)
        shutil.copytree(a, b)
        # The copy is another index: its own id, and a cursor where A's stands (nothing has
        # been written since A's rebuild, so B holds exactly what A holds).
        new = uuid.uuid4().hex
        (engine.index_dir(b) / indexer.ID_FILE).write_text(new + "\n")
        applied = IndexCursor.objects.get(index_id=meta["index_a"]).applied_id
        IndexCursor.objects.create(
            index_id=new,
            applied_id=applied,
            ready=True,
            heartbeat=timezone.now(),
            location=f"{socket.gethostname()}:{engine.index_dir(b)}"[:500],
        )
        meta["index_b"] = new
        meta["copy_s"] = round(time.perf_counter() - start, 1)
    IndexCursor.objects.filter(index_id__in=[meta["index_a"], meta["index_b"]]).update(
        heartbeat=timezone.now()
    )


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(prog="python -m bench.load_prepare", description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", type=Path, required=True)
    p.add_argument("--docs", type=int, required=True)
    p.add_argument("--agencies", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--spread", type=float, default=SPREAD)
    p.add_argument("--database", required=True, help="PostgreSQL database name (with DATABASE_URL)")
    p.add_argument("--fresh", action="store_true", help="prepare everything again")
    args = p.parse_args(argv)
    args.dir = args.dir.resolve()
    args.dir.mkdir(parents=True, exist_ok=True)
    meta_path = args.dir / "meta.json"
    key = {
        "docs": args.docs,
        "agencies": args.agencies,
        "seed": args.seed,
        "spread": args.spread,
        "generator": synth.GENERATOR_VERSION,
        "database": args.database if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite",
    }
    meta = json.loads(meta_path.read_text()) if meta_path.exists() and not args.fresh else {}
    fresh = meta.get("key") != key or not meta.get("loaded")
    if fresh:
        meta = {"key": key, "date": datetime.now(SHANGHAI).isoformat(timespec="seconds")}
        for name in ("search-a", "search-b", "data"):
            shutil.rmtree(args.dir / name, ignore_errors=True)
    (args.dir / "data").mkdir(exist_ok=True)
    url = database(args, fresh)
    if url:
        os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    os.environ["GONGKAI_DATA_DIR"] = str(args.dir / "data")
    os.environ["GONGKAI_SEARCH_DIR"] = str(args.dir / "search-a")
    import django

    django.setup()
    from django.core.management import call_command

    from gongkai.agencies.models import Agency
    from gongkai.catalogue.models import Document

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    meta.setdefault("migrate_s", round(time.perf_counter() - start, 1))
    if fresh:
        load(args, meta)
        meta["loaded"] = True
        _save(meta_path, meta)
    meta["rows"] = {"documents": Document.objects.count(), "agencies": Agency.objects.count()}
    if meta["rows"]["documents"] != args.docs:
        raise SystemExit(f"{meta['rows']} in the database, {args.docs} expected: run again with --reprepare")
    indexes(args, meta)
    _save(meta_path, meta)
    print(json.dumps(meta, ensure_ascii=False))
    return meta


if __name__ == "__main__":
    main()
