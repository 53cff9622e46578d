import os
import sys

import pytest
from django.core.management import call_command

from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.search.models import PendingChange
from gongkai.search.services import SearchQuery, search_documents

pytestmark = pytest.mark.django_db


class Replaced(Exception):
    """Stands for the moment the process becomes gunicorn."""


def test_serve_applies_queued_index_changes_then_becomes_gunicorn(monkeypatch):
    # Outside a transactional test the after-commit sync never runs: the change stays queued,
    # as when a process dies between its commit and the index write.
    make_document(make_agency(), "关于开展防汛检查的通知", "防汛检查")
    assert PendingChange.objects.exists()
    started = []

    def execv(path, argv):
        started.append(argv)
        raise Replaced

    monkeypatch.setattr(os, "execv", execv)
    with pytest.raises(Replaced):
        call_command("serve", "--port", "8123", "--workers", "3")
    assert not PendingChange.objects.exists()
    assert search_documents(SearchQuery(q="防汛检查")).count == 1
    argv = started[0]
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "gongkai.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"
