"""Section 六 of the annual report states the year's consultations (count, comments, adoption
rate) and the questions answered in public, from those apps' figures (issue 16); the text check
reads nothing in those sentences."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from gongkai.consultations import services as consultation_services
from gongkai.consultations.rules import Adoption
from gongkai.consultations.tests.factories import close, make_consultation
from gongkai.publishing.tests.factories import make_office
from gongkai.questions import services as question_services
from gongkai.reports.annual import annual_report_data
from gongkai.reports.exports import export
from gongkai.reports.narrative import narrative_findings, participation_paragraph
from gongkai.reports.presentation import generated_paragraphs

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_years_consultations_and_questions_are_stated_in_section_six():
    office = make_office()
    c = make_consultation(office)
    comments = [
        consultation_services.comment_submit(consultation=c, body=body)
        for body in ("建议增加分类投放点。", "投放点太少。", "建议取消罚款条款。")
    ]
    c = close(c)
    g1 = consultation_services.group_create(
        consultation=c, summary="增加投放点", comment_ids=[comments[0].pk, comments[1].pk], actor=office.clerk
    )
    g2 = consultation_services.group_create(
        consultation=c, summary="取消罚款", comment_ids=[comments[2].pk], actor=office.clerk
    )
    consultation_services.group_decide(
        group=g1, decision=Adoption.PARTLY, reason="部分采纳", actor=office.clerk
    )
    consultation_services.group_decide(
        group=g2, decision=Adoption.NOT_ADOPTED, reason="罚则依据上位法设定", actor=office.clerk
    )
    year = c.opens_on.year
    asked = datetime.combine(c.opens_on, time(10), tzinfo=SHANGHAI)
    ask = dict(agency=office.agency, subject="招生划片", body="划片方案何时公布？", received_at=asked)
    answered = question_services.question_submit(**ask)
    question_services.question_answer(
        question=answered, answer="5月底公布。", publish=True, actor=office.clerk
    )
    question_services.question_submit(**ask)

    data = annual_report_data(agency=office.agency, year=year)
    assert data["participation_section"]["consultations"]["adoption_rate"] == 0.5
    text = participation_paragraph(data)
    assert text.startswith(
        "本年度公开征求意见1项，收到意见3条，归纳意见2类，采纳和部分采纳1类，采纳率50%。收到网上咨询2条，已答复1条，"
    )
    assert "公开发布1条" in text
    assert text in generated_paragraphs(data).split("\n\n")
    # What the platform writes never reads as a figure that disagrees with the tables.
    assert narrative_findings(data, {"other_matters": text}) == []
    assert text.encode() in export(data, "html", {"fees_section": generated_paragraphs(data)})

    # Another agency, or another year: nothing to state, no sentence.
    assert (
        annual_report_data(agency=make_office("江州市财政局").agency, year=year)["participation_section"]
        == {}
    )
    assert participation_paragraph({"participation_section": {}}) == ""
