"""The workbench in headless Chromium at laptop, tablet and phone widths."""

import shutil

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from .conftest import MOBILE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"laptop": (1280, 800), "tablet": (768, 1024), "phone": (375, 812)}


@pytest.fixture
def browser(live_server, monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's loop runs in this thread; the test body's ORM calls are deliberate.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()
        connections.close_all()


def _signed_in(browser, live_server, user, width: int, height: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize("device", WIDTHS)
def test_pages_fit_the_screen(browser, live_server, world, device):
    width, height = WIDTHS[device]
    page = _signed_in(browser, live_server, world.a.office_head, width, height)
    for path in ("/staff/", "/staff/records/", f"/staff/records/{world.at_office.pk}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    # The finding is marked in the body and its settle form is reachable from the mark.
    page.locator("mark.finding a").click()
    assert page.locator(f"#finding-{world.finding.pk}").is_visible()
    assert page.locator("mark.finding").inner_text().startswith(MOBILE)


def test_ground_field_follows_the_disclosure_attribute(browser, live_server, world):
    page = _signed_in(browser, live_server, world.a.clerk, *WIDTHS["tablet"])
    page.goto(live_server.url + "/staff/records/new/")
    ground = page.locator("#id_non_disclosure_ground")
    assert not ground.is_visible()  # proactive: no ground asked
    page.get_by_role("radio", name="不予公开").check()
    assert ground.is_visible()
    page.get_by_role("radio", name="主动公开").check()
    assert not ground.is_visible()
