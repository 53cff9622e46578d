"""The `gongkai` command as a user runs it: a separate process, exit statuses, stdout/stderr.

Each process gets its own SQLite database under a temporary GONGKAI_DATA_DIR (DATABASE_URL is
removed so the run never touches a shared database).
"""

import json
import os
import subprocess
import sys

import pytest

from gongkai.core.tests.helpers import STATE_COUNCIL, write_corpus

STATE_COUNCIL_LINE = {
    "code": STATE_COUNCIL,
    "name": "国务院",
    "level": "province",
    "office": {"name": "国务院办公厅"},
}


def gongkai(data_dir, *args, timeout=120) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A data directory with a migrated database holding the State Council."""
    data_dir = tmp_path_factory.mktemp("cli-data")
    assert gongkai(data_dir, "migrate", "-v", "0").returncode == 0
    agencies = data_dir / "agencies.jsonl"
    agencies.write_text(json.dumps(STATE_COUNCIL_LINE, ensure_ascii=False) + "\n", encoding="utf-8")
    assert gongkai(data_dir, "import-agencies", str(agencies)).returncode == 0
    return data_dir


def test_a_missing_database_says_to_run_migrate(tmp_path):
    run = gongkai(tmp_path, "search", "报告")
    assert run.returncode == 1
    assert "run `gongkai migrate`" in run.stderr
    assert run.stdout == ""


def test_no_command_is_a_usage_error(tmp_path):
    assert gongkai(tmp_path).returncode == 2


def test_an_unknown_command_is_a_usage_error(tmp_path):
    run = gongkai(tmp_path, "frobnicate")
    assert run.returncode == 2 and "unknown command" in run.stderr


def test_a_bad_option_value_is_a_usage_error(migrated):
    run = gongkai(migrated, "search", "报告", "--year", "last")
    assert run.returncode == 2
    assert "invalid int value" in run.stderr


def test_importing_documents_succeeds_and_prints_json(migrated, tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", lines=4)
    run = gongkai(migrated, "import-documents", str(corpus), "--agency", STATE_COUNCIL, "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"imported": 4, "updated": 0}
    search = gongkai(migrated, "search", "政府工作报告", "--json")
    assert search.returncode == 0
    assert json.loads(search.stdout)["count"] == 4


def test_an_unknown_agency_is_a_user_error_in_one_line(migrated, tmp_path):
    corpus = write_corpus(tmp_path / "corpus.jsonl", lines=1)
    run = gongkai(migrated, "import-documents", str(corpus), "--agency", "999999999")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        "gongkai import-documents: no agency with code '999999999'; "
        "load the directory first with `gongkai import-agencies FILE.jsonl`"
    ]


def test_a_bad_line_is_reported_with_its_number(migrated, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "无正文", "year": 2024}\n', encoding="utf-8")
    run = gongkai(migrated, "import-documents", str(bad), "--agency", STATE_COUNCIL)
    assert run.returncode == 1
    assert run.stderr.splitlines()[0] == "line 1: missing field 'content'"


def test_audit_verify_passes_on_an_intact_trail(migrated):
    run = gongkai(migrated, "audit-verify", "--json")
    assert run.returncode == 0
    assert json.loads(run.stdout)["broken"] == []


def test_reindex_rebuilds_from_the_database(migrated):
    run = gongkai(migrated, "reindex")
    assert run.returncode == 0 and run.stdout.startswith("Indexed ")
    assert gongkai(migrated, "reindex", "--pending").returncode == 0
