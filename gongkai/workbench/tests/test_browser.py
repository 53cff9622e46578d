"""The workbench in headless Chromium at laptop, tablet and phone widths."""

import pytest

from .conftest import MOBILE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"laptop": (1280, 800), "tablet": (768, 1024), "phone": (375, 812)}


def _signed_in(new_page, user, width: int, height: int):
    return new_page(width, height, user=user)


@pytest.mark.parametrize("device", WIDTHS)
def test_pages_fit_the_screen(new_page, live_server, world, device):
    width, height = WIDTHS[device]
    page = _signed_in(new_page, world.a.office_head, width, height)
    for path in ("/staff/", "/staff/records/", f"/staff/records/{world.at_office.pk}/"):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    # The finding is marked in the body and its settle form is reachable from the mark.
    page.locator("mark.finding a").click()
    assert page.locator(f"#finding-{world.finding.pk}").is_visible()
    assert page.locator("mark.finding").inner_text().startswith(MOBILE)


def test_ground_field_follows_the_disclosure_attribute(new_page, live_server, world):
    page = _signed_in(new_page, world.a.clerk, *WIDTHS["tablet"])
    page.goto(live_server.url + "/staff/records/new/")
    ground = page.locator("#id_non_disclosure_ground")
    assert not ground.is_visible()  # proactive: no ground asked
    page.get_by_role("radio", name="不予公开").check()
    assert ground.is_visible()
    page.get_by_role("radio", name="主动公开").check()
    assert not ground.is_visible()
