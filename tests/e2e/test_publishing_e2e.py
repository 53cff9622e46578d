"""Proactive disclosure end to end in headless Chromium: a clerk drafts a record, the default
chain reviews it (the disclosure office returns it once, the clerk fixes and resubmits, a
personal datum found by the pre-scan is redacted), the leader approves, and a citizen finds
the published document through the portal's search, without the redacted number."""

import re

import pytest
from playwright.sync_api import expect

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.search.indexer import sync_pending

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Review-Chain-2026"
TITLE = "关于开展2026年冬季校园安全大检查的通知"
MOBILE = "13812345678"


@pytest.fixture
def team():
    agency = make_agency("江州市教育局")
    people = {}
    for key, role in [
        ("clerk", Role.CLERK),
        ("unit_head", Role.REVIEWER),
        ("office_head", Role.OFFICE_HEAD),
        ("leader", Role.LEADER),
    ]:
        user = make_staff(agency, role, username=f"e2e-{key}")
        user.set_password(PASSWORD)
        user.save()
        people[key] = user
    return people


def sign_in(page, base: str, user) -> None:
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/staff/")


def sign_out(page) -> None:
    page.locator("form.wb-logout button").click()
    expect(page).to_have_url(re.compile(r"/staff/login/"))


def open_record(page, base: str, record_url: str) -> None:
    page.goto(base + record_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)


def decide(page, decision: str, opinion: str) -> None:
    page.get_by_role("radio", name=decision).check()
    page.get_by_label("审查意见").fill(opinion)
    page.get_by_role("button", name="提交审查意见").click()


def test_draft_review_with_a_return_then_publish_and_find(page, live_server, team):
    base = live_server.url

    # The clerk drafts the record and sends it into review.
    sign_in(page, base, team["clerk"])
    page.goto(base + "/staff/records/new/")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("成文日期").fill("2026-11-20")
    page.get_by_label("正文").fill(f"各学校：请于12月底前完成安全检查。联系人电话{MOBILE}。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    record_url = page.url.removeprefix(base)
    page.get_by_label("拟办意见").fill("拟主动公开")
    page.get_by_role("button", name="提交审查").click()
    expect(page.locator("body")).to_contain_text("已送审")
    sign_out(page)

    # The unit head approves; the disclosure office returns it with a reason.
    sign_in(page, base, team["unit_head"])
    expect(page.locator("main")).to_contain_text(TITLE)  # in "waiting on me"
    open_record(page, base, record_url)
    decide(page, "同意", "同意公开")
    sign_out(page)
    sign_in(page, base, team["office_head"])
    open_record(page, base, record_url)
    expect(page.locator("mark.finding").first).to_contain_text(MOBILE)  # highlighted for review
    decide(page, "退回", "请写明检查的牵头处室")
    expect(page.locator("body")).to_contain_text("已退回")
    sign_out(page)

    # The clerk sees the reason, fixes the text and resubmits.
    sign_in(page, base, team["clerk"])
    open_record(page, base, record_url)
    expect(page.locator("body")).to_contain_text("请写明检查的牵头处室")
    page.get_by_role("link", name="修改文件和公开属性").click()
    page.get_by_label("正文").fill(
        f"各学校：由安全稳定处牵头，请于12月底前完成安全检查。联系人电话{MOBILE}。"
    )
    page.get_by_role("button", name="保存修改").click()
    page.get_by_label("拟办意见").fill("已写明牵头处室")
    page.get_by_role("button", name="提交审查").click()
    sign_out(page)

    # The whole chain again; the office redacts the phone number before approving.
    sign_in(page, base, team["unit_head"])
    open_record(page, base, record_url)
    decide(page, "同意", "同意")
    sign_out(page)
    sign_in(page, base, team["office_head"])
    open_record(page, base, record_url)
    decide(page, "同意", "同意")
    expect(page.locator("body")).to_contain_text("扫描发现未处理")  # refused until settled
    finding = page.locator("li.wb-finding").first
    finding.get_by_role("radio", name="删除（脱敏）").check()
    finding.get_by_role("button", name="确定").click()
    decide(page, "同意", "同意公开，已删除个人电话")
    sign_out(page)
    sign_in(page, base, team["leader"])
    open_record(page, base, record_url)
    decide(page, "同意", "同意发布")
    expect(page.locator("body")).to_contain_text("已办结")
    sign_out(page)

    # A citizen searches from the home page and opens the published document.
    sync_pending()  # the after-commit hook does this in the server; be sure before searching
    page.goto(base + "/")
    page.get_by_label("检索词").fill("校园安全大检查")
    page.get_by_role("button", name="检索").click()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    body = page.locator("article").inner_text()
    assert "安全稳定处牵头" in body and MOBILE not in body
