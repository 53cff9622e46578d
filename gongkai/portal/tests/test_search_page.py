"""The search page: counts, highlights, facets that combine with the query, removable
filters, sort, pagination, and odd input that never gives an error page."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db(transaction=True)
SEARCH = reverse("portal:search")


@pytest.fixture
def city():
    return builders.city_with_documents()


def get(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html: str) -> list[str]:
    titles = re.findall(r'<h3 class="result__title"><a href="[^"]+">(.*?)</a></h3>', html, re.S)
    return [re.sub(r"</?mark>", "", t) for t in titles]


def links(html: str, css_class: str) -> dict[str, str]:
    """label -> href for the links with ``css_class``."""
    found = re.findall(rf'<a class="{css_class}[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)
    return {re.sub(r"<[^>]+>", "", label).strip(): unescape(href) for href, label in found}


def test_results_show_count_and_highlighted_title_and_snippet(client, city):
    html = get(client, q="义务教育")
    assert "共找到 <strong>2</strong> 条结果" in html
    assert "江川市人民政府关于推进<mark>义务教育</mark>优质均衡发展的通知" in html
    assert '<p class="result__snippet">推进<mark>义务教育</mark>优质均衡发展' in html


def test_facet_links_combine_with_the_query(client, city):
    html = get(client, q="义务教育")
    agency_links = {
        label: href for label, href in links(html, "facet__link").items() if "江川市教育局" in label
    }
    [href] = agency_links.values()
    assert "q=%E4%B9%89%E5%8A%A1%E6%95%99%E8%82%B2" in href and f"agency={city['education'].code}" in href
    filtered = client.get(href).content.decode()
    assert result_titles(filtered) == ["江川市教育局关于做好2024年义务教育招生工作的通知"]
    assert 'value="义务教育"' in filtered  # the query is kept in the box


def test_active_filter_is_marked_and_removable(client, city):
    html = get(client, q="通知", genre="通知", year="2024")
    assert "体裁分类：通知" in html and "成文年份：2024年" in html
    removers = links(html, "chip chip--removable")
    without_year = removers["成文年份：2024年×（移除）"]
    assert "year=" not in without_year and "genre=" in without_year and "q=" in without_year
    assert 'aria-current="true"' in html  # the chosen facet value


def test_subject_facet_filters_on_first_and_second_level(client, city):
    titles = result_titles(get(client, subject="城乡建设、环境保护"))
    assert sorted(titles) == sorted(
        [
            "江川市人民政府关于加快发展保障性租赁住房的实施意见",
            "江川市人民政府办公室关于印发江川市城市绿化管理办法的通知",
        ]
    )


def test_sort_by_date_lists_the_newest_first(client):
    city = builders.agency()
    today = date(2024, 6, 1)
    for days, title in ((30, "较早的住房通知"), (1, "最新的住房通知"), (10, "中间的住房通知")):
        builders.document(city, title, "住房", published_on=today - timedelta(days=days))
    html = get(client, q="住房", sort="date")
    assert result_titles(html) == ["最新的住房通知", "中间的住房通知", "较早的住房通知"]
    assert '<a href="/search/?q=%E4%BD%8F%E6%88%BF&amp;sort=date" aria-current="true">按日期</a>' in html


def test_pagination_moves_through_the_results(client):
    city = builders.agency()
    for i in range(25):
        builders.document(city, f"关于第{i:02d}批项目的公示", "项目公示")
    first = get(client, q="项目")
    assert "共找到 <strong>25</strong> 条结果" in first and len(result_titles(first)) == 20
    assert 'rel="next"' in first
    second = get(client, q="项目", page="2")
    assert len(result_titles(second)) == 5
    assert '<ol class="results" start="21">' in second
    assert set(result_titles(first)).isdisjoint(result_titles(second))


def test_service_messages_are_shown(client, city):
    html = get(client, q="住房 房 的")
    assert "检索词至少两个字符，已忽略" in html
    assert "保障性租赁<mark>住房</mark>" in html


def test_ideographic_space_separates_terms(client, city):
    html = get(client, q="招生\u3000义务教育")
    assert result_titles(html) == ["江川市教育局关于做好2024年义务教育招生工作的通知"]


def test_empty_query_browses_everything_newest_first(client, city):
    html = get(client)
    assert "共找到 <strong>4</strong> 条结果" in html


ODD_QUERIES = [
    '"保障性租赁住房"',
    "住房 AND 教育 OR NOT",
    "'; DROP TABLE catalogue_document; --",
    "title:住房 OR body:*",
    "住房~2 +教育 -通知 ^3",
    "(((住房",
    "住房 🏠🏠",
    "😀😀😀",
    "！！！？？？……",
    "!!!",
    "%_*?\\",
    "\x00住房\x00",
    "<script>alert(1)</script>",
    "住" * 10_000,
    "a",
    "   ",
]


@pytest.mark.parametrize("q", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_queries_never_give_an_error_page(client, city, q):
    html = get(client, q=q)
    assert html.count("<script") == 1  # only the site's own script tag
    count = int(re.search(r"共找到 <strong>(\d+)</strong> 条结果", html).group(1))
    has_message = 'class="notice"' in html
    # Either a clear message, or an honest (possibly empty) result list.
    assert has_message or count == len(result_titles(html)) or count > 20


@pytest.mark.parametrize("q", ["!!!", "！！！？？？……", "😀😀😀", "%_*?\\"])
def test_query_with_nothing_searchable_says_so_and_finds_nothing(client, city, q):
    html = get(client, q=q)
    assert "检索词中没有可检索的文字" in html
    assert "共找到 <strong>0</strong> 条结果" in html


def test_very_long_query_is_cut_with_a_message(client, city):
    html = get(client, q="住" * 10_000)
    assert "检索词过长" in html


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999"},
        {"validity": "bogus"},
        {"sort": "; DROP"},
        {"agency": "<script>"},
        {"subject": "x" * 500},
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(client, city, params):
    html = get(client, q="通知", **params)
    assert "无效，已忽略" in html or "页码超出范围" in html
    assert html.count("<script") == 1  # only the site's own script tag


def test_page_beyond_the_last_says_so(client, city):
    html = get(client, q="通知", page="40")
    assert "页码超出范围" in html


def test_search_page_query_count_is_bounded(client, city, django_assert_max_num_queries):
    for i in range(15):
        builders.document(city["education"], f"关于义务教育的第{i}个通知", "义务教育")
    with django_assert_max_num_queries(4):
        html = get(client, q="义务教育", agency=city["education"].code)
    assert len(result_titles(html)) == 16
