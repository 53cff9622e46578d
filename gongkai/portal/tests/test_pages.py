"""Each public page renders what a reader needs, with the markup the site promises
(one h1, landmarks, lang), and can be cached."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db(transaction=True)


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.fixture
def city():
    return builders.city_with_documents()


def test_home_shows_search_box_latest_documents_and_directory(client, city):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="home-q"' in html and 'id="home-q" name="q"' in html
    assert "江川市人民政府关于推进义务教育优质均衡发展的通知" in html
    assert reverse("portal:agency", args=[city["city"].code]) in html
    assert reverse("portal:guide", args=[city["city"].code]) in html
    assert h1_count(html) == 1


def test_home_offers_the_subjects_in_use_as_ways_in(client, city):
    html = client.get(reverse("portal:home")).content.decode()
    assert "已主动公开政府信息 4 条" in html
    link = reverse("portal:search") + "?subject=%E7%A7%91%E6%8A%80%E3%80%81%E6%95%99%E8%82%B2"
    assert f'<a class="chip" href="{link}">科技、教育<span class="chip__count">2' in html


def test_every_page_has_lang_skip_link_landmarks_and_one_h1(client, city):
    doc = city["docs"]["housing"]
    urls = [
        reverse("portal:home"),
        reverse("portal:agencies"),
        reverse("portal:agency", args=[city["city"].code]),
        reverse("portal:guide", args=[city["city"].code]),
        reverse("portal:search") + "?q=教育",
        reverse("portal:document", args=[doc.index_no]),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert '<html lang="zh-Hans">' in html, url
        assert html.index('class="skip-link" href="#main"') < html.index("<header"), url
        assert '<main id="main"' in html and "<footer" in html and "<nav" in html, url
        assert h1_count(html) == 1, url


def test_public_pages_are_cacheable(client, city):
    for url in (reverse("portal:home"), reverse("portal:agencies"), reverse("portal:search") + "?q=住房"):
        response = client.get(url)
        assert "max-age=60" in response["Cache-Control"] and "public" in response["Cache-Control"]
        assert "Set-Cookie" not in response.headers


def test_pages_link_the_feeds_in_the_head(client, city):
    html = client.get(reverse("portal:agency", args=[city["city"].code])).content.decode()
    head = html[: html.index("</head>")]
    assert (
        f'type="application/rss+xml" title="最新公开信息（RSS）" href="{reverse("portal:feed_rss")}"' in head
    )
    assert reverse("portal:feed_atom") in head
    assert reverse("portal:agency_feed_rss", args=[city["city"].code]) in head


def test_directory_shows_the_tree_with_each_disclosure_office(client, city):
    html = client.get(reverse("portal:agencies")).content.decode()
    positions = [
        html.index(name)
        for name in ("江川市人民政府", "江川市教育局", "江川市东湖区人民政府", "东湖区城关街道办事处")
    ]
    assert positions == sorted(positions)  # government, its departments, district, township
    assert builders.OFFICE.name in html and builders.OFFICE.phone in html
    # nesting: the township is inside the district's list, inside the city's
    township_at = html.index("东湖区城关街道办事处")
    assert html.count('<ul class="tree__children">', 0, township_at) == 2


def test_unknown_agency_is_404(client, db):
    assert client.get(reverse("portal:agency", args=["000000000"])).status_code == 404
    assert client.get(reverse("portal:guide", args=["000000000"])).status_code == 404


def test_404_page_is_the_site_page(client, db):
    response = client.get("/documents/nothing/here/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_renders_without_a_request_context():
    html = render_to_string("500.html")
    assert '<html lang="zh-Hans">' in html and "服务暂时不可用" in html
