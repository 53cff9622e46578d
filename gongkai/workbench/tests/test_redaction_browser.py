"""Drawing an area to redact on a page preview, in headless Chromium under the site's
Content-Security-Policy (no inline script): the drag fills the form in page points."""

import pymupdf
import pytest

from gongkai.catalogue.attachments import attachment_add
from gongkai.publishing.models import ManualRedaction
from gongkai.publishing.rules import Decision
from gongkai.publishing.services import submission_decide, submission_submit
from gongkai.publishing.tests.factories import draft

from .test_browser import _signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dragging_on_a_page_picture_fills_the_area_form_and_redacts(new_page, live_server, world):
    a = world.a
    doc = pymupdf.open()
    doc.new_page(width=400, height=300).insert_text((40, 80), "Checklist", fontsize=12)
    sub = draft(a, title="关于检查表的说明", body="正文。")
    attachment = attachment_add(document=sub.document, data=doc.tobytes(), filename="表.pdf", actor=a.clerk)
    sub = submission_submit(submission=sub, actor=a.clerk)
    sub = submission_decide(submission=sub, actor=a.unit_head, decision=Decision.APPROVE)

    page = _signed_in(new_page, a.office_head, 1280, 900)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/staff/records/{sub.pk}/")
    page.locator("details.wb-draw-panel summary").click()
    img = page.locator("figure.wb-draw img")
    img.scroll_into_view_if_needed()
    # Polled from here: wait_for_function evaluates a string in the page, which the site's
    # Content-Security-Policy (no 'unsafe-eval') rightly refuses.
    for _ in range(100):
        if img.evaluate("i => i.complete && i.naturalWidth > 0"):
            break
        page.wait_for_timeout(100)
    box = img.bounding_box()
    # From a quarter to a half of the picture, both ways: 100-200 x 75-150 points.
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + box["height"] / 4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.mouse.up()
    prefix = f"#id_area-{attachment.pk}-"
    assert page.locator(prefix + "page").input_value() == "1"
    assert abs(float(page.locator(prefix + "x0").input_value()) - 100) < 3
    assert abs(float(page.locator(prefix + "y1").input_value()) - 150) < 3
    page.locator(f"#area-form-{attachment.pk} button[type=submit]").click()
    page.wait_for_load_state()
    area = ManualRedaction.objects.get(submission=sub)
    assert area.page == 1 and abs(area.box[2] - 200) < 3
    assert not [e for e in errors if "Content Security Policy" in e]
