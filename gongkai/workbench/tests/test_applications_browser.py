"""The application pages in headless Chromium at laptop, tablet and phone widths."""

import os

import pytest

from .applications_world import apps_fixture  # noqa: F401
from .test_browser import WIDTHS, _signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# Set to a folder to keep a screenshot of each page (for reviewing the layout by eye).
SHOTS = os.environ.get("GONGKAI_SCREENSHOTS", "")


@pytest.mark.parametrize("device", WIDTHS)
def test_application_pages_fit_the_screen(new_page, live_server, apps, device):
    width, height = WIDTHS[device]
    page = _signed_in(new_page, apps.a.office_head, width, height)
    paths = {
        "list": "/staff/applications/",
        "register": "/staff/applications/register/",
        "detail": f"/staff/applications/{apps.consulting.pk}/",
        "fee": f"/staff/applications/{apps.with_fee.pk}/",
        "dashboard": "/staff/",
    }
    for name, path in paths.items():
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"{device}-{name}.png"), full_page=True)


def test_a_consultation_answer_is_recorded_from_the_page(new_page, live_server, apps):
    page = _signed_in(new_page, apps.a.clerk, *WIDTHS["laptop"])
    page.goto(live_server.url + f"/staff/applications/{apps.consulting.pk}/")
    item = page.locator(f"#consultation-{apps.consultation.pk}")
    item.get_by_text("登记征求意见结果").click()
    item.get_by_role("radio", name="同意公开", exact=True).check()
    item.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_url(f"**/staff/applications/{apps.consulting.pk}/#consultations")
    assert page.get_by_text("已登记征求意见结果。").is_visible()
    apps.consultation.refresh_from_db()
    assert apps.consultation.answer == "consent"
