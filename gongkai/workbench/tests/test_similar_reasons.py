"""The "same applicant" panel says why each application was matched (issue 15, §5)."""

import pytest
from django.urls import reverse

from gongkai.applications.selectors import similar_applications
from gongkai.publishing.tests.factories import make_office

from .applications_world import register


@pytest.fixture
def office(db):
    return make_office()


def reasons_on_page(client, application, other) -> str:
    page = client.get(reverse("workbench:application_detail", args=[application.pk])).content.decode()
    panel = page.split('id="similar"')[1]
    row = panel.split(other.tracking_no)[1].split("</li>")[0]
    return row.split('class="wb-match">')[1].split("</p>")[0]


def test_the_panel_names_the_fields_two_applications_share(client, office):
    first = register(office, description="江州市第一中学2025年度部门预算")
    # Same identity number, phone, name and address; asks for something else.
    second = register(office, description="滨江区新建学校配套工程的招标文件")
    client.force_login(office.clerk)
    shown = reasons_on_page(client, second, first)
    assert shown.startswith("匹配依据：")
    assert "证件号码相同" in shown and "联系电话相同" in shown and "姓名和地址相同" in shown
    assert "申请内容相近" not in shown


def test_a_match_by_content_alone_says_so_and_names_no_personal_field(client, office):
    first = register(office, description="2025年江州市义务教育阶段学校招生计划")
    other = register(
        office,
        name="李四",
        id_number="360402197911142658",
        phone="13900001111",
        address="江州市江滨路9号",
        description="江州市2025年义务教育阶段学校招生计划",
    )
    [found] = similar_applications(other)
    assert found == first
    assert len(found.match_reasons) == 1 and found.match_reasons[0].startswith("申请内容相近（")
    client.force_login(office.clerk)
    shown = reasons_on_page(client, other, first)
    assert "申请内容相近" in shown and "证件号码" not in shown and "联系电话" not in shown


def test_an_organisation_is_matched_by_its_code(office):
    company = {
        "applicant_type": "commercial_enterprise",
        "id_type": "",
        "id_number": "",
        "org_code": "91330100MA27XY1234",
    }
    first = register(office, name="江州市明德教育科技有限公司", description="食堂承包合同", **company)
    second = register(office, name="明德教育科技", description="校服采购合同", phone="", **company)
    [found] = similar_applications(second)
    assert found == first and found.match_reasons == ["统一社会信用代码相同"]
