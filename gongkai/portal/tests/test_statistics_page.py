"""The public statistics page: counts and rates by agency for anyone, nothing about applicants,
linked from every page's footer, cacheable, with the same downloads as the workbench."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.applications.rules import Outcome
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.publishing.tests.factories import make_office
from gongkai.reports.tests.history import load
from gongkai.workbench.tests.applications_world import ID_NUMBER, MOBILE, register

pytestmark = pytest.mark.django_db
PERSONAL = (
    "张三",
    ID_NUMBER,
    MOBILE,
    "zhangsan@example.com",
    "江州市滨江区江滨路1号",
    "义务教育阶段学校招生计划",
)


@pytest.fixture
def bureau():
    """An agency with this year's applications (one from a real applicant, decided) and a
    published document, and last year's history."""
    office = make_office("江州市教育局")
    today = timezone.localdate()
    decided = register(office, received_on=today)
    letter = services.application_decide(
        application=decided, outcome=Outcome.DISCLOSED, actor=office.clerk, provided_how="电子邮件发送"
    )
    services.letter_deliver(letter=letter, method="email", on=today, actor=office.clerk)
    register(office, received_on=today)
    make_document(office.agency, "江州市教育局政务公开工作要点", published_on=today)
    load(office.agency, [{"ref": "H1", "received_on": "2025-03-03", "channel": "online",
                          "applicant_type": "legal_service_org", "closed_on": "2025-03-10", "outcome": "disclosed"}])  # fmt: skip
    return office


def test_the_page_shows_counts_rates_and_the_table_by_agency(client, bureau):
    response = client.get(reverse("portal:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>政务公开统计</h1>" in html
    assert html.count('role="img"') >= 5
    assert f"{timezone.localdate().year}年每月新收和办结的申请" in html
    # Received this year 2, closed 1, on time 1 (replied the day it came), rate 100%.
    assert (
        '<th scope="row">江州市教育局</th><td class="num">2</td><td class="num">1</td><td class="num">1</td>'
        in html
    )
    assert '<span class="stats-figures__n">100%</span>' in html
    assert "public" in response["Cache-Control"]


def test_the_page_holds_nothing_about_applicants(client, bureau):
    tracking = list(bureau.agency.applications.values_list("tracking_no", flat=True))
    responses = [
        client.get(reverse("portal:statistics")),
        client.get(reverse("portal:statistics"), {"year": 2025}),
        client.get(reverse("portal:statistics_data", kwargs={"fmt": "csv"})),
    ]
    xlsx = client.get(reverse("portal:statistics_data", kwargs={"fmt": "xlsx"}))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    texts = [r.content.decode("utf-8-sig") for r in responses]
    texts.append("\n".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row))
    for text in texts:
        for personal in (*PERSONAL, *tracking):
            assert personal not in text
        assert "江州市教育局" in text  # agencies are named: their figures are public


def test_a_past_year_and_one_agency_can_be_chosen(client, bureau):
    other = make_agency("江州市财政局")
    load(
        other,
        [{"ref": "F1", "received_on": "2025-06-02", "channel": "post", "applicant_type": "natural_person"}],
    )
    html = client.get(reverse("portal:statistics"), {"year": 2025}).content.decode()
    assert '<th scope="row">江州市教育局</th>' in html and '<th scope="row">江州市财政局</th>' in html
    assert "法律服务机构" in html
    one = client.get(reverse("portal:statistics"), {"year": 2025, "agency": other.code}).content.decode()
    assert '<th scope="row">江州市财政局</th>' in one and '<th scope="row">江州市教育局</th>' not in one


def test_inactive_agencies_are_not_offered(client, bureau):
    closed = make_agency("江州市已撤销局")
    Agency.objects.filter(pk=closed.pk).update(is_active=False)
    load(
        closed,
        [{"ref": "X1", "received_on": "2025-06-02", "channel": "post", "applicant_type": "natural_person"}],
    )
    html = client.get(reverse("portal:statistics"), {"year": 2025}).content.decode()
    assert "江州市已撤销局" not in html
    refused = client.get(reverse("portal:statistics"), {"agency": closed.code}).content.decode()
    assert "选择一个有效的选项" in refused and "江州市已撤销局" not in refused


def test_the_csv_download_reads_back(client, bureau):
    response = client.get(reverse("portal:statistics_data", kwargs={"fmt": "csv"}), {"year": 2025})
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    assert "新收申请（件）,1" in text and "法律服务机构,1" in text
    assert client.get(reverse("portal:statistics_data", kwargs={"fmt": "exe"})).status_code == 404


def test_visits_within_five_minutes_share_one_count(client, bureau):
    client.get(reverse("portal:statistics"))
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("portal:statistics")).content.decode()
    # Only the year filter's MIN is read again; nothing is counted.
    assert not [q for q in captured if "COUNT(" in q["sql"]]
    assert '<th scope="row">江州市教育局</th><td class="num">2</td>' in html


def test_every_page_links_to_the_statistics(client, bureau):
    html = client.get(reverse("portal:home")).content.decode()
    assert f'<a href="{reverse("portal:statistics")}">政务公开统计</a>' in html


def test_without_any_record_the_page_says_there_is_no_data(client):
    html = client.get(reverse("portal:statistics")).content.decode()
    assert "暂无数据" in html and "<svg" not in html


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_charts_fit_the_screen_of_a_laptop_and_a_phone(live_server, new_page, width):
    agency = make_agency("江州市自然资源和规划局")
    load(agency, [{"ref": f"R{m}", "received_on": f"2025-{m:02d}-03", "channel": "post",
                   "applicant_type": "natural_person", "closed_on": f"2025-{m:02d}-20",
                   "outcome": "disclosed"} for m in range(1, 12)])  # fmt: skip
    page = new_page(width, 900)
    page.goto(live_server.url + reverse("portal:statistics") + "?year=2025")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    chart = page.locator("svg[role=img]").first
    assert chart.is_visible() and 0 < chart.bounding_box()["width"] <= width
    page.get_by_text("查看数据表").first.click()  # the table behind the chart opens
    assert page.locator(".stats-chart__data table").first.is_visible()
