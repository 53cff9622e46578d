"""Published annual reports on the portal: the list, each report as a page with the fee
paragraph of section 六 and its explanations, and the downloads; drafts are never shown."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services
from gongkai.reports.checks import RULE_CARRY_OVER
from gongkai.reports.tests.history import application, load

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1
LAST = YEAR - 1


@pytest.fixture
def bureau():
    agency = make_agency("江州市交通运输局")
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    load(
        agency,
        [
            application("A1", f"{LAST}-12-10", "natural_person"),  # open at the end of LAST
            application("A2", f"{YEAR}-02-10", "natural_person", f"{YEAR}-03-01", "disclosed", fee=120.5),
        ],
    )
    last = services.annual_report_start(agency=agency, year=LAST, actor=clerk)
    services.annual_report_publish(report=last, actor=head)
    # Corrected afterwards: A1 was closed in LAST, so this year's 二 no longer matches.
    load(agency, [application("A1", f"{LAST}-12-10", "natural_person", f"{LAST}-12-30", "disclosed")])
    report = services.annual_report_start(agency=agency, year=YEAR, actor=clerk)
    services.annual_report_save_narrative(
        report=report, narrative={"overview": "全年主动公开政府信息1234条。"}, actor=clerk
    )
    services.annual_report_explain(
        report=report, rule=RULE_CARRY_OVER, text="原系统更正了办结日期。", actor=clerk
    )
    services.annual_report_publish(report=report, actor=head)
    draft_agency = make_agency("江州市水利局")
    services.annual_report_start(agency=draft_agency, year=YEAR, actor=make_staff(draft_agency, Role.CLERK))
    return {"agency": agency, "draft_agency": draft_agency}


def test_the_list_shows_published_reports_only(client, bureau):
    response = client.get(reverse("portal:reports"))
    assert response.status_code == 200 and "max-age" in response["Cache-Control"]
    html = response.content.decode()
    agency = bureau["agency"]
    for year in (YEAR, LAST):
        assert reverse("portal:report", args=[agency.code, year]) in html
    assert "江州市水利局" not in html  # a draft
    narrowed = client.get(reverse("portal:reports"), {"agency": agency.code, "year": LAST}).content.decode()
    assert reverse("portal:report", args=[agency.code, LAST]) in narrowed
    assert reverse("portal:report", args=[agency.code, YEAR]) not in narrowed


def test_the_report_page_shows_the_whole_report_and_its_downloads(client, bureau):
    agency = bureau["agency"]
    response = client.get(reverse("portal:report", args=[agency.code, YEAR]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"江州市交通运输局政府信息公开工作年度报告（{YEAR}年）" in html
    assert "全年主动公开政府信息1234条。" in html
    assert "本年度共发出信息处理费收费通知1件，收取信息处理费120.50元。" in html
    assert "三、收到和处理政府信息公开申请情况" in html and 'class="report-table table2"' in html
    assert RULE_CARRY_OVER in html and "原系统更正了办结日期。" in html  # why 二 differs
    for fmt in ("pdf", "docx", "xlsx"):
        assert reverse("portal:report_download", args=[agency.code, YEAR, fmt]) in html
    assert reverse("portal:report", args=[agency.code, LAST]) in html  # the other year


def test_downloads_open(client, bureau):
    agency = bureau["agency"]
    pdf = client.get(reverse("portal:report_download", args=[agency.code, YEAR, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    xlsx = client.get(reverse("portal:report_download", args=[agency.code, YEAR, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book["报告正文"]["A1"].value == f"江州市交通运输局政府信息公开工作年度报告（{YEAR}年）"
    docx = client.get(reverse("portal:report_download", args=[agency.code, YEAR, "docx"]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert client.get(reverse("portal:report_download", args=[agency.code, YEAR, "html"])).status_code == 404


def test_drafts_and_unknown_reports_are_not_found(client, bureau):
    draft = bureau["draft_agency"]
    assert client.get(reverse("portal:report", args=[draft.code, YEAR])).status_code == 404
    assert client.get(reverse("portal:report_download", args=[draft.code, YEAR, "pdf"])).status_code == 404
    assert client.get(reverse("portal:report", args=[bureau["agency"].code, 2015])).status_code == 404
    assert client.get(reverse("portal:report", args=["000000000", YEAR])).status_code == 404


def test_the_agency_page_and_the_guide_link_to_the_reports(client, bureau):
    agency = bureau["agency"]
    target = f"{reverse('portal:reports')}?agency={agency.code}"
    assert target in client.get(reverse("portal:agency", args=[agency.code])).content.decode()
    assert target in client.get(reverse("portal:guide", args=[agency.code])).content.decode()
