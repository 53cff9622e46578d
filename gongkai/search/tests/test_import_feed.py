"""A large import's documents are indexed beside its writes (importfeed.py, issue 11 §1): they
are searchable once the import commits, never before it and never after a rollback, the
index's cursor moves past the import, and changes logged by others are not lost."""

import json

import pytest
from django.db import transaction

from gongkai.catalogue.importing import import_documents
from gongkai.catalogue.models import Document
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.core.jsonl import ImportFailed
from gongkai.search import importfeed, indexer
from gongkai.search.models import IndexCursor, PendingChange
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def feed_for_small_files(monkeypatch):
    """The feed starts for any import here (its threshold is a tuning constant)."""
    monkeypatch.setattr(importfeed, "MIN_LINES", 1)


@pytest.fixture
def read_back(monkeypatch):
    """The ids the index reads back from the database (indexer.index_rows), as they are read."""
    seen: list[int] = []
    real = indexer.index_rows

    def counting(ids=None, **kwargs):
        rows = real(ids, **kwargs)
        seen.extend(row["id"] for row in rows)
        return rows

    monkeypatch.setattr(indexer, "index_rows", counting)
    return seen


def lines(n: int, word: str = "汛情会商") -> list[bytes]:
    return [
        json.dumps(
            {
                "title": f"关于第{i}次{word}的通知",
                "content": f"各区县：现就第{i}次{word}工作通知如下。",
                "written_on": "2024-03-01",
                "url": f"https://www.example.gov.cn/zwgk/{word}-{i}.html",
            },
            ensure_ascii=False,
        ).encode()
        for i in range(n)
    ]


def found(q: str) -> int:
    return search_documents(SearchQuery(q=q)).count


def cursor() -> IndexCursor:
    return IndexCursor.objects.get(index_id=indexer.local_index_id())


def test_a_large_import_is_searchable_after_its_commit_without_reading_it_back(
    feed_for_small_files, read_back
):
    agency = make_agency("江州市人民政府", code="900000011")
    # A new node: its index has never been built (no cursor); the import starts it first.
    assert not IndexCursor.objects.exists()
    result = import_documents(lines(40), agency=agency, expected=40)
    assert result.imported == 40
    assert found("汛情会商") == 40
    imported = set(Document.objects.filter(agency=agency).values_list("pk", flat=True))
    assert not imported & set(read_back)  # indexed from the rows in hand, not read back
    # The cursor moved past the import's entries, which were then pruned (one index, caught up).
    assert not PendingChange.objects.filter(id__gt=cursor().applied_id).exists()
    assert indexer.sync_pending() == 0


def test_a_rolled_back_import_leaves_nothing_in_the_index_and_frees_the_writer(feed_for_small_files):
    agency = make_agency("江州市人民政府", code="900000011")
    indexer.sync_pending()
    bad = [*lines(30), b'{"title": ""}']  # the last line is refused: nothing is imported
    with pytest.raises(ImportFailed):
        import_documents(bad, agency=agency, expected=31)
    assert found("汛情会商") == 0
    assert not Document.objects.filter(agency=agency).exists()
    # The writer was released: a publication right after is applied and found.
    make_document(agency, "关于防汛检查的通知", "防汛检查")
    assert found("防汛检查") == 1


def test_changes_logged_by_others_before_the_import_are_applied_with_it(feed_for_small_files):
    agency = make_agency("江州市人民政府", code="900000011")
    doc = make_document(agency, "关于春耕生产的通知", "春耕生产")
    assert found("春耕生产") == 1
    # Another node changed the document; this index has not applied the entry yet.
    with transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(title="关于秋粮收购的通知")
        PendingChange.objects.create(document_id=doc.pk)
    result = import_documents(lines(20), agency=agency, expected=20)
    assert result.imported == 20
    assert found("汛情会商") == 20
    assert found("秋粮收购") == 1  # its new title, from the entry logged before the import


def test_a_small_import_keeps_the_after_commit_sync(read_back):
    agency = make_agency("江州市人民政府", code="900000011")
    indexer.sync_pending()
    import_documents(lines(5), agency=agency, expected=5)  # under MIN_LINES: no child process
    assert found("汛情会商") == 5
    assert len(read_back) == 5  # read back from the database after the commit, as before


def test_documents_tokenised_by_the_importing_process_are_indexed_alike(feed_for_small_files, monkeypatch):
    """When the child falls behind, the importing process tokenises part of each batch itself
    (importfeed._send); those documents must be found exactly as the child's are."""
    real_send = importfeed.ImportFeed._send
    shares = []

    def child_always_behind(self, rows):
        self.in_flight = max(self.in_flight, 1)
        real_send(self, rows)
        shares.append(self.share)

    monkeypatch.setattr(importfeed.ImportFeed, "_send", child_always_behind)
    agency = make_agency("江州市人民政府", code="900000011")
    result = import_documents(lines(60), agency=agency, expected=60, batch_size=10)
    assert result.imported == 60
    assert shares == [1, 2, 3, 4, 5, 6]  # a tenth of a batch more each time the child is behind
    assert found("汛情会商") == 60
    assert found("第0次汛情会商") == 1  # the first document, tokenised here
