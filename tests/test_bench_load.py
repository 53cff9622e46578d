"""`python -m bench load --docs N` (bench/load.py, bench/load_prepare.py, bench/load_platform.py)
at a tiny size: the preparation gives a platform the load run can read (documents, agencies,
attachments found through two nodes behind nginx, every request answered), and a second call
reuses what the first prepared. Skipped, saying why, without PostgreSQL, nginx or openssl."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load_platform import NGINX

ROOT = Path(__file__).resolve().parents[1]
ADMIN_URL = os.environ.get("DATABASE_URL", "")
pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (scripts/install-system-deps.sh)"),
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes nginx's certificate"),
    pytest.mark.skipif(
        not ADMIN_URL.startswith("postgres"),
        reason="the platform's nodes share one PostgreSQL (DATABASE_URL)",
    ),
]


def _bench(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bench", "load", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_a_tiny_province_is_prepared_once_and_served_by_two_nodes(tmp_path):
    import psycopg

    database = f"gk_bench_load_test_{os.getpid()}"
    common = ["--docs", "300", "--agencies", "40", "--out", str(tmp_path), "--db-name", database]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GONGKAI_", "DJANGO_"))}
    env["DATABASE_URL"] = ADMIN_URL
    try:
        run = _bench(
            *common, "--nodes", "2", "--nginx", "--users", "4", "--duration", "3", "--warmup", "1",
            "--redis-db", "-1", "--json", str(tmp_path / "out.json"), env=env,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        report = json.loads((tmp_path / "out.json").read_text())
        prepared = report["prepared"]
        assert prepared["rows"]["documents"] == 300 and prepared["rows"]["agencies"] >= 40
        assert prepared["attachments"] > 0 and prepared["index_a"] != prepared["index_b"]
        (two,) = report["runs"]
        (level,) = two["levels"]
        assert two["nodes"] == 2 and two["host"].startswith("https://")
        assert level["requests"] > 0 and level["errors"] == 0, level["error_kinds"]
        assert level["server_cpu_ms_per_request"] > 0
        # nginx spread the requests over both nodes, each answering from its own index copy
        # (which node gets the few searches of a 3-second run is chance: searches of either).
        work = tmp_path / "load-docs300-agencies40"
        logs = [(work / "logs" / f"2node-node-{node}.log").read_text() for node in ("a", "b")]
        for log in logs:
            assert '" 200 ' in log or " 200 " in log, log[-2000:]
            assert "Indexed" not in log and "rebuil" not in log
        assert any('"GET /search/?q=' in log for log in logs)

        again = _bench(*common, "--prepare-only", env=env)
        assert again.returncode == 0, again.stderr[-3000:]
        assert "loading" not in again.stderr and "building" not in again.stderr
        meta = json.loads((work / "meta.json").read_text())
        assert (meta["index_a"], meta["index_b"]) == (prepared["index_a"], prepared["index_b"])
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
