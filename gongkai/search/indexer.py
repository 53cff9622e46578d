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

from gongkai.catalogue.models import Document

from . import engine
from .models import IndexCursor, PendingChange
from .tokenize import index_text

log = logging.getLogger(__name__)
BATCH = 500


def document_fields(doc: Document) -> dict:
    """Index fields of a public document: bigram streams and facet values."""
    attachments = " ".join(a.text for a in doc.attachments.all())
    subject = doc.subject
    return {
        "id": doc.pk,
        "title": index_text(doc.title, doc.doc_no),
        "body": index_text(doc.summary, doc.keywords, doc.body, attachments),
        "agency": doc.agency.code,
        "subject": subject.top.name if subject else None,
        "subject2": subject.name if subject and subject.parent_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "validity": doc.validity,
        "year": doc.written_on.year,
        "published": int(doc.published_on.strftime("%Y%m%d")) if doc.published_on else 0,
    }


def _public_documents(ids=None):
    qs = (
        Document.objects.public()
        .select_related("agency", "subject__parent", "genre")
        .prefetch_related("attachments")
    )
    return qs.filter(pk__in=ids) if ids is not None else qs.order_by("pk")


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


def _apply_next_batch(w, index_id: str) -> list[tuple[int, int]] | None:
    """Apply the next entries after the cursor (read under the writer lock) to the index
    writer ``w``; returns them, [] when there are none, None when the index must rebuild."""
    cursor = _cursor(index_id)  # another process of this node may have moved it
    if cursor is None or not cursor.ready:
        return None
    batch = list(
        PendingChange.objects.filter(id__gt=cursor.applied_id)
        .order_by("id")
        .values_list("id", "document_id")[:BATCH]
    )
    ids = sorted({doc_id for _, doc_id in batch})
    for doc_id in ids:
        w.delete_documents_by_query(tantivy.Query.term_query(engine.SCHEMA, "id", doc_id))
    for doc in _public_documents(ids):
        w.add_document(engine.make_document(document_fields(doc)))
    return batch


def sync_pending(path: Path | None = None, *, wait_s: float = 5.0) -> int:
    """Bring this node's index up to date with the change log: apply the entries after its
    cursor, in order, or rebuild it when the log cannot (no cursor, or an unfinished rebuild).
    Returns the number of documents re-indexed (all of them, after a rebuild). Safe to run
    from several processes of a node at once: the index writer lock serialises them and the
    cursor is read under it. When the writer stays busy for ``wait_s``, the process holding
    it applies the log; this returns what it did so far."""
    index_id = local_index_id(path)
    cursor = _cursor(index_id)
    if cursor is None or not cursor.ready:
        return rebuild(path=path, unless_ready=True)
    done = 0
    while True:
        try:
            with engine.writer(path, wait_s=wait_s) as w:
                batch = _apply_next_batch(w, index_id)
        except engine.IndexBusy:
            log.info("search index busy; its writer applies the change log")
            return done
        if batch is None:
            return done + rebuild(path=path, unless_ready=True)
        if not batch:
            break
        # The index has committed; now the cursor may move, never backwards (another process
        # of this node may have gone further meanwhile). If pruning deleted the cursor (the
        # node was taken for dead), the log no longer holds what this index needs.
        mine = IndexCursor.objects.filter(index_id=index_id, ready=True)
        mine.filter(applied_id__lt=batch[-1][0]).update(applied_id=batch[-1][0], heartbeat=timezone.now())
        if not mine.exists():
            return done + rebuild(path=path, unless_ready=True)
        done += len({doc_id for _, doc_id in batch})
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
        n = 0
        for doc in _public_documents().iterator(chunk_size=BATCH):
            w.add_document(engine.make_document(document_fields(doc)))
            n += 1
            if progress:
                progress(1)
    IndexCursor.objects.filter(index_id=index_id).update(ready=True, heartbeat=timezone.now())
    prune_log()
    return n
