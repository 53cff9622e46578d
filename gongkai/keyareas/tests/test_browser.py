"""The compliance view in headless Chromium: a supervisor sees the agency's figures and the
overdue item; the bureau's clerk follows it, links the document that discloses it, and the
figures change from missing to late."""

import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from gongkai.keyareas import services

from .factories import make_procurement, make_world, publish_doc, stage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser(live_server, monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()
        connections.close_all()


def _signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context.new_page()


def test_the_compliance_view_leads_from_an_overdue_item_to_its_fix(browser, live_server):
    world = make_world()
    project = make_procurement(world)
    day = timezone.localdate() - timedelta(days=30)
    services.obligation_occur(obligation=stage(project, "result"), occurred_on=day, actor=world.clerk)
    document = publish_doc(world.bureau, "中标结果公告", timezone.localdate())

    page = _signed_in(browser, live_server, world.supervisor)
    page.goto(live_server.url + "/staff/keyareas/")
    row = page.locator(f'tr[data-agency="{world.bureau.code}"][data-area="procurement"]')
    assert row.locator("[data-missing]").inner_text() == "1"
    assert row.locator("[data-late]").inner_text() == "0"
    assert page.locator("#overdue-list li").count() == 1

    page = _signed_in(browser, live_server, world.clerk)
    page.goto(live_server.url + "/staff/keyareas/")
    page.get_by_role("link", name=f"{project.title} · 采购结果").click()
    item = page.locator('li[data-item="result"]')
    assert item.locator("[data-status]").get_attribute("data-status") == "missing"
    item.get_by_label("公开文件索引号").fill(document.index_no)
    item.get_by_role("button", name="关联公开文件").click()
    page.wait_for_url(f"**/staff/keyareas/projects/{project.pk}/**")
    assert page.locator('li[data-item="result"] [data-status]').get_attribute("data-status") == "late"

    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="重点领域").click()
    row = page.locator(f'tr[data-agency="{world.bureau.code}"][data-area="procurement"]')
    assert row.locator("[data-missing]").inner_text() == "0"
    assert row.locator("[data-late]").inner_text() == "1"
    assert page.locator("#overdue-list").count() == 0
