"""The sitemap at the size of a province (issue 13, §4): an index of files of at most
URLS_PER_FILE URLs, split by id range, listing every public document exactly once and no
withdrawn or unpublished one."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.catalogue.models import Document
from gongkai.portal import sitemaps

from . import builders

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def get_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def files_of(client) -> list[str]:
    index = get_xml(client, "/sitemap.xml")
    assert index.tag == f"{NS}sitemapindex"
    return [loc.text for loc in index.iter(f"{NS}loc")]


def urls_in(client, file_url) -> list[str]:
    parts = urlsplit(file_url)
    root = get_xml(client, parts.path + (f"?{parts.query}" if parts.query else ""))
    assert root.tag == f"{NS}urlset"
    return [loc.text for loc in root.iter(f"{NS}loc")]


def test_files_hold_at_most_the_limit_and_every_public_document_once(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 3)
    city = builders.agency()
    docs = [builders.document(city, f"关于第{i}项工作的通知", "正文。") for i in range(10)]
    builders.document(city, "尚未公开的草稿", publish=False)
    withdrawn = docs[4]
    builders.withdraw(withdrawn)
    highest = Document.objects.order_by("-pk").values_list("pk", flat=True).first()

    files = files_of(client)
    document_files = [f for f in files if "/sitemap-documents.xml" in f]
    assert len(document_files) == -(-highest // 3)  # one per id range, up to the highest id
    assert document_files[0].endswith("/sitemap-documents.xml")
    assert document_files[1].endswith("/sitemap-documents.xml?p=2")
    listed = []
    for f in document_files:
        urls = urls_in(client, f)
        assert len(urls) <= 3
        listed += urls
    expected = [
        "http://testserver" + reverse("portal:document", args=[d.index_no]) for d in docs if d != withdrawn
    ]
    assert sorted(listed) == sorted(expected)  # each once; no draft, no withdrawn document
    agencies = [u for f in files if "/sitemap-agencies.xml" in f for u in urls_in(client, f)]
    assert agencies == ["http://testserver" + reverse("portal:agency", args=[city.code])]
    pages = [u for f in files if "/sitemap-pages.xml" in f for u in urls_in(client, f)]
    assert "http://testserver/" in pages


def test_index_numbers_are_quoted_as_reverse_quotes_them(client):
    city = builders.agency()
    doc = builders.document(city, "关于测试的通知", "正文。")
    Document.objects.filter(pk=doc.pk).update(index_no="000014349/2024-00001 甲&乙")
    urls = urls_in(client, "http://testserver/sitemap-documents.xml")
    assert urls == ["http://testserver" + reverse("portal:document", args=["000014349/2024-00001 甲&乙"])]


def test_a_file_past_the_last_or_an_unknown_section_is_not_found(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 3)
    builders.document(builders.agency(), "关于测试的通知", "正文。")
    files = [f for f in files_of(client) if "/sitemap-documents.xml" in f]
    assert client.get(f"/sitemap-documents.xml?p={len(files) + 1}").status_code == 404
    assert client.get("/sitemap-documents.xml?p=0").status_code == 404
    assert client.get("/sitemap-documents.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_file_reads_an_id_range_never_an_offset(client):
    city = builders.agency()
    for i in range(3):
        builders.document(city, f"关于第{i}项工作的通知", "正文。")
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap-documents.xml")
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "OFFSET" not in sql and "COUNT(" not in sql
