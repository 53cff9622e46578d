"""The agency page: overview, office, children, and its own catalogue with facet counts."""

import re

import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def city():
    return builders.city_with_documents()


def agency_html(client, agency, **params) -> str:
    response = client.get(reverse("portal:agency", args=[agency.code]), params)
    assert response.status_code == 200
    return response.content.decode()


def facet_counts(html: str) -> dict[str, int]:
    pairs = re.findall(
        r'<span class="facet__label">(.*?)</span>.*?<span class="facet__count">(\d+)</span>', html, re.S
    )
    return {label: int(n) for label, n in pairs}


def test_overview_office_and_children(client, city):
    html = agency_html(client, city["city"])
    assert "<h1>江川市人民政府</h1>" in html
    assert builders.OFFICE.name in html and builders.OFFICE.phone in html
    assert "江川市教育局" in html and "江川市东湖区人民政府" in html
    assert reverse("portal:guide", args=[city["city"].code]) in html


def test_catalogue_lists_only_this_agencys_documents_with_facet_counts(client, city):
    html = agency_html(client, city["city"])
    assert "共找到 <strong>3</strong> 条结果" in html
    assert "江川市教育局关于做好2024年义务教育招生工作的通知" not in html
    counts = facet_counts(html)
    assert counts["城乡建设、环境保护"] == 2 and counts["科技、教育"] == 1
    assert counts["通知"] == 2 and counts["意见"] == 1
    assert counts["2024年"] == 2 and counts["2023年"] == 1
    facets = html.split('<aside class="facets"')[1].split("</aside>")[0]
    assert "发布机关" not in facets  # fixed by the page, so no agency facet


def test_catalogue_browses_by_subject_genre_and_year(client, city):
    html = agency_html(client, city["city"], genre="通知", year="2024")
    assert "共找到 <strong>2</strong> 条结果" in html
    assert "体裁分类：通知" in html and "成文年份：2024年" in html
    html = agency_html(client, city["city"], subject="科技、教育")
    assert "共找到 <strong>1</strong> 条结果" in html


def test_facet_links_stay_on_the_agency_page(client, city):
    html = agency_html(client, city["city"])
    path = reverse("portal:agency", args=[city["city"].code])
    hrefs = re.findall(r'<a class="facet__link[^"]*" href="([^"]+)"', html)
    assert hrefs and all(h.startswith(path + "?") for h in hrefs)
    assert not any("agency=" in h for h in hrefs)


def test_agency_page_query_count_does_not_grow_with_documents(client, city, django_assert_max_num_queries):
    for i in range(20):
        builders.document(city["city"], f"江川市人民政府关于第{i}项工作的通知", "工作")
    with django_assert_max_num_queries(8):
        agency_html(client, city["city"])


def test_inactive_agency_is_404(client, city):
    township = city["township"]
    township.is_active = False
    township.save()
    assert client.get(reverse("portal:agency", args=[township.code])).status_code == 404


def test_catalogue_rows_show_the_columns_the_guide_promises(client, city):
    """The guide's catalogue section lists 索引号, 发文字号, 成文日期, 发布日期, 主题分类, 体裁分类 and
    有效性 (issue 12 §4): every row of the catalogue shows them."""
    html = agency_html(client, city["city"])
    housing = city["docs"]["housing"]
    row = html.split("江川市人民政府关于加快发展保障性租赁住房的实施意见")[1].split("</li>")[0]
    assert f'索引号 <span class="code">{housing.index_no}</span>' in row
    assert "江府发〔2023〕5号" in row and "成文日期 2023年6月1日" in row
    assert "主题分类 城乡建设、环境保护" in row and "体裁分类 意见" in row
    assert "有效" in row.split('class="badge badge--in_force">')[1]
    guide = client.get(reverse("portal:guide", args=[city["city"].code])).content.decode()
    assert all(column in guide for column in ("索引号", "成文日期", "有效性"))
