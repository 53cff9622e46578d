"""Scheduled jobs run on one node at a time (core/joblock.py; docs/deployment.md)."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from gongkai.catalogue.models import Visibility
from gongkai.core.joblock import job_lock
from gongkai.publishing.rules import Decision, SubmissionState
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft, make_office

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]


def due_submission():
    office = make_office()
    sub = submission_submit(
        submission=draft(office), actor=office.clerk, publish_at=timezone.now() + timedelta(seconds=1)
    )
    for approver in office.approvers():
        sub = submission_decide(submission=sub, actor=approver, decision=Decision.APPROVE)
    assert sub.state == SubmissionState.SCHEDULED
    sub.publish_at = timezone.now() - timedelta(seconds=1)
    sub.save(update_fields=["publish_at"])
    return sub


def test_a_job_held_elsewhere_is_not_run_again_and_exits_quietly(capsys):
    sub = due_submission()
    with job_lock("publish-scheduled") as got:  # another node is running it
        assert got
        call_command("publish_scheduled", "--json")
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "another node" in captured.err and len(captured.err.strip().splitlines()) == 1
        sub.document.refresh_from_db()
        assert sub.document.visibility != Visibility.PUBLIC
    call_command("publish_scheduled", "--json")  # that run is over: this one runs
    assert json.loads(capsys.readouterr().out) == {"published": [sub.pk]}


def test_the_lock_is_one_per_job_and_free_again_after_the_run():
    with job_lock("remind") as first:
        with job_lock("remind") as second, job_lock("backup") as other:
            assert (first, second, other) == (True, False, True)
    with job_lock("remind") as again:
        assert again


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@pytest.mark.parametrize(
    "job", ["publish-scheduled", "remind", "sweep-attachments", "purge-personal-data", "backup"]
)
def test_a_cron_job_started_on_a_second_node_while_one_runs_exits_0_saying_so(job, tmp_path):
    """A real `gongkai` process (a second node's cron) while this process holds the job."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "GONGKAI_DATA_DIR": str(tmp_path)}
    archive = tmp_path / "backup.tar"
    args = ["-o", str(archive)] if job == "backup" else []
    with job_lock(job) as got:
        assert got
        done = subprocess.run(
            [sys.executable, "-m", "gongkai", job, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert "another node" in done.stderr
    assert not archive.exists()
