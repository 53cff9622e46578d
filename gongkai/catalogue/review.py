"""The proof the catalogue accepts before it publishes a document or changes a public one
(先审查、后公开, Art. 17), and who checks it.

The catalogue sits below publishing and knows nothing of its review chains
(docs/architecture.md). It defines what it needs: a ``ReviewAuthority`` that answers, from the
stored rows, whether an ``approval`` (the record the caller offers as proof) approved this
document, and whether a document is governed by a review at all (so an import run may not
overwrite it). Publishing registers the one authority in its ``AppConfig.ready``
(publishing/apps.py, with publishing/approval.py), as search listens for catalogue changes
through catalogue/changes.py.

Fail closed: with no authority registered no approval is proof and every document counts as
under review, so nothing is published or changed by a missing registration; and a second,
different authority is refused, so nothing can quietly replace the check.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class ReviewAuthority(Protocol):
    def approval_problem(self, approval, document) -> str | None:
        """Why ``approval`` does not authorise publishing ``document`` (None when it does)."""

    def under_review(self, document) -> bool:
        """Whether the document's content changes only through a review."""


_authority: ReviewAuthority | None = None


def register_review_authority(authority: ReviewAuthority) -> None:
    """Install the one authority that checks approvals (called once, by publishing)."""
    global _authority
    if _authority is not None and _authority is not authority:
        raise ImproperlyConfigured("The catalogue's review authority is already registered.")
    _authority = authority


def review_problem(approval, document) -> str | None:
    """Why ``approval`` is no proof for publishing or changing ``document`` (None when it is)."""
    if _authority is None:
        return "没有可用的审查机制。"
    return _authority.approval_problem(approval, document)


def under_review(document) -> bool:
    """Whether ``document`` is governed by a review chain (True when no authority answers)."""
    return True if _authority is None else _authority.under_review(document)
