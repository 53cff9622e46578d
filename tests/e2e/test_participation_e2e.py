"""Issue 16 end to end in headless Chromium: a citizen comments on a draft decision on a phone
and the office shows the comment with the phone number masked; after the period the office
groups the comments, decides on adoption and drafts the adoption report, which goes through the
bureau's own review chain and appears on the draft's page; a question is asked, answered from
the workbench inbox (overdue first) and published without the asker's personal data."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.consultations import services
from gongkai.consultations.tests.factories import close, make_consultation
from gongkai.publishing.tests.factories import Office, make_staff
from gongkai.questions import services as questions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Participation-2026"
PHONE_NO = "13912345678"


@pytest.fixture
def office():
    agency = make_agency("江州市教育局")
    people = {}
    for key, role in [
        ("clerk", Role.CLERK),
        ("unit_head", Role.REVIEWER),
        ("office_head", Role.OFFICE_HEAD),
        ("leader", Role.LEADER),
    ]:
        user = make_staff(agency, role, username=f"e2e-p-{key}")
        user.set_password(PASSWORD)
        user.save()
        people[key] = user
    return Office(agency=agency, clerk=people["clerk"], unit_head=people["unit_head"],
                  office_head=people["office_head"], leader=people["leader"])  # fmt: skip


def sign_in(page, base, user):
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/staff/")


def sign_out(page):
    page.locator("form.wb-logout button").click()
    expect(page).to_have_url(re.compile(r"/staff/login/"))


def test_a_comment_is_taken_on_a_phone_and_shown_masked(live_server, phone, page, office):
    c = make_consultation(office, title="江州市中小学课后服务管理办法（征求意见稿）")
    base = live_server.url

    phone.goto(base + "/consultations/")
    phone.get_by_role("link", name=c.draft.title).click()
    expect(phone.locator("[data-phase]")).to_have_text("征求意见中")
    phone.get_by_role("link", name="提出意见").click()
    phone.get_by_role("button", name="提交意见").click()  # empty: refused, nothing lost
    expect(phone.locator(".error-summary")).to_contain_text("意见内容")
    phone.get_by_label(re.compile(r"^意见内容")).fill(
        f"建议第二条增加低年级提前离校的选择。我的电话{PHONE_NO}。"
    )
    phone.get_by_label(re.compile(r"^姓名或名称")).fill("王小明")
    phone.get_by_role("button", name="提交意见").click()
    expect(phone.locator("[data-tracking-no]")).to_have_text(re.compile(r"^YJ\d{14}$"))

    sign_in(page, base, office.clerk)
    page.get_by_role("link", name="意见征集", exact=True).click()
    page.get_by_role("link", name=c.draft.title).click()
    comment = page.locator("[data-comment]").first
    expect(comment).to_contain_text(PHONE_NO)  # the office sees it in full
    comment.get_by_role("button", name="公开展示").click()
    expect(page.locator("[data-moderation]").first).to_have_text("已公开展示")

    phone.goto(f"{base}/consultations/{c.pk}/")
    shown = phone.locator("[data-comments]")
    expect(shown).to_contain_text("低年级提前离校")
    expect(shown).not_to_contain_text(PHONE_NO)
    expect(shown).not_to_contain_text("王小明")


def test_the_adoption_report_goes_through_the_review_chain_and_is_published(live_server, page, office):
    c = make_consultation(office, title="江州市校外培训机构监督管理办法（征求意见稿）")
    for body in ("建议公示退费办法。", "退费规则应写入办法。", "建议取消非学科类培训审批。"):
        services.comment_submit(consultation=c, body=body)
    c = close(c)
    base = live_server.url

    sign_in(page, base, office.clerk)
    page.goto(f"{base}/staff/consultations/{c.pk}/")
    expect(page.locator("[data-phase]").first).to_have_text("意见整理中")
    page.get_by_label(re.compile("YJ")).nth(0).check()
    page.get_by_label(re.compile("YJ")).nth(1).check()
    page.get_by_label("意见概要（新建类别）").fill("建议公示并规范退费办法")
    page.get_by_role("button", name="归类").click()
    page.get_by_label(re.compile("YJ")).nth(2).check()
    page.get_by_label("意见概要（新建类别）").fill("建议取消非学科类培训审批")
    page.get_by_role("button", name="归类").click()
    groups = page.locator("[data-group]")
    groups.nth(0).get_by_role("radio", name="采纳", exact=True).check()
    groups.nth(0).get_by_role("button", name="保存采纳情况").click()
    groups.nth(1).get_by_role("radio", name="未采纳").check()
    groups.nth(1).get_by_role("button", name="保存采纳情况").click()
    expect(page.locator("#error")).to_contain_text("须说明理由")  # a refusal says why
    groups.nth(1).get_by_role("radio", name="未采纳").check()
    groups.nth(1).get_by_label("理由").fill("审批依据国家规定设立，本办法无权取消。")
    groups.nth(1).get_by_role("button", name="保存采纳情况").click()
    expect(page.locator("[data-decision]").nth(1)).to_have_text("未采纳")
    expect(page.get_by_label(re.compile("^采纳情况说明"))).to_have_value(re.compile("共收到意见3条"))
    page.get_by_role("button", name="起草并进入审查").click()

    # The report is a record of the bureau's review chain like any other publication.
    page.locator("[data-report-record]").click()
    page.get_by_label("拟办意见").fill("拟公开意见采纳情况")
    page.get_by_role("button", name="提交审查").click()
    record_url = page.url.removeprefix(base)
    sign_out(page)
    for user in (office.unit_head, office.office_head, office.leader):
        sign_in(page, base, user)
        page.goto(base + record_url)
        page.get_by_role("radio", name="同意").check()
        page.get_by_label("审查意见").fill("同意")
        page.get_by_role("button", name="提交审查意见").click()
        sign_out(page)

    page.goto(f"{base}/consultations/{c.pk}/")
    expect(page.locator("[data-phase]")).to_have_text("已公布采纳情况")
    adoption = page.locator("[data-adoption]")
    expect(adoption).to_contain_text("建议公示并规范退费办法")
    expect(adoption).to_contain_text("本办法无权取消")
    page.get_by_role("link", name="意见采纳情况").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("公开征求意见采纳情况")


def test_a_question_is_answered_from_the_inbox_and_published_masked(live_server, page, office):
    late = questions.question_submit(
        agency=office.agency, subject="教师资格认定何时开始？", body="下半年教师资格认定何时报名？",
        received_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    base = live_server.url
    page.goto(f"{base}/questions/ask/?agency={office.agency.code}")
    page.get_by_label(re.compile("^标题")).fill("招生划片方案何时公布？")
    page.get_by_label(re.compile("^咨询内容")).fill(
        f"我叫李娜，电话{PHONE_NO}，想问今年招生划片方案何时公布？"
    )
    page.get_by_label(re.compile("^姓名或名称")).fill("李娜")
    page.get_by_role("button", name="提交").click()
    tracking_no = page.locator("[data-tracking-no]").inner_text().strip()

    sign_in(page, base, office.clerk)
    page.get_by_role("link", name="政民互动", exact=True).click()
    expect(page.locator(f'[data-question="{late.tracking_no}"] [data-overdue]')).to_have_text("已逾期")
    page.get_by_role("link", name=re.compile(tracking_no)).click()
    page.get_by_label(re.compile("^答复内容")).fill("李娜您好：方案将于5月20日前在本局网站公布。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("[data-state]")).to_have_text("已答复")

    page.goto(f"{base}/questions/?q=划片")
    page.get_by_role("link", name="招生划片方案何时公布？").click()
    article = page.locator("[data-question]")
    expect(article).to_contain_text("方案将于5月20日前")
    expect(article).not_to_contain_text(PHONE_NO)
    expect(article).not_to_contain_text("李娜")
