"""The page-rating widget on a phone: each option reads on one line (issue 15, §5)."""

import pytest

from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.search.serialize import document_url

pytestmark = pytest.mark.django_db(transaction=True)

# How many lines the label's text takes: its text boxes grouped by their vertical centre.
LINES = """label => {
  const range = document.createRange();
  range.selectNodeContents(label);
  const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  const centres = [];
  for (const r of rects) {
    const c = (r.top + r.bottom) / 2;
    if (!centres.some(x => Math.abs(x - c) < r.height / 2)) centres.push(c);
  }
  return centres.length;
}"""


@pytest.mark.parametrize("width", [320, 375])
def test_every_rating_option_is_on_one_line_on_a_phone(live_server, new_page, width):
    doc = make_document(make_agency(), "江州市关于做好防汛工作的通知", "正文")
    page = new_page(width=width, height=800, phone=True)
    page.goto(live_server.url + document_url(doc.index_no))
    choices = page.locator("form[data-page-rating] .rating__choice")
    assert choices.count() == 5
    for i in range(5):
        choice = choices.nth(i)
        assert choice.evaluate(LINES) == 1, choice.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
