"""The region's report (issue 12 §3): a government's report for the whole government, built from
its own records and its departments', through the same narrative, checks, publication and
exports as an agency's, titled 「××市人民政府2024年政府信息公开工作年度报告」 and opened with the
standard paragraph (basis, period, where to download, whom to ask)."""

import io

import docx
import openpyxl
import pytest

from gongkai.agencies.models import Agency, AgencyLevel, DisclosureOffice, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import printed, services
from gongkai.reports.annual import annual_report_data
from gongkai.reports.exports import export
from gongkai.reports.models import ReportStatus
from gongkai.reports.presentation import report_file

from .history import application, load

pytestmark = pytest.mark.django_db
TITLE = "江州市人民政府2024年政府信息公开工作年度报告"


@pytest.fixture
def city():
    city = make_agency("江州市人民政府", level=AgencyLevel.CITY)
    DisclosureOffice.objects.create(
        agency=city,
        name="江州市人民政府办公室",
        address="江州市人民路1号",
        postcode="330100",
        phone="0791-12345678",
    )
    bureau = make_agency("江州市教育局", parent=city, level=AgencyLevel.DEPARTMENT)
    load(city, [application("C1", "2024-02-01", "natural_person", "2024-02-20", "disclosed")])
    load(
        bureau,
        [
            application("B1", "2023-12-20", "natural_person", "2024-01-10", "disclosed"),
            application("B2", "2024-05-06", "commercial_enterprise", "2024-05-28", "unavailable_not_held"),
            application("B3", "2024-12-30", "natural_person"),
        ],
    )
    return city


def test_the_regional_report_counts_the_government_and_its_departments(city):
    own = annual_report_data(agency=city, year=2024)
    region = annual_report_data(agency=city, year=2024, regional=True)
    assert own["tables"]["table2"]["received"]["total"] == 1
    table2 = region["tables"]["table2"]
    assert (table2["received"]["total"], table2["carried_over"]["total"]) == (3, 1)
    assert (table2["total"]["total"], table2["carried_forward"]["total"]) == (3, 1)
    assert region["checks"] == []  # 二 checked against 2023 computed over the region: 1
    assert region["regional"] is True and region["agencies"] == 2


def test_the_regional_report_is_titled_and_opened_as_real_ones(city):
    clerk = make_staff(city, Role.CLERK)
    report = services.annual_report_start(agency=city, year=2024, actor=clerk, regional=True)
    assert report.regional and report.title == TITLE
    opening = report.data["opening"]
    assert opening.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert "国办公开办函〔2021〕30号" in opening
    assert "统计期限自2024年1月1日起至2024年12月31日止" in opening
    assert "查阅和下载" in opening
    assert (
        "请与江州市人民政府办公室联系（地址：江州市人民路1号；邮编：330100；电话：0791-12345678）" in opening
    )


def test_the_regional_report_is_published_and_exported_like_an_agencys(city, client):
    clerk, head = make_staff(city, Role.CLERK), make_staff(city, Role.OFFICE_HEAD)
    report = services.annual_report_start(agency=city, year=2024, actor=clerk, regional=True)
    services.annual_report_save_narrative(report=report, narrative={"overview": "全市情况。"}, actor=clerk)
    report = services.annual_report_publish(report=report, actor=head)
    assert report.status == ReportStatus.PUBLISHED
    assert report.data["tables"]["table2"]["received"]["total"] == 3  # regenerated over the region
    html = export(report.data, "html", report.narrative).decode()
    assert f"<title>{TITLE}</title>" in html and "统计期限自2024年1月1日" in html
    assert html.index("统计期限") < html.index("一、总体情况")
    word = docx.Document(io.BytesIO(report_file(report, "docx")[0]))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == TITLE and texts[1].startswith("本报告根据")
    xlsx = report_file(report, "xlsx")[0]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    assert sheet["A1"].value == TITLE and sheet["A3"].value.startswith("本报告根据")
    assert printed.read_xlsx(xlsx)["year"] == 2024  # the title still gives the year
    page = client.get("/reports/").content.decode()
    assert TITLE in page
    assert client.get(f"/reports/{city.code}/2024/report.pdf").status_code == 200


def test_only_a_government_at_county_level_and_above_reports_for_its_region(city):
    bureau = Agency.objects.get(name="江州市教育局")
    with pytest.raises(services.ReportError, match="县级以上人民政府"):
        services.annual_report_start(
            agency=bureau, year=2024, actor=make_staff(bureau, Role.CLERK), regional=True
        )


def test_the_workbench_starts_the_regional_report(city, client):
    clerk = make_staff(city, Role.CLERK)
    client.force_login(clerk)
    page = client.get("/staff/reports/?year=2024").content.decode()
    assert 'name="regional" value="1"' in page
    response = client.post(f"/staff/reports/{city.code}/2024/start/", {"regional": "1"})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert TITLE in detail and 'id="regional"' in detail
