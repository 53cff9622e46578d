"""The annual report written in the workbench as an office does it: start from last year's
text, see the fee figures of section 六 filled in, find a broken rule by its name, have
publication refused until it is explained, publish; figures entered by hand; every download
opens; the competent authority's sum and its late agencies."""

import io
import re
import zipfile

import docx
import openpyxl
import pymupdf
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import AgencyLevel, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_office, make_staff
from gongkai.reports.checks import RULE_CARRY_OVER
from gongkai.reports.models import AnnualReport, ManualFigure, ManualKey, ReportStatus
from gongkai.reports.tests.history import application, load
from gongkai.workbench.forms_reports import explain_prefix

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1
LAST = YEAR - 1


def _url(name: str, agency, year: int, **kwargs) -> str:
    return reverse(f"workbench:{name}", kwargs={"code": agency.code, "year": year, **kwargs})


def _post(client, name: str, agency, year: int, data: dict | None = None):
    response = client.post(_url(name, agency, year), data or {})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


@pytest.fixture
def office(db):
    office = make_office("江州市交通运输局")
    load(
        office.agency,
        [
            application("A1", f"{LAST}-03-01", "natural_person", f"{LAST}-03-20", "disclosed"),
            application("A2", f"{LAST}-12-10", "commercial_enterprise"),  # open at the end of LAST
            application("A3", f"{LAST}-12-20", "research_institution"),  # open at the end of LAST
            application("A4", f"{YEAR}-02-10", "natural_person", f"{YEAR}-03-01", "withheld_process", fee=50),
        ],
    )
    return office


def _publish_last_year(client, office):
    client.force_login(office.clerk)
    _post(client, "report_start", office.agency, LAST)
    _post(client, "report_narrative", office.agency, LAST, {
        "narrative-overview": f"{LAST}年，我局认真贯彻《条例》。", "narrative-problems": "公开指南更新不及时。",
        "narrative-other_matters": "无。",
    })  # fmt: skip
    client.force_login(office.office_head)
    _post(client, "report_publish", office.agency, LAST)


def test_start_write_explain_the_broken_rule_and_publish(client, office):
    agency = office.agency
    _publish_last_year(client, office)
    # The former system's next export says A3 was in fact closed on 30 December of LAST.
    load(agency, [application("A3", f"{LAST}-12-20", "research_institution", f"{LAST}-12-30", "disclosed")])

    client.force_login(office.clerk)
    listing = client.get(reverse("workbench:report_list"), {"year": YEAR}).content.decode()
    assert f"编写{YEAR}年度报告" in listing
    _post(client, "report_start", agency, YEAR)
    page = client.get(_url("report_detail", agency, YEAR)).content.decode()
    # Last year's text to start from, and the fees of section 六 filled in from the records.
    assert f"{LAST}年，我局认真贯彻《条例》。" in page and "公开指南更新不及时。" in page
    assert "本年度共发出信息处理费收费通知1件，收取信息处理费50元。" in page
    # The broken rule is reported by its name, with where it breaks.
    assert f'data-rule="{RULE_CARRY_OVER}"' in page and "尚未说明" in page
    assert "科研机构" in page  # the applicant column where 二 differs from last year's 四

    _post(client, "report_narrative", agency, YEAR, {
        "narrative-overview": f"{YEAR}年，我局……", "narrative-problems": "公开指南更新不及时。",
        "narrative-other_matters": "本年度无其他需要报告的事项。",
    })  # fmt: skip

    client.force_login(office.office_head)
    refused = client.post(_url("report_publish", agency, YEAR))
    assert refused.status_code == 400
    assert "以下勾稽关系不成立" in refused.content.decode() and RULE_CARRY_OVER in refused.content.decode()
    assert AnnualReport.objects.get(agency=agency, year=YEAR).status == ReportStatus.DRAFT

    client.force_login(office.clerk)
    _post(client, "report_explain", agency, YEAR, {
        "rule": RULE_CARRY_OVER, f"{explain_prefix(RULE_CARRY_OVER)}-text": "上年度报告发布后，原系统更正了一件申请的办结日期。",
    })  # fmt: skip
    client.force_login(office.office_head)
    _post(client, "report_publish", agency, YEAR)
    report = AnnualReport.objects.get(agency=agency, year=YEAR)
    assert report.status == ReportStatus.PUBLISHED and report.published_by == office.office_head
    assert report.narrative["overview"] == f"{YEAR}年，我局……"
    page = client.get(_url("report_detail", agency, YEAR)).content.decode()
    assert reverse("portal:report", args=[agency.code, YEAR]) in page
    assert "narrative-overview" not in page  # a published report is read, not edited
    assert (
        client.post(_url("report_narrative", agency, YEAR), {"narrative-overview": "改"}).status_code == 400
    )


def test_an_invalid_explanation_form_shows_the_page_again(client, office):
    client.force_login(office.clerk)
    _post(client, "report_start", office.agency, YEAR)
    response = client.post(_url("report_explain", office.agency, YEAR), {"rule": "随便"})
    assert response.status_code == 400 and "未知的勾稽关系" in response.content.decode()


def test_figures_entered_by_hand_fill_table_1_and_are_marked(client, office):
    agency = office.agency
    client.force_login(office.clerk)
    _post(client, "report_start", agency, YEAR)
    _post(client, "report_figures", agency, YEAR, {
        "figures-licensing": "120", "figures-licensing_note": "行政审批系统统计",
        "figures-fees": "12.35",
    })  # fmt: skip
    figures = {f.key: f for f in ManualFigure.objects.filter(agency=agency, year=YEAR)}
    assert set(figures) == {ManualKey.LICENSING, ManualKey.FEES}
    assert figures[ManualKey.LICENSING].note == "行政审批系统统计"
    report = AnnualReport.objects.get(agency=agency, year=YEAR)
    assert report.data["tables"]["table1"]["licensing"] == {"decisions": 120}  # regenerated at once
    page = client.get(_url("report_detail", agency, YEAR)).content.decode()
    assert re.search(r'class="figure manual"[^>]*>120<sup class="manual-mark"', page)
    assert "注：标“*”的数字为人工填报。" in page
    assert 'value="120"' in page and 'value="12.35"' in page  # the form shows what is stored

    # A figure once entered is corrected, not removed; a fraction of a decision is refused.
    response = client.post(
        _url("report_figures", agency, YEAR), {"figures-licensing": "", "figures-fees": "12.35"}
    )
    assert response.status_code == 400 and "不能删除" in response.content.decode()
    response = client.post(_url("report_figures", agency, YEAR), {"figures-licensing": "1.5"})
    assert response.status_code == 400
    assert ManualFigure.objects.get(agency=agency, year=YEAR, key=ManualKey.LICENSING).value == 120


def test_a_2020_report_is_written_in_the_trial_layout_with_its_own_hand_figures(client, office):
    agency = office.agency
    client.force_login(office.clerk)
    _post(client, "report_start", agency, 2020)
    page = client.get(_url("report_detail", agency, 2020)).content.decode()
    for label in ("第二十条第（九）项", "本年新制作数量", "其他对外管理服务事项", "政府集中采购"):
        assert label in page, label
    assert 'name="figures-fees"' not in page  # 2021's fee income is not a cell of this layout
    _post(client, "report_figures", agency, 2020, {
        "figures-penalty_previous_items": "120", "figures-penalty_change": "-15",
        "figures-procurement_amount_10k_yuan": "25.1", "figures-procurement_amount_10k_yuan_note": "采购系统",
    })  # fmt: skip
    table1 = AnnualReport.objects.get(agency=agency, year=2020).data["tables"]["table1"]
    assert table1["penalty"] == {"previous_items": 120, "change": -15, "decisions": 0}
    assert table1["procurement"] == {"projects": 0, "amount_10k_yuan": "25.1"}
    page = client.get(_url("report_detail", agency, 2020)).content.decode()
    assert 'value="-15"' in page and 'value="采购系统"' in page
    # Only 本年增/减 may fall below zero; the form says so and keeps what was typed.
    response = client.post(
        _url("report_figures", agency, 2020),
        {"figures-penalty_previous_items": "-3", "figures-penalty_change": "-15",
         "figures-procurement_amount_10k_yuan": "25.1"},
    )  # fmt: skip
    assert response.status_code == 400 and 'value="-3"' in response.content.decode()
    assert (
        ManualFigure.objects.get(agency=agency, year=2020, key=ManualKey.TRIAL_PENALTY_PREVIOUS).value == 120
    )


def test_every_download_opens(client, office):
    agency = office.agency
    client.force_login(office.clerk)
    _post(client, "report_start", agency, YEAR)
    _post(client, "report_narrative", agency, YEAR, {"narrative-overview": "总体情况良好。"})
    title = f"{agency.name}政府信息公开工作年度报告（{YEAR}年）"

    pdf = client.get(_url("report_download", agency, YEAR, fmt="pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"] and pdf["Cache-Control"] == "private, no-store"
    with pymupdf.open(stream=pdf.content, filetype="pdf") as doc:
        text = "".join(p.get_text() for p in doc).replace("\n", "")
    assert "总体情况良好。" in text and "收取信息处理费50元" in text

    xlsx = client.get(_url("report_download", agency, YEAR, fmt="xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["报告正文", "表1 主动公开", "表2 依申请公开", "表3 复议诉讼"]
    assert book["报告正文"]["A1"].value == title
    figures = [c.value for row in book["表2 依申请公开"].iter_rows() for c in row if isinstance(c.value, int)]
    assert 1 in figures  # A4 received in YEAR

    word = client.get(_url("report_download", agency, YEAR, fmt="docx"))
    assert zipfile.is_zipfile(io.BytesIO(word.content))
    assert docx.Document(io.BytesIO(word.content)).paragraphs[0].text == title

    html = client.get(_url("report_download", agency, YEAR, fmt="html"))
    assert html["Content-Type"].startswith("text/html") and "attachment" not in html["Content-Disposition"]
    assert title in html.content.decode() and "总体情况良好。" in html.content.decode()


def test_the_list_shows_each_agency_in_scope_with_its_years(client, office):
    client.force_login(office.clerk)
    _post(client, "report_start", office.agency, LAST)
    page = client.get(reverse("workbench:report_list"), {"year": YEAR}).content.decode()
    assert office.agency.name in page
    assert _url("report_start", office.agency, YEAR) in page
    assert _url("report_detail", office.agency, LAST) in page  # another year, already started
    assert 'aria-current="page">年度报告' in page  # the navigation item


def test_the_competent_authority_sees_the_sum_and_the_late_agencies(client):
    city = make_agency("江州市人民政府", level=AgencyLevel.CITY)
    education = make_agency("江州市教育局", parent=city, level=AgencyLevel.DEPARTMENT)
    finance = make_agency("江州市财政局", parent=city, level=AgencyLevel.DEPARTMENT)
    load(education, [application("E1", f"{LAST}-05-05", "natural_person", f"{LAST}-05-30", "disclosed")])
    load(finance, [application("F1", f"{LAST}-06-01", "other_org", f"{LAST}-06-20", "unprocessed_repeat")])
    client.force_login(make_staff(education, Role.CLERK))
    _post(client, "report_start", education, LAST)
    client.force_login(make_staff(education, Role.OFFICE_HEAD))
    _post(client, "report_publish", education, LAST)  # published, but long after 31 January
    client.force_login(make_staff(city, Role.SUPERVISOR))

    response = client.get(reverse("workbench:report_summary"), {"agency": city.code, "year": LAST})
    assert response.status_code == 200
    page = response.content.decode()
    assert "共 3 个机关（含本机关），已发布年度报告 1 个" in page
    late = re.search(r'<section[^>]*id="late".*?</section>', page, re.S).group(0)
    # Every one is late for LAST: the deadlines passed early last year, and education published today.
    assert all(a.name in late for a in (city, education, finance))
    assert f"{LAST + 1}-01-31" in late and f"{LAST + 1}-03-31" in late  # departments / the government
    assert timezone.localdate().isoformat() in late  # education's publication date
    table2 = re.search(r'<table class="report-table table2">.*?</table>', page, re.S).group(0)
    received = re.search(r"一、本年新收政府信息公开申请数量</th>(.*?)</tr>", table2, re.S).group(1)
    assert re.findall(r">(\d+)</td>", received)[-1] == "2"  # 总计: E1 and F1 summed
