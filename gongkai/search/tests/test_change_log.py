"""The change log followed by several indexes (docs/search.md, "Several nodes").

Each "node" here is a search directory of its own; the settings' GONGKAI_SEARCH_DIR says which
node the code runs on, as it does on a real node. Two real nodes: test_two_nodes.py."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from gongkai.catalogue.services import document_withdraw
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.search import engine, follower, indexer
from gongkai.search.models import IndexCursor, PendingChange
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def nodes(settings, tmp_path):
    """Two nodes, A and B, both up to date; the code runs on A unless switched."""
    dirs = {"A": tmp_path / "node-a", "B": tmp_path / "node-b"}

    def on(name):
        settings.GONGKAI_SEARCH_DIR = dirs[name]
        return dirs[name]

    on("B")
    indexer.sync_pending()
    on("A")
    indexer.sync_pending()
    on.dirs = dirs
    return on


def found(q: str) -> int:
    return search_documents(SearchQuery(q=q)).count


def cursor_of(path) -> IndexCursor:
    return IndexCursor.objects.get(index_id=indexer.local_index_id(path))


def test_a_publication_through_one_node_reaches_the_other_nodes_index(nodes):
    agency = make_agency()
    doc = make_document(agency, "关于防汛检查的通知", "防汛检查")  # through node A
    assert found("防汛检查") == 1  # A applied it after the commit
    nodes("B")
    assert found("防汛检查") == 0  # B has not looked at the log yet
    assert follower.follow_once() == 1
    assert found("防汛检查") == 1
    assert follower.follow_once() == 0  # nothing new: nothing done

    nodes("A")
    document_withdraw(document=doc, reason="已废止")
    nodes("B")
    follower.follow_once()
    assert found("防汛检查") == 0


def test_the_log_is_kept_until_every_live_index_has_applied_it(nodes):
    make_document(make_agency(), "教育文件", "教育")  # through A, applied by A
    assert PendingChange.objects.exists()  # B still needs it: the old outbox deleted it here
    nodes("B")
    follower.follow_once()
    assert not PendingChange.objects.exists()
    a, b = cursor_of(nodes.dirs["A"]), cursor_of(nodes.dirs["B"])
    assert a.applied_id == b.applied_id > 0


def test_entries_are_applied_in_order(nodes):
    doc = make_document(make_agency(), "教育文件", "教育")
    document_withdraw(document=doc, reason="有误")  # published then withdrawn, both logged
    nodes("B")
    follower.follow_once()
    assert search_documents(SearchQuery(q="教育")).count == 0


def test_an_index_not_heard_from_is_pruned_past_and_rebuilds_itself(nodes, settings):
    IndexCursor.objects.filter(index_id=indexer.local_index_id(nodes.dirs["B"])).update(
        heartbeat=timezone.now() - settings.GONGKAI_SEARCH_INDEX_TTL - timedelta(minutes=1)
    )
    make_document(make_agency(), "教育文件", "教育")  # through A
    # B is not live: A's sync pruned the log past it and forgot its cursor.
    assert not PendingChange.objects.exists()
    assert not IndexCursor.objects.filter(index_id=indexer.local_index_id(nodes.dirs["B"])).exists()
    nodes("B")  # B starts again: the log cannot tell it what it missed, so it rebuilds
    assert follower.follow_once() == 1
    assert found("教育") == 1
    assert cursor_of(nodes.dirs["B"]).ready


def test_a_live_index_keeps_the_log_even_when_long_behind(nodes):
    agency = make_agency()
    for n in range(3):
        make_document(agency, f"第{n}号通知", "安全生产")
    assert (
        PendingChange.objects.values("document_id").distinct().count() == 3
    )  # B is live (its heartbeat is recent)
    nodes("B")
    assert follower.follow_once() == 3
    assert found("安全生产") == 3


def test_reindex_on_one_node_disturbs_no_other(nodes):
    make_document(make_agency(), "教育文件", "教育")  # through A; B has not applied it
    b_before = cursor_of(nodes.dirs["B"]).applied_id
    call_command("reindex")  # on A
    assert cursor_of(nodes.dirs["A"]).applied_id == PendingChange.objects.latest("id").id
    assert cursor_of(nodes.dirs["B"]).applied_id == b_before
    assert PendingChange.objects.exists()  # still there for B
    nodes("B")
    follower.follow_once()
    assert found("教育") == 1


def test_a_deleted_index_directory_is_a_new_index_and_rebuilds(nodes):
    make_document(make_agency(), "教育文件", "教育")
    import shutil

    engine.reset_cache()
    shutil.rmtree(nodes.dirs["A"])
    engine.reset_cache()
    assert follower.follow_once() == 1  # a new id, no cursor: rebuilt from the database
    assert found("教育") == 1


def test_a_crash_between_commit_and_index_write_is_caught_up_by_the_follower(nodes):
    make_document(make_agency(), "教育文件", "教育")
    # Another process of node A logged a change and died before applying it.
    PendingChange.objects.create(document_id=PendingChange.objects.latest("id").document_id)
    assert follower.follow_once() == 1


def test_the_follower_thread_applies_a_change_within_seconds(nodes):
    stop = threading.Event()
    thread = threading.Thread(
        target=follower.run, args=(nodes.dirs["B"],), kwargs={"poll_s": 0.2, "stop": stop}
    )
    thread.start()
    try:
        make_document(make_agency(), "关于防汛检查的通知", "防汛检查")  # through A
        nodes("B")
        deadline = time.monotonic() + 5
        while found("防汛检查") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found("防汛检查") == 1
    finally:
        stop.set()
        thread.join(timeout=10)
