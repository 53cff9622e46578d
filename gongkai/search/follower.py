"""Following the change log from a serving process (docs/search.md, "Several nodes").

Each web process of `gongkai serve` runs one daemon thread that looks at the log every second:
two single-row reads when nothing changed, and when something did, it applies the new entries
to this node's index (indexer.sync_pending). So a change made through any node is searchable
through every node within a second or two, and a node that was stopped catches up when it
starts. The thread also beats the index's heartbeat and prunes the log now and then.
"""

import logging
import threading
import time
from pathlib import Path

from django.db import connection
from django.db.models import Max

from gongkai.core import pagecache

from . import engine, indexer
from .models import IndexCursor, PendingChange

log = logging.getLogger(__name__)
POLL_S = 1.0
HEARTBEAT_S = 30.0

_started: threading.Thread | None = None
_start_lock = threading.Lock()


def follow_once(path: Path | None = None) -> int:
    """Bring the index up to date if the log has moved past its cursor; returns the number
    of documents re-indexed (all of them, after a rebuild). Raises engine.IndexBusy when
    another process of this node holds the writer (it is applying them)."""
    index_id = indexer.local_index_id(path)
    cursor = IndexCursor.objects.filter(index_id=index_id).values_list("applied_id", "ready").first()
    latest = PendingChange.objects.aggregate(m=Max("id"))["m"] or 0
    # Cached pages and search results are keyed by how far this node's index has got, so none
    # rendered from the index before it applied a change outlives the change (core/pagecache.py).
    pagecache.set_local_part("search", cursor[0] if cursor is not None and cursor[1] else -1)
    if cursor is not None and cursor[1] and latest <= cursor[0]:
        return 0
    return indexer.sync_pending(path, wait_s=0.5)


def run(path: Path | None = None, *, poll_s: float = POLL_S, stop: threading.Event | None = None) -> None:
    """Follow the log until ``stop`` is set (the body of the follower thread)."""
    stop = stop or threading.Event()
    last_beat = 0.0
    try:
        while not stop.is_set():
            try:
                follow_once(path)
                if time.monotonic() - last_beat >= HEARTBEAT_S:
                    indexer.heartbeat(path)
                    indexer.prune_log()
                    last_beat = time.monotonic()
            except engine.IndexBusy:
                pass  # another process of this node is writing the index: it applies the log
            except Exception:
                log.exception("search index follower: will retry")
                connection.close()  # a broken connection is reopened on the next look
            stop.wait(poll_s)
    finally:
        connection.close()


def start(path: Path | None = None, *, poll_s: float = POLL_S) -> threading.Thread:
    """Start this process's follower thread (once; later calls return the running one)."""
    global _started
    with _start_lock:
        if _started is None or not _started.is_alive():
            _started = threading.Thread(
                target=run, args=(path,), kwargs={"poll_s": poll_s}, name="search-follower", daemon=True
            )
            _started.start()
        return _started
