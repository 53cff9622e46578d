"""The import's write path (issue 11, section 1): batches inside one transaction per file.

Each batch of new documents is one bulk insert, one allocation of index numbers per period,
ONE audit event naming every document and the file's SHA-256, and one change-log write; the
file commits or rolls back as a whole, and a re-import changes nothing.
"""

import hashlib
import json
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from gongkai.agencies.models import AgencyLevel
from gongkai.catalogue.importing import import_documents
from gongkai.catalogue.models import Document, DocumentImport, IndexSequence, Visibility
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.audit import audit_verify
from gongkai.core.jsonl import ImportFailed
from gongkai.core.models import AuditEvent
from gongkai.core.tests.helpers import ensure_taxonomy
from gongkai.search.models import PendingChange
from gongkai.search.services import SearchQuery, search_documents


@pytest.fixture
def agency(db):
    ensure_taxonomy()
    return make_agency("江州市人民政府", code="800000011", level=AgencyLevel.CITY)


def lines(n: int, *, start: int = 0) -> list[bytes]:
    """``n`` distinct documents over two years (2023 and 2024)."""
    return [
        json.dumps(
            {
                "title": f"江州市人民政府关于第{i}号防汛事项的通知",
                "content": f"各区县：现就第{i}号防汛事项通知如下。",
                "written_on": f"{2023 + i % 2}-06-{1 + i % 28:02d}",
                "url": f"https://www.example.gov.cn/zwgk/{i}.html",
            },
            ensure_ascii=False,
        ).encode()
        for i in range(start, start + n)
    ]


def sha256_of(raw: list[bytes]) -> str:
    digest = hashlib.sha256()
    for line in raw:
        digest.update(line)
    return digest.hexdigest()


@pytest.mark.django_db(transaction=True)
def test_each_batch_is_one_audit_event_naming_every_document_and_the_file(agency):
    raw = lines(25)
    result = import_documents(raw, agency=agency, batch_size=10)
    assert (result.imported, result.updated) == (25, 0)
    run = DocumentImport.objects.get()
    events = list(AuditEvent.objects.filter(action="document_publish_batch").order_by("id"))
    assert [len(e.after["documents"]) for e in events] == [10, 10, 5]
    for event in events:
        assert event.object_id == str(run.pk)
        assert event.after["through"] == f"import:{run.pk}"
        assert event.after["sha256"] == run.sha256 == sha256_of(raw)
    named = [tuple(d) for e in events for d in e.after["documents"]]
    stored = Document.objects.filter(imported_from=run, visibility=Visibility.PUBLIC)
    assert sorted(named) == sorted(stored.values_list("pk", "index_no"))
    # The run, three batches, and not one event per document.
    assert AuditEvent.objects.count() == 1 + 3
    assert audit_verify() == []
    # Searchable once the import returns (the change log was applied after the commit).
    assert search_documents(SearchQuery(q="第24号防汛事项")).count == 1
    assert not PendingChange.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_index_numbers_are_allocated_per_batch_without_gaps(agency):
    import_documents(lines(23), agency=agency, batch_size=5)
    numbers = Document.objects.values_list("written_on", "index_no")
    by_year: dict[int, list[int]] = {}
    for written_on, index_no in numbers:
        assert index_no.startswith(f"{agency.code}/{written_on.year}-")
        by_year.setdefault(written_on.year, []).append(int(index_no.rsplit("-", 1)[1]))
    assert {year: sorted(seqs) for year, seqs in by_year.items()} == {
        2023: list(range(1, 13)),
        2024: list(range(1, 12)),
    }
    assert dict(IndexSequence.objects.values_list("year", "last")) == {2023: 12, 2024: 11}
    # Line order is kept within a year: the file's first 2024 document (line 2) has number 1.
    first = Document.objects.get(title="江州市人民政府关于第1号防汛事项的通知")
    assert first.index_no == f"{agency.code}/2024-00001"


def test_numbers_continue_after_a_period_already_used(agency):
    """The batch's one upsert moves existing sequences on and creates missing ones."""
    IndexSequence.objects.create(agency=agency, year=2023, month=0, last=40)
    import_documents(lines(4), agency=agency, batch_size=4)
    assert dict(IndexSequence.objects.filter(agency=agency).values_list("year", "last")) == {
        2023: 42,
        2024: 2,
    }
    assert sorted(Document.objects.filter(written_on__year=2023).values_list("index_no", flat=True)) == [
        f"{agency.code}/2023-00041",
        f"{agency.code}/2023-00042",
    ]


def test_bulk_written_rows_read_back_as_saved(agency):
    """Values written in bulk (COPY on PostgreSQL) read back as save() would store them:
    choices by value, JSON as JSON, timestamps set."""
    import_documents(lines(3), agency=agency, batch_size=3)
    for doc in Document.objects.all():
        assert doc.visibility == Visibility.PUBLIC
        assert isinstance(doc.issuers, list) and isinstance(doc.topics, list)
        assert doc.created_at is not None and doc.updated_at is not None
    assert Document.objects.filter(visibility="public", validity="in_force").count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_bad_line_after_written_batches_imports_nothing(agency):
    raw = [*lines(25), b'{"title": "no content"}', *lines(3, start=100), b"{not json"]
    with pytest.raises(ImportFailed) as failed:
        import_documents(raw, agency=agency, batch_size=10)
    assert [str(e) for e in failed.value.errors] == [
        "line 26: missing field 'content'",
        "line 30: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
    ]
    # Two batches had been written inside the file's transaction: all rolled back.
    assert not Document.objects.exists()
    assert not DocumentImport.objects.exists()
    assert not AuditEvent.objects.exists()
    assert not PendingChange.objects.exists()
    assert not IndexSequence.objects.filter(last__gt=0).exists()
    # And a good file afterwards starts its numbers at 1.
    import_documents(lines(2), agency=agency)
    assert sorted(Document.objects.values_list("index_no", flat=True)) == [
        f"{agency.code}/2023-00001",
        f"{agency.code}/2024-00001",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_line_in_a_later_batch_is_reported_and_nothing_is_imported(agency):
    raw = [*lines(12), lines(1, start=3)[0]]
    with pytest.raises(ImportFailed) as failed:
        import_documents(raw, agency=agency, batch_size=5)
    assert [str(e) for e in failed.value.errors] == [
        "line 13: the same document as line 4 (same url, or same title and date)"
    ]
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_reimporting_a_batched_file_is_idempotent(agency):
    raw = lines(12)
    import_documents(raw, agency=agency, batch_size=5)
    before = (Document.objects.count(), AuditEvent.objects.count(), PendingChange.objects.count())
    result = import_documents(raw, agency=agency, batch_size=5)
    assert (result.imported, result.updated, result.unchanged) == (0, 12, 12)
    # Only the second run itself is recorded; no document, number or log entry changed.
    assert (Document.objects.count(), AuditEvent.objects.count() - 1, PendingChange.objects.count()) == before
    assert AuditEvent.objects.order_by("-id").first().action == "document_import"
    # A file that adds documents to an earlier one imports only the new ones.
    result = import_documents(lines(15), agency=agency, batch_size=5)
    assert (result.imported, result.unchanged) == (3, 12)
    assert Counter(Document.objects.values_list("index_no", flat=True)).most_common(1)[0][1] == 1


@pytest.mark.django_db(transaction=True)
def test_dry_run_of_several_batches_writes_nothing(agency):
    result = import_documents(lines(12), agency=agency, batch_size=5, dry_run=True)
    assert result.imported == 12
    assert not Document.objects.exists() and not AuditEvent.objects.exists()
    assert not IndexSequence.objects.filter(last__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_progress_counts_every_line(agency):
    seen = []
    import_documents(lines(23), agency=agency, batch_size=10, progress=seen.append)
    assert seen == [10, 10, 3]


@pytest.mark.django_db(transaction=True)
def test_the_command_streams_the_file_in_batches(agency, tmp_path):
    path = tmp_path / "catalogue.jsonl"
    raw = lines(7)
    path.write_bytes(b"\n".join(raw))  # no newline after the last line
    out = tmp_path / "out.json"
    with out.open("w") as fh:
        call_command(
            "import_documents", str(path), "--agency", agency.code, "--json", "--batch-size", "3", stdout=fh
        )
    assert json.loads(out.read_text()) == {"imported": 7, "updated": 0}
    run = DocumentImport.objects.get()
    assert run.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert AuditEvent.objects.filter(action="document_publish_batch").count() == 3
    assert Document.objects.filter(written_on=date(2024, 6, 2)).exists()
