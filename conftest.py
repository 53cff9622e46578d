"""Test-wide fixtures: every test gets its own search index and media directory; `full_disk`
puts MEDIA_ROOT on a nearly full tmpfs for the disk-full tests; after a transactional test's
flush the rows that migrations seeded come back (`_restore_seeded_rows`).

`make test` runs in parallel (pytest-xdist, `-n auto --dist loadfile`) and nothing is shared
between workers: pytest-django gives each worker its own test database (the SQLite file or
GONGKAI_TEST_DB_NAME with `_gw0`, `_gw1`… appended), and with it its own job-lock files and
PostgreSQL advisory locks; live servers and the two-node test take free ports; the Redis tests
(GONGKAI_TEST_REDIS_URL) count under addresses of their own; subprocesses get a GONGKAI_DATA_DIR
under their test's tmp_path."""

import os
import subprocess

import pytest
from django.db.models.signals import post_migrate

# The one Chromium fixture set for every browser test (browser, page, phone, new_page).
pytest_plugins = ["tests.browser"]

# Throttles count in each test process's memory, emptied before every test (`_isolated_files`).
# A GONGKAI_REDIS_URL from the developer's environment would make that emptying FLUSHDB a shared
# Redis database, other workers' and the servers' counts included, and hand it to every server a
# test starts; the Redis tests name their own database (GONGKAI_TEST_REDIS_URL).
_REDIS_URL_OUTSIDE = os.environ.pop("GONGKAI_REDIS_URL", None)


def pytest_configure(config):
    if _REDIS_URL_OUTSIDE:  # settings were read before this file: count in memory all the same
        from django.conf import settings

        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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


# What migrations left in this worker's test database, and whether a flush has emptied it since.
_seeded: dict = {"rows": {}, "blocker": None, "flushed": False}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's database setup, then a copy of every row the migrations made (calendar,
    subjects, genres, key areas…). A transactional test ends with a flush that empties all
    tables; serially pytest-django runs those tests last, but under xdist the next test on the
    worker may be any test, and it must see the database as migrated."""
    with django_db_blocker.unblock():
        _seeded["rows"] = _seeded_rows()
    _seeded["blocker"] = django_db_blocker
    post_migrate.connect(_note_flush, dispatch_uid="conftest-note-flush")
    yield
    post_migrate.disconnect(dispatch_uid="conftest-note-flush")
    # The database is destroyed next: the last test's flush needs nothing put back.
    _seeded.update(rows={}, blocker=None, flushed=False)


def _seeded_rows() -> dict:
    from django.apps import apps

    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        objects = list(model._base_manager.all())
        if objects:
            rows[model] = objects
    return rows


def _note_flush(sender, plan=None, **kwargs):
    # `flush` sends post_migrate (that recreates content types and permissions) without a
    # plan; `migrate` sends one.
    if plan is None:
        _seeded["flushed"] = True


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield  # the test's fixtures are torn down: a transactional test's flush is done
    if _seeded["flushed"] and _seeded["blocker"] is not None:
        _seeded["flushed"] = False
        with _seeded["blocker"].unblock():
            _restore_seeded_rows()
    return result


def _restore_seeded_rows() -> None:
    """Put the migrations' rows back into the tables a flush left empty; tables that hold rows
    (content types and permissions, which the flush's post_migrate recreates; or a test's
    rollback that undid an explicit flush) are left as they are."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    restored = []
    with transaction.atomic():
        for model, objects in _seeded["rows"].items():
            if model._base_manager.exists():
                continue
            model._base_manager.bulk_create(objects)
            restored.append(model)
        # The rows keep their ids: move each sequence past them (PostgreSQL; a no-op on SQLite).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                cursor.execute(sql)
