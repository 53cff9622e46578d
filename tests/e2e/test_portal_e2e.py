"""The public portal in a real browser: search, filter, read, download; a phone; a keyboard."""

import os
from pathlib import Path

import pytest

from .sample import ATTACHMENT_BYTES, ATTACHMENT_NAME, build_sample

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-portal.png"

# WCAG relative luminance and contrast of every element that has its own text, against the
# first opaque background found up the tree.
CONTRAST_JS = """
() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0 || el.closest(".visually-hidden, .skip-link")) continue;
    const fg = lum(rgb(getComputedStyle(el).color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 4.5) bad.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)} "${el.textContent.trim().slice(0, 20)}"`);
  }
  return bad;
}
"""


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_search_filter_open_and_download(live_server, page):
    build_sample()
    page.goto(live_server.url + "/")
    page.get_by_label("检索词").fill("住房")
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".results__count").inner_text().startswith("共找到 2 条结果")
    assert page.locator(".result__title mark").first.inner_text() == "住房"

    page.locator(".facet__link", has_text="意见").click()
    page.wait_for_url("**genre=*")
    assert page.locator(".results__count").inner_text().startswith("共找到 1 条结果")
    assert page.locator(".chip--removable").inner_text().startswith("体裁分类：意见")
    assert page.get_by_label("检索词").input_value() == "住房"

    page.locator(".result__title a").first.click()
    page.wait_for_url("**/documents/**")
    assert page.locator("h1").inner_text() == "江川市人民政府关于加快发展保障性租赁住房的实施意见"
    assert page.locator("table.meta").get_by_text("江府发〔2024〕8号").is_visible()
    assert page.get_by_role("link", name="《关于加快发展保障性租赁住房的实施意见》政策解读").is_visible()

    with page.expect_download() as info:
        page.get_by_role("link", name="保障性租赁住房项目清单").click()
    download = info.value
    assert download.suggested_filename == ATTACHMENT_NAME
    assert Path(download.path()).read_bytes() == ATTACHMENT_BYTES


def test_removing_a_filter_brings_results_back(live_server, page):
    build_sample()
    page.goto(live_server.url + "/search/?q=%E9%80%9A%E7%9F%A5")
    total = page.locator(".results__count").inner_text()
    page.locator(".facet__link", has_text="科技、教育").click()
    page.wait_for_url("**subject=*")
    assert page.locator(".results__count").inner_text() != total
    page.locator(".chip--removable").click()
    page.wait_for_load_state()
    assert page.locator(".results__count").inner_text() == total


def test_phone_sized_screen_has_no_horizontal_scroll_and_search_works(live_server, phone):
    sample = build_sample()
    phone.goto(live_server.url + "/")
    assert no_horizontal_scroll(phone)
    phone.get_by_label("检索词").fill("义务教育")
    phone.get_by_role("button", name="检索").click()
    phone.wait_for_url("**/search/?q=*")
    assert phone.locator(".result").count() == 2
    assert phone.locator(".result").first.is_visible()
    assert no_horizontal_scroll(phone)
    phone.locator(".result__title a").first.click()
    phone.wait_for_url("**/documents/**")
    assert no_horizontal_scroll(phone)
    for path in (
        "/agencies/",
        f"/agencies/{sample['city'].code}/",
        f"/agencies/{sample['city'].code}/guide/",
    ):
        phone.goto(live_server.url + path)
        assert no_horizontal_scroll(phone), path


def test_keyboard_reaches_the_skip_link_first_and_focus_is_visible(live_server, page):
    build_sample()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, text: document.activeElement.textContent})"
    )
    assert focused == {"cls": "skip-link", "text": "跳到主要内容"}
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # shown when focused
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_text_contrast_is_at_least_4_5_to_1(live_server, page):
    sample = build_sample()
    for path in (
        "/",
        "/search/?q=%E4%BD%8F%E6%88%BF&genre=%E6%84%8F%E8%A7%81",
        f"/agencies/{sample['city'].code}/",
        f"/agencies/{sample['city'].code}/guide/",
        "/agencies/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(CONTRAST_JS) == [], path


def test_home_page_screenshot(live_server, page, tmp_path):
    build_sample()
    page.goto(live_server.url + "/")
    target = SCREENSHOT if os.environ.get("GONGKAI_UPDATE_SCREENSHOT") == "1" else tmp_path / "home.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
