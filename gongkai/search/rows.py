"""What the index needs of a document, as plain values, and its index fields.

Free of Django models, so the import's index worker (feedworker.py, a child process) can turn
rows into index documents without setting Django up.
"""

from .tokenize import index_text

# What the index needs of a document, read as plain values: a million model instances with
# their related rows cost more than tokenising them.
COLUMNS = (
    "id",
    "title",
    "doc_no",
    "doc_no_original",
    "normative_no",
    "summary",
    "keywords",
    "body",
    "agency__code",
    "subject__name",
    "subject__parent__name",
    "genre__name",
    "validity",
    "written_on",
    "published_on",
)


def document_fields(doc: dict) -> dict:
    """Index fields of a public document (a row of ``index_rows``): bigram streams and facet
    values."""
    subject, parent = doc["subject__name"], doc["subject__parent__name"]
    return {
        "id": doc["id"],
        # The title stream carries the document number (normalised, and as typed) and the
        # 规范性文件 registration number, so each is found as typed.
        "title": index_text(doc["title"], doc["doc_no"], doc["doc_no_original"], doc["normative_no"]),
        "body": index_text(doc["summary"], doc["keywords"], doc["body"], doc.get("attachments", "")),
        "agency": doc["agency__code"],
        "subject": parent or subject,
        "subject2": subject if parent else None,
        "genre": doc["genre__name"],
        "validity": doc["validity"],
        "year": doc["written_on"].year,
        "published": int(doc["published_on"].strftime("%Y%m%d")) if doc["published_on"] else 0,
    }
