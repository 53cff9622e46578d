"""Public pages and API reads carry Cache-Control, ETag and Last-Modified, answer conditional
requests with 304, and are kept by the server until a publication, withdrawal or edit changes
them (gongkai/core/pagecache.py; issue 13, section 3)."""

import dataclasses
from datetime import date

import pytest
from django.urls import reverse

from gongkai.catalogue.services import DocumentFields, document_update, document_withdraw
from gongkai.catalogue.tests.factories import make_agency, make_document, make_import

pytestmark = pytest.mark.django_db(transaction=True)

SHARED_FILE_CACHE = "django.core.cache.backends.filebased.FileBasedCache"


@pytest.fixture(params=["local-memory", "shared"])
def page_cache(request, settings, tmp_path):
    """Both ways the generation is kept: the audit log's newest id (local memory, the demo) and
    a counter in a shared cache (Redis in production; a file cache here, shared the same way)."""
    if request.param == "shared":
        settings.CACHES = {"default": {"BACKEND": SHARED_FILE_CACHE, "LOCATION": str(tmp_path / "cache")}}
    from django.core.cache import cache

    cache.clear()
    return request.param


@pytest.fixture
def city():
    agency = make_agency("江川市人民政府")
    doc = make_document(agency, "江川市关于城市绿化的通知", "城市绿化管理", written_on=date(2024, 3, 1))
    return agency, doc


def test_a_public_page_carries_validators_and_answers_304(client, city, page_cache):
    _, doc = city
    url = reverse("portal:document", args=[doc.index_no])
    first = client.get(url)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert first["ETag"].startswith('"') and first["Last-Modified"].endswith("GMT")

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    other = client.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_a_repeated_page_comes_from_the_cache_without_the_database(
    client, city, settings, tmp_path, django_assert_num_queries
):
    settings.CACHES = {"default": {"BACKEND": SHARED_FILE_CACHE, "LOCATION": str(tmp_path / "cache")}}
    _, doc = city
    url = reverse("portal:document", args=[doc.index_no])
    first = client.get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content and second["ETag"] == first["ETag"]
    search = reverse("portal:search") + "?q=城市绿化"
    assert client.get(search)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert client.get(search)["X-Page-Cache"] == "hit"


def test_a_cached_page_changes_after_a_publication_and_a_withdrawal(client, city, page_cache):
    agency, doc = city
    home = reverse("portal:home")
    search = reverse("portal:search") + "?q=通知"
    feed = reverse("portal:feed_rss")
    # Search results highlight the query's words, so the titles are told apart by the others.
    for url in (home, search, feed):
        assert "城市绿化" in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
        assert "河道管理" not in client.get(url).content.decode()

    new = make_document(agency, "江川市关于加强河道管理的通知", "河道管理", written_on=date(2024, 4, 1))
    for url in (home, search, feed):
        assert "河道管理" in client.get(url).content.decode(), url

    etag = client.get(reverse("portal:document", args=[new.index_no]))["ETag"]
    document_withdraw(document=new, reason="已被新文件替代")
    for url in (home, search, feed):
        assert "河道管理" not in client.get(url).content.decode(), url
    gone = client.get(reverse("portal:document", args=[new.index_no]), HTTP_IF_NONE_MATCH=etag)
    assert gone.status_code == 404


def test_an_edit_changes_the_cached_api_answer_and_its_etag(client, city, page_cache):
    _, doc = city
    url = reverse("api:document", args=[doc.index_no])
    first = client.get(url)
    assert first.status_code == 200 and first.json()["title"] == "江川市关于城市绿化的通知"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    fields = DocumentFields(**{name: getattr(doc, name) for name in DocumentFields.__dataclass_fields__})
    fields = dataclasses.replace(fields, title="江川市关于城市绿化管理的通知")
    document_update(document=doc, fields=fields, imported=make_import(doc.agency))  # a newer version

    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["title"] == "江川市关于城市绿化管理的通知"
    assert changed["ETag"] != first["ETag"]


def test_pages_with_a_form_token_or_for_a_signed_in_visitor_are_not_kept(client, city, settings):
    # The progress lookup carries a CSRF token bound to this visitor's cookie: never shared.
    lookup = client.get(reverse("portal:progress"))
    assert "X-Page-Cache" not in lookup
    # A visitor with a session (staff signed in) always gets a freshly rendered page.
    _, doc = city
    url = reverse("portal:document", args=[doc.index_no])
    client.get(url)
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Page-Cache" not in client.get(url)


def test_with_the_server_side_copy_off_pages_still_carry_validators(client, city, settings):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    for url in (reverse("portal:home"), reverse("portal:sitemap"), reverse("portal:feed_atom")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Page-Cache" not in response and response["ETag"], url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url


def test_a_cache_that_is_down_neither_stops_a_publication_nor_a_page(client, settings):
    # Redis refusing connections (nothing listens on port 1): pages are served uncached and a
    # publication commits all the same.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    doc = make_document(make_agency("江川市人民政府"), "江川市关于城市绿化的通知", "城市绿化管理")
    response = client.get(reverse("portal:document", args=[doc.index_no]))
    assert response.status_code == 200 and "X-Page-Cache" not in response and response["ETag"]
