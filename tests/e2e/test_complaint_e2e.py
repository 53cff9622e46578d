"""A complaint end to end in headless Chromium: a citizen complains on a phone that an agency
does not publish what it must; the form keeps what was typed after a mistake; the complaint goes
to the agency's competent authority, whose clerk takes it up, answers and publishes the answer;
the citizen reads the answer with the query code; the public list of answers shows it without
the citizen's name or phone number."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Complaint-Flow-2026"
NAME = "王小明"
PHONE_NO = "13912345678"
ANSWER = "经调查，江州市教育局未按规定主动公开2026年招生计划，已责令其于五个工作日内公开。"


@pytest.fixture
def agencies():
    city = make_agency("江州市人民政府")
    office = make_agency("江州市人民政府办公室", parent=city, level="department")
    bureau = make_agency("江州市教育局", parent=city, level="department")
    bureau.competent_authority = office
    bureau.save()
    clerk = make_staff(office, Role.CLERK, username="e2e-complaint-clerk")
    clerk.set_password(PASSWORD)
    clerk.save()
    return bureau, office, clerk


def staff_sign_in(page, base, user):
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/staff/")


def test_a_complaint_is_answered_by_the_competent_authority_and_published_without_the_name(
    live_server, phone, page, agencies
):
    bureau, office, clerk = agencies
    base = live_server.url

    # The citizen complains on a phone; a missing contact is caught and nothing typed is lost.
    phone.goto(f"{base}/complaints/new/?agency={bureau.code}")
    phone.get_by_label("举报投诉", exact=True).check()
    phone.get_by_label("姓名或名称").fill(NAME)
    phone.get_by_label(re.compile(r"^内容")).fill(
        "江州市教育局网站上查不到2026年招生计划，应主动公开而未公开。"
    )
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator(".error-summary")).to_contain_text("举报投诉请填写联系方式")
    expect(phone.get_by_label("姓名或名称")).to_have_value(NAME)
    phone.get_by_label("联系方式").fill(PHONE_NO)
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/complaints/done/")
    expect(phone.locator("main")).to_contain_text(office.name)
    tracking_no = phone.locator("[data-tracking-no]").inner_text().strip()
    query_code = phone.locator("[data-query-code]").inner_text().strip()

    # The competent authority's clerk takes it up, answers and publishes the answer.
    staff_sign_in(page, base, clerk)
    page.get_by_role("link", name="举报与建议", exact=True).click()
    page.get_by_role("link", name=re.compile(tracking_no)).click()
    expect(page.locator("main")).to_contain_text(NAME)  # the routed agency sees who complained
    page.get_by_label("调查处理情况（内部）").fill("已核查该局网站，确未公开。")
    page.get_by_role("button", name="受理并开始调查").click()
    expect(page.locator("[data-state]")).to_have_text("调查处理中")
    page.get_by_label(re.compile(r"^答复内容")).fill(f"{NAME}：{ANSWER}")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("[data-state]")).to_have_text("已答复")
    page.get_by_label("公开的问题摘要").fill("反映江州市教育局未主动公开2026年招生计划。")
    page.get_by_role("button", name="公开答复").click()
    expect(page.locator("#error")).to_contain_text("个人信息")  # the name is still in the answer
    page.get_by_label("公开的答复内容").fill(ANSWER)
    page.get_by_role("button", name="公开答复").click()
    expect(page.locator("[data-public]")).to_have_text("答复已公开")

    # The citizen reads the answer with the query code.
    phone.goto(f"{base}/complaints/progress/")
    phone.get_by_label("编号").fill(tracking_no)
    phone.get_by_label("查询码").fill(query_code.lower())
    phone.get_by_role("button", name="查询").click()
    expect(phone.locator("[data-status]")).to_have_text("已答复")
    expect(phone.locator("[data-answer]")).to_contain_text(ANSWER)
    expect(phone.locator("[data-routed-to]")).to_have_text(office.name)

    # The public list shows the answer, naming no one.
    phone.goto(f"{base}/complaints/answers/")
    answers = phone.locator("[data-answers]")
    expect(answers).to_contain_text("反映江州市教育局未主动公开2026年招生计划。")
    expect(answers).to_contain_text(ANSWER)
    text = phone.locator("main").inner_text()
    assert NAME not in text and PHONE_NO not in text and tracking_no not in text
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
