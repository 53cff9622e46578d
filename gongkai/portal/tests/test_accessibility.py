"""Accessibility of the public site, measured (issue 15 §1; docs/accessibility.md): axe-core
(pinned, through Playwright) on every public page reachable from the home page of the demo, at
desktop and phone sizes, with zero serious or critical violations; the forms' error states;
keyboard use (skip link, visible focus, error summary focused, errors tied to their fields);
the 适老化 display modes persisting; text at 200%; 44 px touch targets on the phone."""

import pytest

from tests.browser import DESKTOP, PHONE, crawl, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Routes the crawl must reach in the demo (a new public page linked from anywhere is crawled
# too; one not reached is named in the failure message of the coverage test).
MUST_REACH = {
    "portal:home", "portal:agencies", "portal:agency", "portal:guide", "portal:search",
    "portal:document", "portal:apply", "portal:progress", "portal:complaint_new",
    "portal:complaint_progress", "portal:complaint_answers", "portal:reports", "portal:report",
    "portal:statistics", "portal:keyarea_list", "portal:keyarea_area", "portal:consultations",
    "portal:questions", "portal:question_ask", "portal:interviews", "portal:proposals",
    "portal:proposal_new", "powers:list",
}  # fmt: skip
FORMS = ("/apply/", "/progress/", "/complaints/new/", "/complaints/progress/")


def _public(path: str) -> bool:
    return not path.startswith(("/staff/", "/admin/", "/api/"))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_public_page_has_no_serious_violation(demo_site, new_page, size):
    page = new_page(**(DESKTOP if size == "desktop" else PHONE), phone=size == "phone")
    found, reached = {}, set()
    for path, route in crawl(page, demo_site.url, ["/"], allow=_public):
        reached.add(route)
        if violations := serious_violations(page):
            found[path] = violations
    assert not found, "\n".join(f"{path}: {v}" for path, vs in found.items() for v in vs)
    assert MUST_REACH <= reached, f"not reached: {sorted(MUST_REACH - reached)}"


@pytest.mark.parametrize("path", FORMS)
def test_a_form_sent_back_with_errors_is_accessible_and_announces_them(demo_site, page, path):
    page.goto(demo_site.url + path)
    page.locator("main form.apply-form button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement && document.activeElement.id") == "error-summary"
    # Each error in the summary links to its field, and the field names its error.
    for href in summary.locator("a[href^='#']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    ):
        field = page.locator(href)  # an input, or the fieldset of a group of choices
        described = field.get_attribute("aria-describedby") or ""
        assert any(i.endswith("_error") for i in described.split()), (path, href, described)
    assert serious_violations(page) == []


def test_the_skip_link_comes_first_and_moves_the_focus_to_the_content(demo_site, page):
    page.goto(demo_site.url + "/search/?q=政府")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible() and skip.bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_focus_is_always_visible(demo_site, page):
    page.goto(demo_site.url + "/")
    for _ in range(25):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
        )
        assert outline[0] != "none" and outline[1] != "0px" or outline[2] != "none", outline


def test_search_with_a_facet_and_apply_by_keyboard_only(demo_site, page):
    page.goto(demo_site.url + "/")
    page.locator("main input[type=search]").first.focus()
    page.keyboard.type("政府")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    # Tab to the first facet value and follow it with Enter.
    facet = page.locator(".facets a").first
    facet.focus()
    target = facet.get_attribute("href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert target.split("?")[1] in page.url
    # The application form: the first field is reachable and the choices answer the keyboard.
    page.goto(demo_site.url + "/apply/")
    page.locator("input[name=applicant_type]").first.focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.name") == "applicant_type"
    assert page.locator("input[name=applicant_type]:checked").count() == 1


@pytest.mark.parametrize("mode, css_class", [("large", "display-large"), ("contrast", "display-contrast")])
def test_the_display_modes_persist_across_pages(demo_site, page, mode, css_class):
    page.goto(demo_site.url + "/")
    button = page.locator(f"[data-display-mode={mode}]").first
    assert button.get_attribute("aria-pressed") == "false"
    before = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert css_class in page.locator("html").get_attribute("class")
    page.goto(demo_site.url + "/agencies/")  # another page, a new load
    assert css_class in (page.locator("html").get_attribute("class") or "")
    assert page.locator(f"[data-display-mode={mode}]").first.get_attribute("aria-pressed") == "true"
    if mode == "large":
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= before * 1.2
    assert serious_violations(page) == []
    page.locator(f"[data-display-mode={mode}]").first.click()  # and off again
    page.goto(demo_site.url + "/")
    assert css_class not in (page.locator("html").get_attribute("class") or "")


@pytest.mark.parametrize("path", ["/", "/search/?q=政府", "/apply/", "/progress/", "/agencies/"])
def test_text_at_200_percent_loses_nothing(demo_site, new_page, path):
    """WCAG 1.4.4: the reader's text size doubled (html at 200%), on a laptop: no horizontal
    scrolling and no text cut off by its box."""
    page = new_page(**DESKTOP)
    page.goto(demo_site.url + path)
    page.add_style_tag(content="html { font-size: 200% !important; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"], path
    clipped = page.locator("main h1, main h2, main label, main button, main a").evaluate_all(
        "els => els.filter(e => e.clientWidth > 1 && getComputedStyle(e).overflow === 'hidden'"
        " && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.textContent.trim()).slice(0, 5)"
    )
    assert clipped == [], (path, clipped)


TARGETS = (
    "header a, header button, nav a, footer a, main button, main select, .pagination a, .facets a, "
    "main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), .choice"
)


@pytest.mark.parametrize(
    "path", ["/", "/search/?q=政府", "/apply/", "/progress/", "/complaints/new/", "/agencies/"]
)
def test_touch_targets_are_at_least_44px_on_the_phone(demo_site, phone, path):
    phone.goto(demo_site.url + path)
    small = phone.locator(TARGETS).evaluate_all(
        "els => els.filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 1)"
        ".map(e => [e.tagName + ' ' + (e.textContent || e.name || '').trim().slice(0, 20), e.getBoundingClientRect().height])"
        ".filter(([_, h]) => h < 44)"
    )
    assert small == [], (path, small)
