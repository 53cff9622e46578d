"""Test-wide fixtures: every test gets its own search index and media directory; `full_disk`
puts MEDIA_ROOT on a nearly full tmpfs for the disk-full tests.

In parallel (`make test PYTEST_XDIST="-n auto --dist loadfile"`) nothing else is shared between
workers: pytest-django gives each worker its own test database (the SQLite file or
GONGKAI_TEST_DB_NAME with `_gw0`, `_gw1`… appended), and with it its own job-lock files and
PostgreSQL advisory locks; live servers and the two-node test take free ports; the Redis tests
(GONGKAI_TEST_REDIS_URL) count under addresses of their own; subprocesses get a GONGKAI_DATA_DIR
under their test's tmp_path. Not yet solved: a transactional test's flush empties what migrations
seeded for the tests after it on its worker (see the Makefile)."""

import subprocess

import pytest

# The one Chromium fixture set for every browser test (browser, page, phone, new_page).
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.GONGKAI_SEARCH_DIR = tmp_path / "search"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"
    # Tests create many staff accounts; the production hasher's 1M rounds would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    from gongkai.search import engine

    cache.clear()  # throttles count in the cache: each test starts with none
    engine.reset_cache()
    yield
    engine.reset_cache()


@pytest.fixture
def full_disk(tmp_path, settings):
    """MEDIA_ROOT on a 64 KB tmpfs with 8 KB left (security.md: a tiny tmpfs for disk-full)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        (mount / "filler").write_bytes(b"\0" * 56 * 1024)
        settings.MEDIA_ROOT = mount / "media"
        yield mount / "media"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
