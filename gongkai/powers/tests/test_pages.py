"""The public pages: an agency's list by type with a filter, one power with the version in
force, its flow chart and its history, and the link from the agency's page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongkai.catalogue.tests.factories import make_agency
from gongkai.powers.models import PowerType
from gongkai.powers.services import decision_count_set, power_revise

from .factories import fields, make_power

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    agency = make_agency("江州市交通运输局")
    make_power(agency, "XK-001", "道路旅客运输经营许可", time_limit="20个工作日")
    make_power(agency, "CF-001", "对未取得道路运输经营许可擅自从事经营的处罚", type=PowerType.PENALTY)
    make_power(agency, "XK-002", "出租汽车经营许可", effective_from=date(2099, 1, 1))
    return agency


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_groups_powers_by_type(client, agency):
    html = page(client, f"/powers/{agency.code}/")
    assert "江州市交通运输局权力清单" in html
    html = html.split('<section class="panel"', 1)[1]
    assert html.index("行政许可") < html.index("道路旅客运输经营许可") < html.index("行政处罚")
    assert html.index("行政处罚") < html.index("对未取得道路运输经营许可擅自从事经营的处罚")
    assert f'href="/powers/{agency.code}/XK-001/"' in html
    assert "自2099年1月1日起施行" in html  # announced, not yet in force


def test_the_list_filters_by_type_and_by_name(client, agency):
    html = page(client, f"/powers/{agency.code}/?type=penalty")
    assert "擅自从事经营的处罚" in html and "道路旅客运输经营许可" not in html
    html = page(client, f"/powers/{agency.code}/?q=出租")
    assert "出租汽车经营许可" in html and "道路旅客运输经营许可" not in html
    html = page(client, f"/powers/{agency.code}/?type=bogus")  # an unknown type shows everything
    assert "道路旅客运输经营许可" in html and "擅自从事经营的处罚" in html


def test_the_list_says_when_an_agency_has_published_none(client):
    html = page(client, f"/powers/{make_agency('江州市水利局').code}/")
    assert "本机关尚未公开权力清单" in html


def test_the_list_takes_a_fixed_number_of_queries(client, agency):
    for n in range(3, 30):
        make_power(agency, f"JC-{n:03d}", f"检查事项{n}", type=PowerType.INSPECTION)
    with CaptureQueriesContext(connection) as queries:
        page(client, f"/powers/{agency.code}/")
    assert len(queries) <= 3


def test_the_detail_page_shows_the_version_in_force_and_its_flow_chart(client, agency):
    html = page(client, f"/powers/{agency.code}/XK-001/")
    assert "道路旅客运输经营许可" in html
    assert "《中华人民共和国道路运输条例》第十条" in html and "运输管理科" in html and "12345" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img"' in html
    assert "第1步：申请；第2步：受理" in html
    assert "<script" not in html.split("</head>")[1]  # the page itself needs no script


def test_the_detail_page_keeps_the_history_and_announces_the_next_version(client, agency):
    power = agency.powers.get(code="XK-001")
    power_revise(
        power=power, effective_from=date(2025, 1, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    power_revise(
        power=power, effective_from=date(2099, 7, 1), values=fields(time_limit="10个工作日"), actor=None
    )
    html = page(client, f"/powers/{agency.code}/XK-001/")
    current = html.split('id="facts-title"')[1].split("</section>")[0]
    assert "15个工作日" in current
    history = html.split('id="history-title"')[1]
    assert "2099年7月1日起" in history and "尚未施行" in history
    assert "2025年1月1日至2099年6月30日" in history and "现行" in history
    assert "2024年1月1日至2024年12月31日" in history and "已停止施行" in history
    assert "20个工作日" in history and "10个工作日" in history
    assert "本事项自2099年7月1日起按修订后的内容施行" in html


def test_a_power_not_yet_in_force_shows_what_was_announced(client, agency):
    html = page(client, f"/powers/{agency.code}/XK-002/")
    assert "本事项自2099年1月1日起施行" in html


def test_the_detail_page_lists_decisions_by_year(client, agency):
    power = agency.powers.get(code="CF-001")
    decision_count_set(power=power, year=2024, count=37, actor=None)
    html = page(client, f"/powers/{agency.code}/CF-001/")
    assert "处理决定数量" in html and "<td>2024</td><td>37</td>" in html


def test_user_text_is_escaped(client, agency):
    make_power(agency, "QT-001", "<b>其他</b>", type=PowerType.OTHER, conditions="<script>x</script>")
    html = page(client, f"/powers/{agency.code}/QT-001/")
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<b>其他</b>" not in page(client, f"/powers/{agency.code}/")


@pytest.mark.parametrize("url", ["/powers/000000000/", "/powers/{code}/NOPE/", "/powers/000000000/XK-001/"])
def test_unknown_agencies_and_powers_are_404(client, agency, url):
    assert client.get(url.format(code=agency.code)).status_code == 404


def test_an_inactive_agencys_list_is_404(client, agency):
    agency.is_active = False
    agency.save()
    assert client.get(f"/powers/{agency.code}/").status_code == 404


def test_the_pages_are_public_and_cacheable(client, agency):
    response = client.get(f"/powers/{agency.code}/XK-001/")
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert client.post(f"/powers/{agency.code}/").status_code == 405


def test_the_agency_page_links_to_its_power_list(client, agency):
    html = page(client, f"/agencies/{agency.code}/")
    assert f'href="/powers/{agency.code}/"' in html
