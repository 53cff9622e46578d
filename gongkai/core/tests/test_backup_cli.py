"""`gongkai backup` and `gongkai restore` as a user runs them: separate processes, each with an
SQLite database in a data directory of its own (DATABASE_URL removed), exit statuses and output."""

import json
import os

from gongkai.catalogue.tests.samples import make_pdf
from gongkai.core.tests.test_cli import gongkai

ATTACHMENT_PDF = make_pdf("政务公开标准化附件正文")


def test_cli_backup_then_restore_upgrades_an_older_database(tmp_path):
    data = tmp_path / "data"
    archive = tmp_path / "older.tar"
    assert gongkai(data, "migrate", "-v", "0").returncode == 0
    # An older platform: the last complaints migration not yet applied.
    assert gongkai(data, "migrate", "complaints", "0001", "-v", "0").returncode == 0
    (data / "media" / "attachments").mkdir(parents=True)
    (data / "media" / "attachments" / "kept.pdf").write_bytes(ATTACHMENT_PDF)

    made = gongkai(data, "backup", "-o", str(archive), "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["files"] == 1

    assert gongkai(data, "migrate", "-v", "0").returncode == 0
    refused = gongkai(data, "restore", str(archive))
    assert refused.returncode == 1 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1
    assert refused.stderr.startswith("gongkai restore: the target is not empty") and "--yes" in refused.stderr

    done = gongkai(data, "restore", str(archive), "--yes", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "complaints.0002_complaint_upheld" in out["migrations_applied"]
    assert out["audit"]["broken"] == [] and out["files"] == 1 and out["search"] == {"indexed": 0}
    assert (data / "media" / "attachments" / "kept.pdf").read_bytes() == ATTACHMENT_PDF
    assert gongkai(data, "audit-verify").returncode == 0


def test_cli_usage_and_user_errors(tmp_path):
    data = tmp_path / "data"
    assert gongkai(data, "backup").returncode == 2  # -o is required
    assert gongkai(data, "restore").returncode == 2
    missing = gongkai(data, "restore", str(tmp_path / "nowhere.tar"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"gongkai restore: cannot read {tmp_path / 'nowhere.tar'}: no such file"
    unmigrated = gongkai(data, "backup", "-o", str(tmp_path / "b.tar"))
    assert unmigrated.returncode == 1 and "nothing to back up" in unmigrated.stderr
    assert not os.path.exists(tmp_path / "b.tar")
