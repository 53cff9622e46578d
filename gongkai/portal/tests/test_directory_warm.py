"""After an agency change commits, the changing process writes the directory's tree for every
language before anyone asks (issue 13, §4: the request after a change wrote 1.8 MB itself,
215 ms p95 at 5,000 agencies); once per transaction, however many agencies it saves."""

import logging

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.portal import directory

from . import builders

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"


@pytest.fixture(params=["local-memory", "shared"])
def tree_cache(request, settings, tmp_path):
    """Both ways the directory generation is kept: per process (local memory) and a counter in
    a shared cache (Redis in production; a file cache here, shared the same way)."""
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0  # the whole-page cache off: the tree's own cache here
    if request.param == "shared":
        settings.CACHES = {"default": {"BACKEND": SHARED_FILE_CACHE, "LOCATION": str(tmp_path / "cache")}}
    cache.clear()
    return request.param


@pytest.fixture
def writes(monkeypatch):
    """Counts the trees really written (the real agency_tree, counted: one per write)."""
    calls = []
    real = directory.agency_tree

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(directory, "agency_tree", counted)
    return calls


def kept_tree(language: str) -> str | None:
    """The tree the cache holds for ``language`` under the present generation, or None."""
    with translation.override(language):
        kept = cache.get(directory._tree_key())
        return kept[1] if kept is not None and kept[0] == directory._generation() else None


def test_a_renamed_agency_is_in_the_kept_tree_before_anyone_asks(client, tree_cache, writes):
    city = builders.agency("江川市人民政府")
    builders.agency("江川市教育局", level=AgencyLevel.DEPARTMENT, parent=city)
    with transaction.atomic():
        city.name = "江川市人民政府（新）"
        city.save()
        assert "（新）" not in (kept_tree("zh-hans") or "")  # not before the commit
    for language in ("zh-hans", "en"):
        assert "江川市人民政府（新）" in kept_tree(language)
    writes.clear()
    page = client.get("/agencies/").content.decode()
    assert "江川市人民政府（新）" in page and "江川市教育局" in page
    assert writes == []  # the request read the tree the change wrote


def test_many_saves_in_one_transaction_write_the_tree_once(tree_cache, writes):
    province = builders.agency("江南省人民政府", level=AgencyLevel.PROVINCE)
    writes.clear()
    with transaction.atomic():
        for i in range(30):
            Agency.objects.create(
                code=f"7{i:07d}X", name=f"江南省第{i}厅", level=AgencyLevel.DEPARTMENT, parent=province
            )
        assert writes == []
    assert writes == [1]
    assert "江南省第29厅" in kept_tree("zh-hans") and "江南省第29厅" in kept_tree("en")


def test_a_burst_of_saves_outside_a_transaction_writes_the_tree_at_most_once_a_second(
    client, tree_cache, writes, monkeypatch
):
    province = builders.agency("江南省人民政府", level=AgencyLevel.PROVINCE)
    monkeypatch.setattr(directory, "_last_warm", -directory.WARM_EVERY_S)  # a second has passed
    writes.clear()
    for i in range(20):  # autocommit: each save commits at once
        Agency.objects.create(
            code=f"7{i:07d}X", name=f"江南省第{i}厅", level=AgencyLevel.DEPARTMENT, parent=province
        )
    assert writes == [1]  # the first; the rest are left to the next request
    assert "江南省第19厅" in client.get("/agencies/").content.decode()  # never a stale tree


def test_a_failed_write_neither_undoes_nor_hides_the_change(client, tree_cache, monkeypatch, caplog):
    city = builders.agency("江川市人民政府")
    client.get("/agencies/")
    real = directory.agency_tree

    def down():
        raise OSError("the database went away after the commit")

    monkeypatch.setattr(directory, "agency_tree", down)
    with caplog.at_level(logging.ERROR, logger="gongkai.portal.directory"), transaction.atomic():
        city.name = "江川市人民政府（新）"
        city.save()
    assert Agency.objects.get(pk=city.pk).name == "江川市人民政府（新）"  # committed
    assert "writing the tree after an agency change failed" in caplog.text
    monkeypatch.setattr(directory, "agency_tree", real)
    assert "江川市人民政府（新）" in client.get("/agencies/").content.decode()
