"""Search results as plain data: the one shape shared by `gongkai search --json` and
`GET /api/v1/documents` (interfaces.md)."""

from collections.abc import Callable

from django.urls import NoReverseMatch, reverse

from gongkai.catalogue.dates import precise_iso
from gongkai.catalogue.models import Document

from .services import SearchResults

RESULT_KEYS = (
    "index_no",
    "title",
    "agency",
    "doc_no",
    "subject",
    "genre",
    "written_on",
    "published_on",
    "validity",
    "url",
    "highlight",
)


def document_url(index_no: str) -> str:
    """Path of a document's public page; the portal's route when installed."""
    try:
        return reverse("portal:document", args=[index_no])
    except NoReverseMatch:
        return f"/documents/{index_no}/"


def written_on_value(doc: Document) -> str:
    """The date of creation with its precision: "2023", "2023-05" or "2023-05-17"."""
    return precise_iso(doc.written_on, doc.written_on_precision)


def published_on_value(doc: Document) -> str | None:
    """The publication date with its precision, as written_on_value; None before publication."""
    return precise_iso(doc.published_on, doc.published_on_precision)


def hit_to_dict(hit, *, absolute_url: Callable[[str], str] | None = None) -> dict:
    """One search hit. ``agency`` and ``validity`` are codes (the values the filters take);
    ``subject`` is the first-level subject name, as in the facet; ``highlight`` is an HTML
    fragment: the text is escaped and each match is wrapped in ``<mark>``."""
    doc = hit.document
    path = document_url(doc.index_no)
    return {
        "index_no": doc.index_no,
        "title": doc.title,
        "agency": doc.agency.code,
        "doc_no": doc.doc_no,
        "subject": doc.subject.top.name if doc.subject_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "written_on": written_on_value(doc),
        "published_on": published_on_value(doc),
        "validity": doc.validity,
        "url": absolute_url(path) if absolute_url else path,
        "highlight": str(hit.highlight),
    }


def results_to_dict(results: SearchResults, *, absolute_url: Callable[[str], str] | None = None) -> dict:
    """``{"count", "results", "facets"}`` for a page of search results. ``absolute_url``
    turns a path into a full URL (the API passes ``request.build_absolute_uri``)."""
    return {
        "count": results.count,
        "results": [hit_to_dict(hit, absolute_url=absolute_url) for hit in results.hits],
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
            for name, values in results.facets.items()
        },
    }
