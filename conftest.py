"""Test-wide fixtures: every test gets its own search index and media directory."""

import pytest


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
