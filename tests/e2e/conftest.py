"""Headless Chromium (Debian's, not a downloaded build) for the end-to-end tests."""

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def allow_db_beside_browser(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; Django then refuses
    # ORM calls from the test body unless told that this is deliberate.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server, allow_db_beside_browser):
    """One browser per test, started after the test database and the live server exist and
    closed before they are torn down (Django refuses database work while Playwright's event
    loop runs in this thread)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, the test body gets database connections of its own
        # (asgiref locals follow the context); close them here, or PostgreSQL refuses to
        # drop the test database at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    page = context.new_page()
    yield page
    context.close()
