"""Two real `gongkai serve` nodes on one PostgreSQL, each with its own search index (issue 13:
docs/search.md and docs/deployment.md, "Several nodes"). Documents are published by this test
process, committed to the shared test database, as a third node would."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from gongkai.catalogue.services import document_withdraw
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft, make_office

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="several nodes share one PostgreSQL (set DATABASE_URL)",
    ),
]
ROOT = Path(__file__).resolve().parents[3]
WITHIN_S = 5.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "GONGKAI_DATA_DIR": str(data_dir),
        "GONGKAI_SEARCH_DIR": str(data_dir / "search"),
    }


class Node:
    def __init__(self, name: str, tmp_path: Path):
        self.dir = tmp_path / name
        self.dir.mkdir()
        self.port = _free_port()
        self.process = None

    def start(self):
        log = open(self.dir / "serve.log", "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--port", str(self.port), "--workers", "1"],
            cwd=ROOT, env=_env(self.dir), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                self.count("")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((self.dir / "serve.log").read_text()) from None
                time.sleep(0.2)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def count(self, q: str) -> int:
        url = f"http://127.0.0.1:{self.port}/api/v1/documents?" + urllib.parse.urlencode({"q": q})
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)["count"]

    def finds_within(self, q: str, expected: int, seconds: float = WITHIN_S) -> float:
        started = time.monotonic()
        while (n := self.count(q)) != expected:
            assert time.monotonic() - started < seconds, f"{q!r}: {n} after {seconds} s, not {expected}"
            time.sleep(0.1)
        return time.monotonic() - started


@pytest.fixture
def two_nodes(tmp_path):
    a, b = Node("a", tmp_path), Node("b", tmp_path)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def test_a_publication_reaches_every_node_and_a_stopped_node_catches_up(two_nodes):
    a, b = two_nodes
    agency = make_agency()
    make_document(agency, "关于开展防汛检查的通知", "防汛检查")
    b.finds_within("防汛检查", 1)
    a.finds_within("防汛检查", 1)

    b.stop()
    make_document(agency, "关于安全生产大检查的通知", "安全生产")
    a.finds_within("安全生产", 1)
    b.start()  # catches up when it starts
    b.finds_within("安全生产", 1)

    doc = make_document(agency, "关于森林防火的通告", "森林防火")
    b.finds_within("森林防火", 1)
    document_withdraw(document=doc, reason="已废止")
    b.finds_within("森林防火", 0)


def test_a_cron_job_started_on_both_nodes_at_once_does_its_work_once(tmp_path):
    office = make_office()
    sub = submission_submit(
        submission=draft(office), actor=office.clerk, publish_at=timezone.now() + timedelta(seconds=1)
    )
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    sub.publish_at = timezone.now() - timedelta(seconds=1)
    sub.save(update_fields=["publish_at"])
    runs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        runs.append(
            subprocess.Popen(
                [sys.executable, "-m", "gongkai", "publish-scheduled", "--json"],
                cwd=ROOT,
                env=_env(tmp_path / name),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
        )
    results = [run.communicate(timeout=120) + (run.returncode,) for run in runs]
    assert [rc for _, _, rc in results] == [0, 0], results
    published = [pk for out, _, _ in results if out for pk in json.loads(out)["published"]]
    assert published == [sub.pk], results  # once, by whichever node ran it
    for out, err, _ in results:
        assert out or "another node" in err, results
