"""Keeping this node's index in step with the database, which stays the source of truth.

Every index (one per GONGKAI_SEARCH_DIR, so one per node) has an id, kept in a file inside the
index directory, and a cursor row in the database: the id of the last change-log entry it has
applied. Applying means re-reading the changed documents from the database, in log order; it
is idempotent, so an entry applied twice does no harm. The log is pruned only behind every
live index's cursor; an index without a cursor (new, rebuilt by hand, or pruned past while its
node was down for longer than settings.GONGKAI_SEARCH_INDEX_TTL) rebuilds itself.
"""

import logging
import socket
import uuid
from pathlib import Path

import tantivy
from django.conf import settings
from django.db.models import Max, Subquery
from django.utils import timezone

from gongkai.catalogue.models import Attachment, Document

from . import engine
from .models import IndexCursor, PendingChange
from .rows import COLUMNS, document_fields  # noqa: F401  (document_fields: callers of indexer)

log = logging.getLogger(__name__)
BATCH = 1000  # log entries / documents read per query
# Log entries applied per index commit: one writer session for a whole import, committed now
# and then so the cursor moves (and a crash loses at most this much work, never correctness).
COMMIT_EVERY = 200_000
BULK = 2000  # a backlog this long gets the bulk writer (bigger heap, two threads)
BULK_WRITER = {"heap_bytes": 256_000_000, "threads": 2}


def index_rows(ids=None, *, after: int = 0, limit: int = BATCH) -> list[dict]:
    """The public documents among ``ids``, or the next ``limit`` after primary key ``after``
    in key order, as plain values with their attachments' text."""
    qs = Document.objects.public()
    qs = qs.filter(pk__in=ids) if ids is not None else qs.filter(pk__gt=after).order_by("pk")[:limit]
    rows = [dict(zip(COLUMNS, values, strict=True)) for values in qs.values_list(*COLUMNS)]
    if rows:
        texts: dict[int, list[str]] = {}
        attachments = (
            Attachment.objects.filter(document_id__in=[r["id"] for r in rows])
            .order_by("document_id", "sort_order", "id")
            .values_list("document_id", "text")
        )
        for doc_id, text in attachments:
            texts.setdefault(doc_id, []).append(text)
        for row in rows:
            row["attachments"] = " ".join(texts.get(row["id"], ()))
    return rows


ID_FILE = "gongkai-index-id"


def local_index_id(path: Path | None = None) -> str:
    """This index's id, created with the index: a new or deleted index directory gets a new
    one (and so no cursor, and so a rebuild)."""
    directory = engine.index_dir(path)
    directory.mkdir(parents=True, exist_ok=True)
    id_file = directory / ID_FILE
    try:
        return id_file.read_text().strip()
    except FileNotFoundError:
        pass
    engine.open_index(path)  # the id belongs to this index: create it first
    new = uuid.uuid4().hex
    tmp = directory / f".{ID_FILE}.{new}"
    tmp.write_text(new + "\n")
    tmp.replace(id_file)
    return id_file.read_text().strip()


def _location(path: Path | None) -> str:
    return f"{socket.gethostname()}:{engine.index_dir(path)}"[:500]


def _cursor(index_id: str) -> IndexCursor | None:
    return IndexCursor.objects.filter(index_id=index_id).first()


def _apply_pending(w, index_id: str) -> tuple[int, int] | None:
    """Apply the entries after the cursor (read under the writer lock) to the index writer
    ``w``, up to COMMIT_EVERY of them; returns (id of the last entry applied, 0 when none;
    documents re-indexed), or None when the index must rebuild."""
    cursor = _cursor(index_id)  # another process of this node may have moved it
    if cursor is None or not cursor.ready:
        return None
    last, done = cursor.applied_id, 0
    while done < COMMIT_EVERY:
        batch = list(
            PendingChange.objects.filter(id__gt=last).order_by("id").values_list("id", "document_id")[:BATCH]
        )
        if not batch:
            break
        ids = sorted({doc_id for _, doc_id in batch})
        # Deletes apply to what was added before them, so a document changed twice in one
        # session ends up indexed once, as it is now.
        w.delete_documents_by_query(tantivy.Query.term_set_query(engine.SCHEMA, "id", ids))
        for row in index_rows(ids):
            w.add_document(engine.make_document(document_fields(row)))
        last, done = batch[-1][0], done + len(ids)
    return (last if done else 0), done


def _backlog(index_id: str) -> int:
    cursor = IndexCursor.objects.filter(index_id=index_id).values_list("applied_id", flat=True).first() or 0
    return (PendingChange.objects.aggregate(m=Max("id"))["m"] or 0) - cursor


def sync_pending(path: Path | None = None, *, wait_s: float = 5.0) -> int:
    """Bring this node's index up to date with the change log: apply the entries after its
    cursor, in order, or rebuild it when the log cannot (no cursor, or an unfinished rebuild).
    Returns the number of documents re-indexed (all of them, after a rebuild). Safe to run
    from several processes of a node at once: the index writer lock serialises them and the
    cursor is read under it. When the writer stays busy for ``wait_s``, the process holding
    it applies the log; this returns what it did so far. A long backlog (an import) is applied
    in one writer session with a bigger heap, committed every COMMIT_EVERY entries."""
    index_id = local_index_id(path)
    cursor = _cursor(index_id)
    if cursor is None or not cursor.ready:
        return rebuild(path=path, unless_ready=True)
    done = 0
    while True:
        options = BULK_WRITER if _backlog(index_id) >= BULK else {}
        try:
            with engine.writer(path, wait_s=wait_s, **options) as w:
                applied = _apply_pending(w, index_id)
        except engine.IndexBusy:
            log.info("search index busy; its writer applies the change log")
            return done
        if applied is None:
            return done + rebuild(path=path, unless_ready=True)
        last, count = applied
        if not last:
            break
        # The index has committed; now the cursor may move, never backwards (another process
        # of this node may have gone further meanwhile). If pruning deleted the cursor (the
        # node was taken for dead), the log no longer holds what this index needs.
        mine = IndexCursor.objects.filter(index_id=index_id, ready=True)
        mine.filter(applied_id__lt=last).update(applied_id=last, heartbeat=timezone.now())
        if not mine.exists():
            return done + rebuild(path=path, unless_ready=True)
        done += count
    if done:
        prune_log()
    return done


def heartbeat(path: Path | None = None) -> bool:
    """Tell the other nodes this index is alive; False when it has no cursor (it must rebuild)."""
    return bool(IndexCursor.objects.filter(index_id=local_index_id(path)).update(heartbeat=timezone.now()))


def prune_log() -> int:
    """Forget the indexes not heard from for GONGKAI_SEARCH_INDEX_TTL, then delete the log
    entries every remaining index has applied. Returns the number of entries deleted."""
    IndexCursor.objects.filter(heartbeat__lt=timezone.now() - settings.GONGKAI_SEARCH_INDEX_TTL).delete()
    # One statement: the lowest cursor is read by the DELETE itself, so a cursor that a
    # rebuild creates meanwhile (pinned where the rebuild started) is respected too.
    lowest = IndexCursor.objects.order_by("applied_id").values("applied_id")[:1]
    deleted, _ = PendingChange.objects.filter(id__lte=Subquery(lowest)).delete()
    return deleted


def rebuild(progress=None, *, path: Path | None = None, unless_ready: bool = False) -> int:
    """Rebuild this node's index from the database in one commit and reset its own cursor;
    readers see the old index until then, and other nodes are not disturbed. With
    ``unless_ready``, do nothing if another process of this node finished a rebuild first.
    Returns the number of documents indexed."""
    index_id = local_index_id(path)
    with engine.writer(path, heap_bytes=256_000_000, threads=2, wait_s=60) as w:
        if unless_ready and (cursor := _cursor(index_id)) is not None and cursor.ready:
            return 0
        # Pin the log where the rebuild starts: every entry committed before this was read
        # from the database by the rebuild; later ones are applied after it (idempotently).
        start = PendingChange.objects.aggregate(m=Max("id"))["m"] or 0
        IndexCursor.objects.update_or_create(
            index_id=index_id,
            defaults={
                "applied_id": start,
                "ready": False,
                "heartbeat": timezone.now(),
                "location": _location(path),
            },
        )
        w.delete_all_documents()
        n, after = 0, 0
        while rows := index_rows(after=after):
            for row in rows:
                w.add_document(engine.make_document(document_fields(row)))
            n, after = n + len(rows), rows[-1]["id"]
            if progress:
                progress(len(rows))
    IndexCursor.objects.filter(index_id=index_id).update(ready=True, heartbeat=timezone.now())
    prune_log()
    return n
