"""Marking documents stale for the search index, inside the caller's transaction.

The row is the durable promise; the after-commit hook is only the fast path. If the process
dies between the database commit and the index write, the rows stay and the next sync (any
later change, `gongkai reindex --pending`, or server start) applies them.
"""

from django.db import transaction

from .models import PendingChange


def mark_stale(document_ids: list[int]) -> None:
    """Queue documents for re-indexing; applied to the index after the transaction commits."""
    for doc_id in set(document_ids):
        PendingChange.objects.update_or_create(document_id=doc_id)
    # One sync per transaction is enough: it applies every queued row. An import of thousands
    # of documents would otherwise schedule thousands of (no-op) syncs.
    connection = transaction.get_connection()
    if not any(entry[1] is _sync_soon for entry in connection.run_on_commit):
        transaction.on_commit(_sync_soon, robust=True)


def _sync_soon() -> None:
    from .indexer import sync_pending

    sync_pending()
