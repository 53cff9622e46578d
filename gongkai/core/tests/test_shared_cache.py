"""With GONGKAI_REDIS_URL set, the throttles count in Redis, so every worker process of a
deployment shares one count per address. Runs when GONGKAI_TEST_REDIS_URL points at a Redis
server (CI sets it); real processes and a real server, nothing simulated."""

import os
import secrets
import subprocess
import sys

import pytest

from gongkai.applications.services import LOOKUPS_PER_ADDRESS

REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="GONGKAI_TEST_REDIS_URL is not set")

WORKER = """
import django, sys
django.setup()
from gongkai.applications.services import lookup_allowed
print(sum(lookup_allowed(sys.argv[1]) for _ in range(int(sys.argv[2]))))
"""


def lookups_allowed_in_a_new_process(address: str, attempts: int, redis_url: str | None, tmp_path) -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "gongkai.settings", "GONGKAI_DATA_DIR": str(tmp_path)}
    env.pop("GONGKAI_REDIS_URL", None)
    if redis_url:
        env["GONGKAI_REDIS_URL"] = redis_url
    done = subprocess.run(
        [sys.executable, "-c", WORKER, address, str(attempts)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def test_progress_lookups_are_limited_across_worker_processes(tmp_path):
    address = f"198.51.100.{secrets.randbelow(250) + 1}-{secrets.token_hex(4)}"  # a count of its own
    attempts = LOOKUPS_PER_ADDRESS
    first = lookups_allowed_in_a_new_process(address, attempts, REDIS_URL, tmp_path)
    second = lookups_allowed_in_a_new_process(address, attempts, REDIS_URL, tmp_path)
    assert (first, second) == (LOOKUPS_PER_ADDRESS, 0)


def test_without_redis_each_process_counts_for_itself(tmp_path):
    address = f"198.51.100.{secrets.randbelow(250) + 1}"
    counts = [
        lookups_allowed_in_a_new_process(address, LOOKUPS_PER_ADDRESS, None, tmp_path) for _ in range(2)
    ]
    assert counts == [LOOKUPS_PER_ADDRESS, LOOKUPS_PER_ADDRESS]
