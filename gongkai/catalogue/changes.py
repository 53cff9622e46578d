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


# Sent by a large import before its transaction, with ``expected`` (its number of lines). A
# receiver may answer with an observer of the import (the search index's feed, which indexes
# the documents while they are written): ``begin()`` inside the transaction before the first
# batch, ``added(documents)`` after each batch of new documents is inserted and announced,
# then ``committed()`` after the commit or ``aborted()``. Observers must not raise from
# ``committed``/``aborted``; what they keep must still follow from DOCUMENTS_CHANGED alone.
DOCUMENTS_IMPORT_STARTING = Signal()


def import_observers(expected: int) -> list:
    """The observers of an import of ``expected`` lines that is about to start."""
    responses = DOCUMENTS_IMPORT_STARTING.send(sender=import_observers, expected=expected)
    return [observer for _, observer in responses if observer is not None]
