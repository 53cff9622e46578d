"""Recording document changes in the search change log, inside the caller's transaction.

The catalogue does not call this module: it announces changes (gongkai/catalogue/changes.py)
and search listens (``on_documents_changed``, connected in SearchConfig.ready), so the
dependency points one way, from search down to the catalogue.

The log entry is the durable promise; the after-commit hook is only the fast path for this
node's own index. Every other node's index (and this one, if the process dies between the
database commit and the index write) applies the entry when its follower next looks at the
log (indexer.py, follower.py), within a second or two.
"""

from django.db import transaction

from gongkai.core.audit import audit_chain_lock

from .models import PendingChange


def mark_stale(document_ids: list[int]) -> None:
    """Log the documents as changed; applied to every index after the transaction commits."""
    ids = sorted(set(document_ids))
    if not ids:
        return
    with transaction.atomic():
        # The audit chain's append lock (held by every document change until it commits) makes
        # log ids grow in commit order, so a follower that has seen id n has seen every id < n.
        audit_chain_lock()
        PendingChange.objects.bulk_create([PendingChange(document_id=doc_id) for doc_id in ids])
    # One sync per transaction is enough: it applies every entry after the cursor. An import of
    # thousands of documents would otherwise schedule thousands of (no-op) syncs.
    connection = transaction.get_connection()
    if not any(entry[1] is _sync_soon for entry in connection.run_on_commit):
        transaction.on_commit(_sync_soon, robust=True)


def on_documents_changed(sender, *, ids: list[int], **kwargs) -> None:
    """Receiver of the catalogue's DOCUMENTS_CHANGED notice."""
    mark_stale(ids)


def on_import_starting(sender, *, expected: int, **kwargs):
    """Receiver of the catalogue's DOCUMENTS_IMPORT_STARTING: the index feed of a large import."""
    from .importfeed import on_import_starting  # heavy library (tantivy) kept off start-up

    return on_import_starting(sender, expected=expected)


def _sync_soon() -> None:
    from .indexer import sync_pending  # heavy library (tantivy) kept off start-up

    sync_pending()
