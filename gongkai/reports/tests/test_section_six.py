"""Section 六 of the annual report states what the platform knows about supervision: the year's
assessment result with the agency's place, and the public's ratings; the office types neither."""

import io
from datetime import date

import docx
import pytest

from gongkai.assessment import services as assessment
from gongkai.assessment.tests.factories import make_area, make_scheme, recorded_application
from gongkai.reports.annual import annual_report_data
from gongkai.reports.exports import export
from gongkai.reports.presentation import assessment_paragraph, generated_paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return make_area()


def test_the_yearly_assessment_result_and_ratings_are_reported_in_section_six(area):
    scheme = make_scheme(2026, reply_on_time=60, overdue=40)
    recorded_application(area.education, due=date(2026, 2, 10), decided=date(2026, 2, 9))
    recorded_application(
        area.finance, due=date(2026, 2, 10), decided=date(2026, 2, 20)
    )  # late: 0.6 * 0 + 0.4 * 80
    assessment.assessment_compute(
        scheme=scheme,
        authority=area.authority,
        period="2026",
        actor=area.supervisor,
        today=date(2026, 12, 31),
    )
    for rating, address in ((5, "203.0.113.1"), (4, "203.0.113.2")):
        assessment.page_rate(path="/agencies/x/", agency=area.finance, rating=rating, client_ip=address)

    finance = annual_report_data(agency=area.finance, year=2026)
    assert finance["assessment_section"] == {
        "assessment": {"scheme": "政务公开工作考核", "total": "32", "rank": 2, "ranked": 2},
        "evaluation": {"ratings": 2, "mean": 4.5},
    }
    assert assessment_paragraph(finance) == (
        "本年度政府信息公开工作考核（政务公开工作考核）得分32分，在2个被考核机关中排名第2。"
        "本年度公众对本机关政府信息公开工作评价2次，平均4.5分（满分5分）。"
    )
    # The fee sentence comes first, then supervision, each its own paragraph of section 六.
    assert generated_paragraphs(finance).split("\n\n")[1].startswith("本年度政府信息公开工作考核")
    document = docx.Document(
        io.BytesIO(export(finance, "docx", {"fees_section": generated_paragraphs(finance)}))
    )
    assert any("排名第2" in p.text for p in document.paragraphs)


def test_nothing_is_claimed_when_the_platform_holds_no_result_or_rating(area):
    data = annual_report_data(agency=area.education, year=2025)
    assert data["assessment_section"] == {}
    assert assessment_paragraph(data) == ""
    # A quarterly result is not the year's result.
    scheme = make_scheme(2025)
    assessment.assessment_compute(
        scheme=scheme,
        authority=area.authority,
        period="2025Q1",
        actor=area.supervisor,
        today=date(2025, 4, 1),
    )
    assert annual_report_data(agency=area.education, year=2025)["assessment_section"] == {}
