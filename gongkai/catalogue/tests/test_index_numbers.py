import threading
from datetime import date

import pytest
from django.db import connection, transaction

from gongkai.catalogue.models import Document
from gongkai.catalogue.services import DocumentFields, document_create, document_update
from gongkai.catalogue.tests.factories import make_agency, make_document, publish_imported

pytestmark = pytest.mark.django_db(transaction=True)


def test_index_number_has_the_2008_default_format():
    agency = make_agency(code="000014349")
    doc = make_document(agency, written_on=date(2024, 5, 1))
    assert doc.index_no == "000014349/2024-00001"


def test_sequence_is_per_agency_and_year():
    a, b = make_agency(), make_agency()
    first = make_document(a, written_on=date(2023, 1, 1))
    second = make_document(a, written_on=date(2024, 1, 1))
    third = make_document(b, written_on=date(2024, 1, 1))
    fourth = make_document(a, written_on=date(2024, 6, 1))
    assert [first.index_no[-10:], second.index_no[-10:], third.index_no[-10:], fourth.index_no[-10:]] == [
        "2023-00001",
        "2024-00001",
        "2024-00001",
        "2024-00002",
    ]


def test_a_rolled_back_publication_leaves_no_gap():
    agency = make_agency()
    make_document(agency)
    draft = make_document(agency, publish=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        publish_imported(draft)
        raise RuntimeError("process died mid-way")
    draft.refresh_from_db()
    assert draft.index_no is None
    assert publish_imported(draft).index_no.endswith("-00002")


def test_index_number_never_changes_when_metadata_changes():
    agency = make_agency()
    doc = make_document(agency, written_on=date(2024, 1, 1))
    original = doc.index_no
    fields = DocumentFields(title="改过的标题", written_on=date(2020, 1, 1))
    document_update(document=doc, fields=fields, imported=doc.imported_from)
    doc.refresh_from_db()
    assert doc.index_no == original


def test_concurrent_publication_assigns_unique_gap_free_numbers():
    agency = make_agency()
    drafts = [
        document_create(agency=agency, fields=DocumentFields(title=f"文件{i}", written_on=date(2024, 1, 1)))
        for i in range(24)
    ]
    errors: list[BaseException] = []

    def publish(chunk):
        try:
            for doc in chunk:
                publish_imported(doc)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(drafts[i::6],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Document.objects.filter(agency=agency).values_list("index_no", flat=True))
    assert numbers == [f"{agency.code}/2024-{n:05d}" for n in range(1, 25)]
