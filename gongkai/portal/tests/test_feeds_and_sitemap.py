"""Feeds (RSS, Atom; site-wide and per agency) are valid XML listing new items; the sitemap
lists every public document and agency page."""

from xml.etree import ElementTree

import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def docs():
    city = builders.agency()
    education = builders.agency("江川市教育局", parent=city, level="department")
    return {
        "city": city,
        "education": education,
        "notice": builders.document(city, "江川市人民政府关于做好防汛工作的通知", "做好防汛工作。"),
        "school": builders.document(education, "江川市教育局关于做好招生工作的通知", "做好招生工作。"),
        "draft": builders.document(city, "尚未公开的草稿", publish=False),
    }


def xml(client, url) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    return ElementTree.fromstring(response.content)


def test_rss_feed_is_valid_xml_with_new_items(client, docs):
    root = xml(client, reverse("portal:feed_rss"))
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    titles = [i.findtext("title") for i in items]
    assert set(titles) == {"江川市人民政府关于做好防汛工作的通知", "江川市教育局关于做好招生工作的通知"}
    link = items[0].findtext("link")
    assert link.startswith("http://testserver/documents/")
    assert items[0].findtext("pubDate")


def test_atom_feed_is_valid_xml_with_new_items(client, docs):
    root = xml(client, reverse("portal:feed_atom"))
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "江川市人民政府关于做好防汛工作的通知" in titles and "尚未公开的草稿" not in titles


def test_agency_feeds_list_only_that_agency(client, docs):
    code = docs["education"].code
    rss = xml(client, reverse("portal:agency_feed_rss", args=[code]))
    assert [i.findtext("title") for i in rss.findall("./channel/item")] == [
        "江川市教育局关于做好招生工作的通知"
    ]
    atom = xml(client, reverse("portal:agency_feed_atom", args=[code]))
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == [
        "江川市教育局关于做好招生工作的通知"
    ]


def test_agency_feed_of_unknown_agency_is_404(client, db):
    assert client.get(reverse("portal:agency_feed_rss", args=["000000000"])).status_code == 404


def test_sitemap_lists_public_documents_and_agencies(client, docs):
    index = xml(client, "/sitemap.xml")
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert any(s.endswith("/sitemap-documents.xml") for s in sections)
    documents = xml(client, reverse("portal:sitemap_section", args=["documents"]))
    urls = {loc.text for loc in documents.iter(f"{SITEMAP}loc")}
    assert "http://testserver" + reverse("portal:document", args=[docs["notice"].index_no]) in urls
    assert "http://testserver" + reverse("portal:document", args=[docs["school"].index_no]) in urls
    assert len(urls) == 2  # the draft is not listed
    agencies = xml(client, reverse("portal:sitemap_section", args=["agencies"]))
    assert "http://testserver" + reverse("portal:agency", args=[docs["city"].code]) in {
        loc.text for loc in agencies.iter(f"{SITEMAP}loc")
    }
