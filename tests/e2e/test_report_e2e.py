"""The annual report end to end in headless Chromium: the office head opens last year's report
in the workbench, writes the overview, is refused publication while a broken rule is not
explained, explains it, publishes; then anyone reads the report on the portal and downloads it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services
from gongkai.reports.checks import RULE_CARRY_OVER
from gongkai.reports.tests.history import application, load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Annual-Report-2026"
YEAR = timezone.localdate().year - 1
LAST = YEAR - 1


@pytest.fixture
def bureau():
    agency = make_agency("江州市交通运输局")
    head = make_staff(agency, Role.OFFICE_HEAD, username="e2e-head")
    head.set_password(PASSWORD)
    head.save()
    load(
        agency,
        [
            application("A1", f"{LAST}-12-10", "natural_person"),  # open at the end of LAST
            application("A2", f"{YEAR}-02-10", "natural_person", f"{YEAR}-03-01", "disclosed", fee=30),
        ],
    )
    last = services.annual_report_start(agency=agency, year=LAST, actor=head)
    services.annual_report_save_narrative(
        report=last, narrative={"overview": f"{LAST}年总体情况。"}, actor=head
    )
    services.annual_report_publish(report=last, actor=head)
    # The former system's next export: A1 was closed in LAST after all, so 二 ≠ last year's 四.
    load(agency, [application("A1", f"{LAST}-12-10", "natural_person", f"{LAST}-12-30", "disclosed")])
    return agency, head


def test_write_explain_publish_and_read_on_the_portal(live_server, page, bureau):
    agency, head = bureau
    base = live_server.url
    page.goto(base + "/staff/login/")
    page.get_by_label("用户名").fill(head.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base + "/staff/")

    page.get_by_role("link", name="年度报告", exact=True).click()
    page.get_by_role("button", name=f"编写{YEAR}年度报告").click()
    overview = page.get_by_label("一、总体情况")
    expect(overview).to_have_value(f"{LAST}年总体情况。")  # last year's text to start from
    expect(page.locator("#fees-section")).to_contain_text("收取信息处理费30元")
    overview.fill(f"{YEAR}年，我局认真贯彻《条例》。\n\n全年主动公开政府信息56条。")
    page.get_by_role("button", name="保存文字部分").click()
    expect(page.get_by_role("status")).to_contain_text("报告文字部分已保存")

    page.get_by_role("button", name="发布年度报告").click()
    expect(page.locator("#error")).to_contain_text(RULE_CARRY_OVER)
    page.get_by_label("不成立的原因").fill("上年度报告发布后，原系统更正了一件申请的办结日期。")
    page.get_by_role("button", name="保存说明").click()
    expect(page.locator(f'[data-rule="{RULE_CARRY_OVER}"]')).to_contain_text("原系统更正了一件申请的办结日期")
    page.get_by_role("button", name="发布年度报告").click()
    expect(page.locator("[data-status]")).to_have_text("已发布")

    # Anyone: the list of reports, the report, a download.
    page.goto(base + "/reports/")
    page.get_by_role("link", name=f"江州市交通运输局政府信息公开工作年度报告（{YEAR}年）").click()
    report = page.locator("#annual-report")
    expect(report).to_contain_text("全年主动公开政府信息56条。")
    expect(report).to_contain_text("本年度共发出信息处理费收费通知1件，收取信息处理费30元。")
    expect(page.locator("#explanations")).to_contain_text(RULE_CARRY_OVER)
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename == f"江州市交通运输局政府信息公开工作年度报告（{YEAR}年）.pdf"
