"""Keeping the index in step with the database, which stays the source of truth."""

import logging

import tantivy
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gongkai.catalogue.models import Document

from . import engine
from .models import PendingChange
from .tokenize import index_text

log = logging.getLogger(__name__)
BATCH = 500


def document_fields(doc: Document) -> dict:
    """Index fields of a public document: bigram streams and facet values."""
    attachments = " ".join(a.text for a in doc.attachments.all())
    subject = doc.subject
    return {
        "id": doc.pk,
        "title": index_text(doc.title, doc.doc_no),
        "body": index_text(doc.summary, doc.keywords, doc.body, attachments),
        "agency": doc.agency.code,
        "subject": subject.top.name if subject else None,
        "subject2": subject.name if subject and subject.parent_id else None,
        "genre": doc.genre.name if doc.genre_id else None,
        "validity": doc.validity,
        "year": doc.written_on.year,
        "published": int(doc.published_on.strftime("%Y%m%d")) if doc.published_on else 0,
    }


def _public_documents(ids=None):
    qs = Document.objects.public().select_related("agency", "subject__parent", "genre").prefetch_related(
        "attachments"
    )
    return qs.filter(pk__in=ids) if ids is not None else qs.order_by("pk")


def sync_pending() -> int:
    """Apply queued changes to the index; returns how many documents were processed. Safe to
    run from several processes: the index writer lock serialises them, and a change queued
    again while this runs stays queued (its timestamp moved)."""
    done = 0
    while True:
        batch = list(PendingChange.objects.order_by("queued_at").values_list("document_id", "queued_at")[:BATCH])
        if not batch:
            return done
        ids = [doc_id for doc_id, _ in batch]
        try:
            with engine.writer() as w:
                for doc_id in ids:
                    w.delete_documents_by_query(tantivy.Query.term_query(engine.SCHEMA, "id", doc_id))
                for doc in _public_documents(ids):
                    w.add_document(engine.make_document(document_fields(doc)))
        except engine.IndexBusy:
            log.warning("search index busy; %d changes stay queued", len(ids))
            return done
        cond = Q(pk__in=[])
        for doc_id, queued_at in batch:
            cond |= Q(document_id=doc_id, queued_at=queued_at)
        with transaction.atomic():
            PendingChange.objects.filter(cond).delete()
        done += len(ids)


def rebuild(progress=None) -> int:
    """Rebuild the whole index from the database in one commit; readers see the old index
    until then. Returns the number of documents indexed."""
    started = timezone.now()
    n = 0
    with engine.writer(heap_bytes=256_000_000, threads=2, wait_s=60) as w:
        w.delete_all_documents()
        for doc in _public_documents().iterator(chunk_size=BATCH):
            w.add_document(engine.make_document(document_fields(doc)))
            n += 1
            if progress:
                progress(1)
    # Everything queued before the rebuild began was read from the database by it.
    PendingChange.objects.filter(queued_at__lt=started).delete()
    return n
