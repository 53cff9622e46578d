"""A citizen applies for disclosure on a phone, corrects a mistake, keeps the tracking number
and query code, and follows the application on the progress page."""

import pytest

from gongkai.portal.tests import builders

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_citizen_applies_on_a_phone_and_follows_progress(live_server, phone):
    agency = builders.agency("江川市教育局")
    page = phone
    page.goto(f"{live_server.url}/agencies/{agency.code}/")
    page.get_by_role("link", name="申请公开", exact=True).first.click()
    page.wait_for_url("**/apply/?agency=*")
    assert no_horizontal_scroll(page)
    assert page.get_by_label("受理机关").input_value() == agency.code

    page.get_by_label("自然人", exact=True).check()
    assert page.get_by_label("统一社会信用代码").is_hidden()  # the organisation's fields fold away
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("证件号码").fill("110105194912310021")  # one digit wrong
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("所需信息的内容描述").fill("2025年江川市义务教育阶段学校招生计划")
    page.get_by_label("电子文档").check()
    page.get_by_label("电子邮件", exact=True).check()
    page.get_by_role("button", name="提交申请").click()

    page.wait_for_selector(".error-summary")
    assert "居民身份证号码有误" in page.locator(".error-summary").inner_text()
    assert page.get_by_label("姓名或名称").input_value() == "张三"  # nothing typed is lost
    assert page.get_by_label("所需信息的内容描述").input_value().startswith("2025年")
    assert no_horizontal_scroll(page)
    page.get_by_label("证件号码").fill("11010519491231002X")
    page.get_by_role("button", name="提交申请").click()

    page.wait_for_url("**/apply/done/")
    assert no_horizontal_scroll(page)
    tracking_no = page.locator("[data-tracking-no]").inner_text().strip()
    query_code = page.locator("[data-query-code]").inner_text().strip()
    assert len(tracking_no) == 14 and len(query_code) == 8
    assert page.get_by_role("link", name="下载申请回执（PDF）").is_visible()

    page.get_by_role("link", name="查询办理进度").click()
    page.wait_for_url("**/progress/")
    page.get_by_label("申请编号").fill(tracking_no)
    page.get_by_label("查询码").fill(query_code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector("[data-status]")
    assert page.locator("[data-status]").inner_text() == "待确认接收"
    assert page.locator("[data-received-on]").inner_text() == "待机关确认"
    assert tracking_no in page.locator("#progress-title").inner_text()
    assert no_horizontal_scroll(page)
