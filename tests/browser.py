"""The one headless-Chromium fixture set for every browser test (loaded by the root conftest.py
through ``pytest_plugins``): Debian's Chromium, not a downloaded build.

* ``browser``: one browser per test, started after the test database and the live server exist
  and closed before they are torn down;
* ``page`` (a laptop, 1280x900) and ``phone`` (375x812, touch), both ``zh-CN``;
* ``new_page(width, height, user=None, phone=False)``: any size, signed in as ``user`` if given;
* ``serious_violations(page)``: the serious and critical axe-core violations of the page
  (axe-core as bundled, pinned, in axe-playwright-python).
"""

import importlib
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.db import connections
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def allow_db_beside_browser(monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; Django then refuses
    # ORM calls from the test body unless told that this is deliberate.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server, allow_db_beside_browser):
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium is not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, the test body gets database connections of its own
        # (asgiref locals follow the context); close them here, or PostgreSQL refuses to
        # drop the test database at the end ("being accessed by other users").
        connections.close_all()


def _context(browser, *, width: int, height: int, phone: bool = False, locale: str = "zh-CN"):
    extra = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True} if phone else {}
    return browser.new_context(
        viewport={"width": width, "height": height}, locale=locale, accept_downloads=True, **extra
    )


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(width=1280, height=900, user=None, phone=False, locale="zh-CN")``: a fresh page in its own
    context, signed in as ``user`` (a session cookie from Django's test client) if given."""
    contexts = []

    def make(
        width: int = DESKTOP["width"],
        height: int = DESKTOP["height"],
        *,
        user=None,
        phone=False,
        locale="zh-CN",
    ):
        context = _context(browser, width=width, height=height, phone=phone, locale=locale)
        contexts.append(context)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page(**DESKTOP)


@pytest.fixture
def phone(new_page):
    return new_page(**PHONE, phone=True)


SERIOUS = ("serious", "critical")


def serious_violations(page) -> list[str]:
    """One line per serious or critical axe-core violation: rule, impact, the first targets."""
    results = Axe().run(page)
    lines = []
    for violation in results.response["violations"]:
        if violation["impact"] in SERIOUS:
            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


DOWNLOADS = (".pdf", ".csv", ".xlsx", ".docx", ".xml", ".json", ".zip", ".png", ".svg", ".txt")


def route_of(path: str) -> str | None:
    """``namespace:name`` of the route a path resolves to (None where none does)."""
    from django.urls import Resolver404, resolve

    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(page, base_url: str, starts: list[str], *, allow, limit: int = 400):
    """Visits ``starts`` and every link of the same site whose path ``allow(path)`` accepts,
    one URL per route (the first one found), breadth first. Yields ``(path, route)`` after each
    HTML page has loaded in ``page``; downloads (by suffix) and non-HTML answers are skipped."""
    from urllib.parse import urlsplit

    queue, seen_routes, seen_paths = list(starts), set(), set()
    while queue and len(seen_paths) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        route = route_of(parts.path)
        if route is None or route in seen_routes or path in seen_paths:
            continue
        if parts.path.endswith(DOWNLOADS) or not allow(parts.path):
            continue
        seen_paths.add(path)
        response = page.goto(base_url + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if response.status >= 400:
            continue
        seen_routes.add(route)
        yield path, route
        for href in page.locator("a[href]").evaluate_all("links => links.map(a => a.href)"):
            target = urlsplit(href)
            if target.netloc == urlsplit(base_url).netloc and target.scheme.startswith("http"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))


# The data migrations whose rows the demo needs, each safe to run again: a live-server test's
# flush empties the tables after every test, seeded rows included.
SEEDS = (
    ("gongkai.core.migrations.0003_seed_holiday_notices", "forwards"),
    ("gongkai.consultations.migrations.0002_genres", "add_genres"),
)


def reseed() -> None:
    from django.apps import apps

    from gongkai.catalogue.models import Genre, Subject
    from gongkai.catalogue.seeds import seed_taxonomies
    from gongkai.keyareas.models import KeyArea

    seed_taxonomies(Subject, Genre)
    for module, function in SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
    if not KeyArea.objects.exists():
        importlib.import_module("gongkai.keyareas.migrations.0002_load_shipped_catalogue").load(apps, None)


@pytest.fixture
def demo_site(live_server):
    """The demo data set (without the corpus): every kind of page has something to show. The
    seeded rows come back first (``reseed``)."""
    from gongkai.operations.demo import load_demo

    reseed()
    load_demo(corpus=None)
    return live_server
