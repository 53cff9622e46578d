"""The catalogue's notice that documents changed, for whatever is derived from them.

The catalogue sits below search and knows nothing of it (docs/architecture.md; the import-linter
contract "the catalogue does not know who follows its changes"). Every service that changes what
a document shows calls ``documents_changed`` inside its transaction; an app that keeps something
derived from documents (the search index's change log, gongkai/search/changelog.py) connects a
receiver to ``DOCUMENTS_CHANGED`` in its ``AppConfig.ready``. Receivers run synchronously, in the
caller's transaction, so what they write commits or rolls back with the change, and an error in
one rolls the change back (Signal.send, not send_robust).
"""

from django.dispatch import Signal

# Sent with ``ids``: the sorted, distinct primary keys of the documents that changed.
DOCUMENTS_CHANGED = Signal()


def documents_changed(ids) -> None:
    """Tell the receivers that these documents changed (in the current transaction)."""
    ids = sorted(set(ids))
    if ids:
        DOCUMENTS_CHANGED.send(sender=documents_changed, ids=ids)
