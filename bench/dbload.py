"""The synthetic documents as catalogue rows, for timing the database half of a search."""

from datetime import date
from pathlib import Path

from django.db import transaction

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.catalogue.models import DisclosureAttribute, Document, Genre, Subject, Visibility

from . import synth

BATCH = 2000


def _taxonomies() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    agencies = {}
    for a in synth.agencies():
        obj, _ = Agency.objects.get_or_create(
            code=a.code, defaults={"name": a.name, "level": AgencyLevel.CITY}
        )
        agencies[a.code] = obj.pk
    subjects = {}
    for i, name in enumerate(synth.SUBJECTS):
        obj, _ = Subject.objects.get_or_create(parent=None, name=name, defaults={"sort_order": i})
        subjects[name] = obj.pk
    genres = {}
    for i, (name, _) in enumerate(synth.GENRES):
        obj, _ = Genre.objects.get_or_create(name=name, defaults={"sort_order": i})
        genres[name] = obj.pk
    return agencies, subjects, genres


def load_documents(corpus: Path, *, progress=None, agency_for=None) -> int:
    """Insert every document of ``corpus`` as a published, proactively disclosed Document with
    the synthetic id as primary key (bulk inserts: no services, no audit, no index updates).
    ``agency_for(document)`` may return (agency pk, code) to file a document elsewhere than
    under its synthetic agency (the load test spreads some over a tree), or None."""
    agencies, subjects, genres = _taxonomies()
    n, batch = 0, []

    def flush():
        with transaction.atomic():
            Document.objects.bulk_create(batch)
        batch.clear()

    for d in synth.read_corpus(corpus):
        written = date.fromisoformat(d.written_on)
        agency_id, code = (agency_for and agency_for(d)) or (agencies[d.agency], d.agency)
        batch.append(
            Document(
                pk=d.id,
                agency_id=agency_id,
                index_no=f"{code}/{written.year}-{d.id:07d}",
                title=d.title,
                doc_no=d.doc_no,
                written_on=written,
                published_on=date.fromisoformat(d.published_on),
                subject_id=subjects[d.subject],
                genre_id=genres[d.genre],
                validity=d.validity,
                disclosure_attribute=DisclosureAttribute.PROACTIVE,
                visibility=Visibility.PUBLIC,
                body=d.body,
            )
        )
        n += 1
        if len(batch) >= BATCH:
            flush()
            if progress:
                progress(n)
    if batch:
        flush()
    return n
