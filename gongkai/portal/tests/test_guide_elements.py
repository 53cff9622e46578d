"""What real disclosure guides give and the generated one now gives too (issue 12 §4), one test
per element: the printable application forms, the possible replies (Art. 36) and who answers
(Art. 10), the complaint, reconsideration and court bodies with addresses (also for an agency
with no parent recorded), and the forms of disclosure explained in the catalogue section."""

import io

import docx
import pymupdf
import pytest
from django.urls import reverse

from . import builders

pytestmark = pytest.mark.django_db


def guide_html(client, agency) -> str:
    response = client.get(reverse("portal:guide", args=[agency.code]))
    assert response.status_code == 200
    return response.content.decode()


def form(client, agency, variant: str, fmt: str):
    return client.get(reverse("portal:guide_application_form", args=[agency.code, variant, fmt]))


@pytest.mark.parametrize("variant", ["person", "organisation"])
def test_the_application_form_prints_as_pdf_with_the_agencys_details(client, variant):
    city = builders.agency()
    response = form(client, city, variant, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        text = "".join(page.get_text() for page in pdf).replace("\n", "")
    assert "政府信息公开申请表" in text
    assert "受理机关：江川市人民政府（江川市人民政府办公室政务公开科）" in text
    assert (
        builders.OFFICE.address in text and builders.OFFICE.phone in text and builders.OFFICE.postcode in text
    )
    assert "所需政府信息的名称" in text and "纸质文本" in text and "电子邮件" in text and "自行领取" in text
    if variant == "person":
        assert "证件号码" in text and "统一社会信用代码" not in text
    else:
        assert "统一社会信用代码" in text and "法定代表人或者负责人" in text and "证件号码" not in text


@pytest.mark.parametrize("variant", ["person", "organisation"])
def test_the_application_form_is_an_editable_word_document(client, variant):
    city = builders.agency()
    response = form(client, city, variant, "docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "政府信息公开申请表"
    assert paragraphs[1] == "受理机关：江川市人民政府（江川市人民政府办公室政务公开科）"
    cells = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert ("姓名" in cells) == (variant == "person")
    assert ("名称" in cells) == (variant == "organisation")
    assert any(builders.OFFICE.address in p for p in paragraphs)


def test_the_guide_links_the_forms_and_unknown_ones_are_not_found(client):
    city = builders.agency()
    html = guide_html(client, city)
    for variant in ("person", "organisation"):
        for fmt in ("pdf", "docx"):
            assert reverse("portal:guide_application_form", args=[city.code, variant, fmt]) in html
    assert form(client, city, "robot", "pdf").status_code == 404
    assert form(client, city, "person", "odt").status_code == 404


def test_the_guide_lists_the_seven_possible_replies_and_who_answers(client):
    html = guide_html(client, builders.agency())
    replies = html[html.index('id="replies"') : html.index("</ol>", html.index('id="replies"'))]
    assert replies.count("<li>") == 7
    assert "经检索没有所申请公开信息的，告知申请人该政府信息不存在" in replies
    assert "告知申请人不予重复处理" in replies
    assert "第三十六条" in html
    assert "由制作该政府信息的行政机关负责公开" in html and "第十条" in html


def test_the_guide_names_the_complaint_body_with_its_address(client):
    city = builders.agency()
    department = builders.agency("江川市教育局", parent=city, level="department", office=None)
    html = guide_html(client, department)
    bodies = html[html.index('id="complaint-bodies"') :]
    assert "上一级行政机关" in bodies and "江川市人民政府" in bodies
    assert f"地址：{builders.OFFICE.address}" in bodies
    assert reverse("portal:complaint_new") in bodies


def test_an_agency_with_no_parent_still_names_where_to_complain_and_appeal(client):
    city = builders.agency()  # no parent, no competent authority recorded
    html = guide_html(client, city)
    bodies = html[html.index('id="complaint-bodies"') :]
    assert "本机关未登记上一级行政机关和政府信息公开工作主管部门" in bodies
    assert reverse("portal:complaint_new") in bodies
    assert "江州市滨江区人民路1号市民中心" in html and "江州市滨江区法院路8号" in html


def test_the_catalogue_section_explains_the_forms_of_disclosure(client):
    html = guide_html(client, builders.agency())
    section = html[html.index('id="disclosure-forms"') :]
    for term in ("主动公开", "依申请公开", "不予公开"):
        assert f"<dt>{term}</dt>" in section
    assert "第十四条至第十六条" in section
