"""Following the change log from a serving process (docs/search.md, "Several nodes").

Each web process of `gongkai serve` runs one daemon thread that looks at the log every second:
two single-row reads when nothing changed, and when something did, it applies the new entries
to this node's index (indexer.sync_pending). So a change made through any node is searchable
through every node within a second or two, and a node that was stopped catches up when it
starts. The thread also beats the index's heartbeat and prunes the log now and then.

After every commit of the index, by this process or another one of the node, the thread also
computes this process's hot queries again (``warm_result_cache``): the result cache is keyed by
the commit (resultcache.py), so without it the first person to ask for 社会主义 after each
change would pay the full pass over 62% of the documents. It looks at the commit stamp (one
small file) every WARM_POLL_S, more often than at the log, so that another process's commit
is warmed soon after it too.
"""

import logging
import threading
import time
from pathlib import Path

from django.db import connection
from django.db.models import Max

from gongkai.core import pagecache

from . import engine, indexer, resultcache, services
from .models import IndexCursor, PendingChange

log = logging.getLogger(__name__)
POLL_S = 1.0
HEARTBEAT_S = 30.0
WARM_POLL_S = 0.25  # how often the commit stamp is looked at between two looks at the log
WARM_QUERIES = 8  # hot queries computed again after a commit (each one pass at most)
WARM_WITHIN_S = 600.0  # asked by a person this recently; a query nobody asks stops being warmed

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
    if cursor is None or not cursor[1] or latest > cursor[0]:
        done = indexer.sync_pending(path, wait_s=0.5)
    else:
        done = 0
    warm_result_cache(path)  # right after this process's own commit too
    return done


_seen_stamp = None  # the commit this process's follower last warmed for


def warm_result_cache(path: Path | None = None) -> int:
    """When the index has committed since the last look, compute the hot queries of this
    process's result cache again under the new commit, before people ask (resultcache.hot: at
    most WARM_QUERIES, their first pages). Returns the number of pages computed. A failure is
    logged and never stops the follower; the query is then computed when asked."""
    global _seen_stamp
    if engine.index_dir(path) != engine.index_dir():
        return 0  # search_index answers from the configured index only
    stamp = engine.commit_stamp()
    if stamp is None or stamp == _seen_stamp:
        return 0
    _seen_stamp = stamp
    done = 0
    for hot in resultcache.hot(str(engine.index_dir()), stamp, WARM_QUERIES, WARM_WITHIN_S):
        for sort, limit, offset in hot.pages:
            try:
                with resultcache.warming(hot.asked):
                    services.search_index(hot.query, sort=sort, limit=limit, offset=offset)
                done += 1
            except Exception:
                log.exception("search result cache: warming a query after a commit failed")
    return done


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
            # Until the next look at the log, look for commits of other processes of this node.
            until = time.monotonic() + poll_s
            while not stop.wait(min(WARM_POLL_S, max(0.0, until - time.monotonic()))):
                if time.monotonic() >= until:
                    break
                try:
                    warm_result_cache(path)
                except Exception:
                    log.exception("search result cache: warming failed")
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
