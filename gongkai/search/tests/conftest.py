import pytest

from gongkai.search import resultcache


@pytest.fixture
def cache_everything(monkeypatch):
    """Keep every query, not only those with 50,000 hits: a few documents show the same thing."""
    resultcache.clear()
    monkeypatch.setattr(resultcache, "MIN_HITS", 1)
    yield
    resultcache.clear()
