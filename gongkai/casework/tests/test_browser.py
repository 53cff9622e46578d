"""Routing in headless Chromium: the clerk hands a case to a division from the case page, the
division's member finds it on the agenda and answers with a file, the clerk sees the answer on
the case page and accepts it; the Art. 36(5) referral is filled by picking the agency."""

import pytest

from gongkai.casework.models import Task
from gongkai.casework.rules import TaskState
from gongkai.catalogue.tests.samples import make_pdf
from tests.browser import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_case_is_routed_answered_and_accepted_in_the_browser(new_page, live_server, cw, tmp_path):
    case_url = f"{live_server.url}/staff/applications/{cw.case.pk}/"
    clerk = new_page(1280, 900, user=cw.a.clerk)
    clerk.goto(case_url)
    assert not serious_violations(clerk)
    panel = clerk.locator("#casework")
    panel.get_by_text("交办科室或请其他机关协办").click()
    panel.get_by_label("交办（本机关业务科室）").check()
    panel.get_by_label("交办科室").select_option(label=str(cw.division))
    panel.get_by_label("交办事项").fill("检索2025年招生计划")
    panel.get_by_label("办理时限（工作日）").fill("3")
    panel.get_by_role("button", name="交办", exact=True).click()
    task = Task.objects.get()
    clerk.wait_for_url(f"**/staff/casework/{task.pk}/")

    member = new_page(1280, 900, user=cw.member)
    member.goto(live_server.url + "/staff/agenda/?mine=on")
    member.locator(f'a[href="/staff/casework/{task.pk}/"]').first.click()
    member.wait_for_url(f"**/staff/casework/{task.pk}/")
    assert not serious_violations(member)
    member.get_by_label("答复意见（检索结果、答复建议）").fill("已检索到招生计划，见附件。")
    scan = tmp_path / "招生计划.pdf"
    scan.write_bytes(make_pdf("Plan"))
    member.get_by_label("附件").set_input_files(str(scan))
    member.get_by_role("button", name="提交答复").click()
    member.wait_for_url(f"**/staff/casework/{task.pk}/")
    assert member.get_by_text("已提交答复，等待承办人审核。").is_visible()
    member.goto(live_server.url + "/staff/casework/")
    assert not serious_violations(member)

    clerk.goto(case_url)
    assert clerk.locator("#casework").get_by_text("已检索到招生计划，见附件。").is_visible()
    clerk.locator("#casework").get_by_role("link", name="交办（本机关业务科室）：基础教育科").click()
    clerk.get_by_label("采纳").check()
    clerk.get_by_role("button", name="确定").click()
    clerk.wait_for_url(f"**/staff/casework/{task.pk}/")
    task.refresh_from_db()
    assert task.state == TaskState.ACCEPTED and task.files.count() == 1


def test_picking_the_agency_fills_the_referral(new_page, live_server, cw):
    page = new_page(1280, 900, user=cw.a.clerk)
    page.goto(f"{live_server.url}/staff/applications/{cw.case.pk}/")
    form = page.locator("#transfer")
    form.locator("select[name=transfer-other_agency_pick]").select_option(label="江州市财政局")
    assert form.locator("[name=transfer-other_agency]").input_value() == (
        "江州市财政局（江州市财政局办公室，地址：江州市滨江区财政路2号，电话：0576-88881111）"
    )
