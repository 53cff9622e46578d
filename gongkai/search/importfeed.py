"""Indexing a large import's documents while it writes them (issue 11: 2,000 documents/s end to
end, the search index committed).

An import used to write every batch, commit, and only then read every document back and index
it: the index build (tokenising on one core, tantivy's writer threads) was half of its time,
with the second core idle while the batches were written. Now a child process
(feedworker.py) holds this node's index writer for the length of the import and is sent each
batch's new public documents as plain rows right after they are inserted, so tokenising and
indexing run beside the database writes. Nothing is searchable before the database commits:
the child's index session is committed only after the import's transaction has committed,
and rolled back when it does not.

The change log stays the durable promise (changelog.py): the import still logs every document
it writes. After the commit the entries after this index's cursor are applied as the follower
would apply them, except the import's own entries for the documents the child already holds:
those lie in the import's range of the log (after the newest entry before its first batch, up
to its last) and name a document in the range of ids the import created. No other
transaction can log a document in that range inside that range of the log: the import holds
the audit chain's lock from its first batch to its commit, and documents created after its
first insert have larger ids than its first document. Then the index commits and the cursor
moves past everything applied.

Any failure of the feed (the writer is busy, the child died) turns it off and the import goes
on: the after-commit sync (changelog.py) or the follower applies the log from the database, as
for every other change.
"""

import logging
import multiprocessing
from array import array

from django.conf import settings
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from gongkai.catalogue.models import Genre, Subject

from . import feedworker, indexer
from .models import IndexCursor, PendingChange
from .rows import document_fields

log = logging.getLogger(__name__)

# Below this many lines the child's start (about half a second) costs more than it saves.
MIN_LINES = 10_000
WAIT_S = 10.0  # for the writer lock, held by a follower applying a change
SHARE_STEPS = 10  # the share tokenised here moves by a tenth of a batch at a time


class ImportFeed:
    """One import's feed. The catalogue's import calls ``added`` after each batch, inside its
    transaction, then ``committed`` after the commit or ``aborted``."""

    def __init__(self, path=None):
        self.path = path
        self.search_dir = str(path or settings.GONGKAI_SEARCH_DIR)
        ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connection
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=feedworker.main,
            args=(
                child,
                self.search_dir,
                indexer.BULK_WRITER["heap_bytes"],
                indexer.BULK_WRITER["threads"],
                WAIT_S,
            ),
            name="gongkai-import-index",
            daemon=True,
        )
        self.process.start()
        child.close()
        self.live = True
        self.ready = False
        self.before = None  # newest log entry before the import's first batch
        self.last = 0  # the import's newest log entry
        self.ids = array("q")  # documents the child holds
        self.in_flight = 0  # batches sent and not yet indexed by the child
        self.share = 0  # rows of a batch tokenised here (``_send``)
        self._names: dict[str, dict] = {"subject": {}, "genre": {}}

    # --- inside the import's transaction ---

    def begin(self) -> None:
        """Called inside the import's transaction before its first batch."""
        self.before = PendingChange.objects.aggregate(m=Max("id"))["m"] or 0

    def added(self, documents) -> None:
        """New documents of one batch, inserted and logged: send the public ones to the child."""
        if not self.live:
            return
        try:
            if not self.ready:
                self._await_ready()
            rows = [self._row(doc) for doc in documents if doc.is_public]
            self.ids.extend(row["id"] for row in rows)
            self._send(rows)
            self.last = PendingChange.objects.aggregate(m=Max("id"))["m"] or 0
        except Exception:
            log.exception("import index feed stopped; the change log will be applied after the commit")
            self._stop()

    def _send(self, rows: list[dict]) -> None:
        """Send a batch, tokenising its first ``share`` rows here when the child is behind.

        The child's work per document (tokenising, and tantivy's indexing) is more than this
        process's (parsing, the insert): alone it would set the pace, with this core waiting
        on the pipe. So while the child still works on an earlier batch, this process
        tokenises part of the next one itself; the share grows while the child is behind and
        shrinks when it has caught up, so both cores stay busy."""
        while self.conn.poll():  # the child's answers: batches it has finished
            answer = self.conn.recv()
            if answer[0] != "done":
                raise RuntimeError(answer[-1])
            self.in_flight -= 1
        step = max(1, len(rows) // SHARE_STEPS)
        if self.in_flight:
            self.share = min(len(rows), self.share + step)
        else:
            self.share = max(0, self.share - step)
        own = [document_fields(row) for row in rows[: self.share]]
        self.conn.send((feedworker.ADD, rows[self.share :], own))
        self.in_flight += 1

    # --- after the transaction ---

    def committed(self) -> None:
        """The import committed: apply the rest of the log to the child's session, commit the
        index, move the cursor. Never raises: on failure the log is applied the usual way."""
        if not self.live:
            return
        try:
            if not self.ready:
                self._await_ready()
            index_id = indexer.local_index_id(self.path)
            cursor = IndexCursor.objects.filter(index_id=index_id, ready=True).first()
            if cursor is None:  # the index must rebuild: the usual sync does it
                self._stop()
                return
            latest = self._apply_others(cursor.applied_id)
            self.conn.send((feedworker.COMMIT,))
            answer = self.conn.recv()
            while answer[0] == "done":  # the answers to the last batches
                answer = self.conn.recv()
            if answer[0] != "committed":
                raise RuntimeError(answer[-1])
            self.process.join(timeout=60)
            self.live = False
            mine = IndexCursor.objects.filter(index_id=index_id, ready=True)
            mine.filter(applied_id__lt=latest).update(applied_id=latest, heartbeat=timezone.now())
            indexer.prune_log()
        except Exception:
            log.exception("import index feed failed at the commit; the change log will be applied")
            self._stop()

    def aborted(self) -> None:
        """The import rolled back (or never wrote): drop the child's session."""
        self._stop()

    # --- the parts ---

    def _await_ready(self) -> None:
        answer = self.conn.recv()
        if answer[0] != "ready":
            raise RuntimeError(f"index writer not available: {answer[-1]}")
        self.ready = True

    def _stop(self) -> None:
        if self.live:
            self.live = False
            try:
                self.conn.send((feedworker.ROLLBACK,))
            except OSError:
                pass
        self.process.join(timeout=30)
        if self.process.is_alive():
            self.process.kill()
        self.conn.close()

    def _apply_others(self, applied: int) -> int:
        """Send the child every log entry after ``applied`` but the import's own for the
        documents it holds (module docstring), as the follower would apply them; returns the
        newest entry seen."""
        entries = PendingChange.objects.filter(id__gt=applied)
        newest = max(self.last, entries.aggregate(m=Max("id"))["m"] or 0)
        if self.ids and self.before is not None:
            entries = entries.exclude(
                id__gt=self.before,
                id__lte=self.last,
                document_id__gte=min(self.ids),
                document_id__lte=max(self.ids),
            )
        after = applied
        while batch := list(
            entries.filter(id__gt=after).order_by("id").values_list("id", "document_id")[: indexer.BATCH]
        ):
            ids = sorted({doc_id for _, doc_id in batch})
            self.conn.send((feedworker.REPLACE, ids, indexer.index_rows(ids)))
            after = batch[-1][0]
        return max(newest, after)

    def _row(self, doc) -> dict:
        """The plain values ``indexer.index_rows`` would read back for this document."""
        subject, parent = self._subject(doc.subject_id)
        return {
            "id": doc.pk,
            "title": doc.title,
            "doc_no": doc.doc_no,
            "doc_no_original": doc.doc_no_original,
            "normative_no": doc.normative_no,
            "summary": doc.summary,
            "keywords": doc.keywords,
            "body": doc.body,
            "agency__code": doc.agency.code,
            "subject__name": subject,
            "subject__parent__name": parent,
            "genre__name": self._genre(doc.genre_id),
            "validity": str(doc.validity),  # a plain str: the child has no models to unpickle enums
            "written_on": doc.written_on,
            "published_on": doc.published_on,
            "attachments": "",  # an imported document has none yet
        }

    def _subject(self, pk):
        if pk is None:
            return None, None
        names = self._names["subject"]
        if pk not in names:
            s = Subject.objects.select_related("parent").get(pk=pk)
            names[pk] = (s.name, s.parent.name if s.parent_id else None)
        return names[pk]

    def _genre(self, pk):
        if pk is None:
            return None
        names = self._names["genre"]
        if pk not in names:
            names[pk] = Genre.objects.get(pk=pk).name
        return names[pk]


def on_import_starting(sender, *, expected: int, **kwargs) -> ImportFeed | None:
    """Receiver of the catalogue's DOCUMENTS_IMPORT_STARTING: a feed for a large import."""
    if expected < MIN_LINES or connection.in_atomic_block:
        # Inside a caller's transaction the commit (and so the end of the feed) is not ours to see.
        return None
    # The index must follow the log before the import starts (a new node's index has no cursor
    # yet and is built first, from what the database holds now: nothing, on a new platform);
    # what is still pending is applied now rather than beside the import.
    try:
        indexer.sync_pending()
        return ImportFeed()
    except Exception:  # the import goes on; its log is applied after the commit as usual
        log.exception("import index feed not started")
        return None
