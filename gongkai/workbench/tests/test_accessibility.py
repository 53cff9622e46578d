"""Accessibility of the workbench, measured (issue 15 §1; docs/accessibility.md): axe-core on
every workbench page reachable by links from the dashboard of two demo staff (an office head
and a clerk), at desktop and phone sizes: zero serious or critical violations. The staff menu
on a phone stays within the screen."""

import pytest
from django.contrib.auth import get_user_model

from tests.browser import DESKTOP, PHONE, crawl, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF = ("jy-office", "jy-clerk")  # the demo's education bureau: every list has rows
MUST_REACH = {
    "workbench:dashboard", "workbench:record_list", "workbench:record_detail", "workbench:record_new",
    "workbench:application_list", "workbench:application_detail", "workbench:application_register",
    "workbench:complaint_list", "workbench:complaint_detail", "workbench:report_list",
    "workbench:report_detail", "workbench:power_list", "workbench:power_detail", "workbench:statistics",
    "workbench:guide", "accounts:password_change", "accounts:two_factor",
}  # fmt: skip


def _staff_page(path: str) -> bool:
    return path.startswith("/staff/") and "logout" not in path


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_workbench_page_has_no_serious_violation(demo_site, new_page, size):
    found, reached = {}, set()
    for username in STAFF:
        user = get_user_model().objects.get(username=username)
        page = new_page(**(DESKTOP if size == "desktop" else PHONE), user=user, phone=size == "phone")
        for path, route in crawl(page, demo_site.url, ["/staff/"], allow=_staff_page):
            if route in reached:
                continue
            reached.add(route)
            if violations := serious_violations(page):
                found[path] = violations
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)
    assert MUST_REACH <= reached, f"not reached: {sorted(MUST_REACH - reached)}"


def test_the_staff_menu_fits_a_phone(demo_site, new_page):
    page = new_page(**PHONE, user=get_user_model().objects.get(username="jy-office"), phone=True)
    page.goto(demo_site.url + "/staff/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nav = page.locator(".wb-nav")
    assert nav.bounding_box()["height"] <= 120, "the staff menu takes over the screen on a phone"
    # Every item stays reachable: the row scrolls sideways, each link a 44 px target.
    last = page.locator(".wb-nav a").last
    last.focus()
    assert last.is_visible() and last.bounding_box()["height"] >= 44


def test_file_pickers_and_dates_are_labelled_in_chinese_in_an_english_browser(demo_site, new_page):
    page = new_page(user=get_user_model().objects.get(username="jy-clerk"), locale="en-US")
    page.goto(demo_site.url + "/staff/applications/register/")
    date = page.locator("input[type=date]").first
    hint = page.locator("#" + date.get_attribute("aria-describedby").split()[-1])
    assert hint.inner_text().startswith("格式：年-月-日")
    page.goto(demo_site.url + "/apply/")
    picker = page.locator(".file-picker").first
    assert picker.locator(".file-picker__button").inner_text().startswith("选择文件")
    assert picker.locator(".file-picker__chosen").inner_text() == "未选择文件"
    picker.locator("input[type=file]").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    assert picker.locator(".file-picker__chosen").inner_text() == "已选择：身份证.pdf"
    assert serious_violations(page) == []
