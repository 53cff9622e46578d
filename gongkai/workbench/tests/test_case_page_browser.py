"""Issue 18 items 6 and 7 in headless Chromium: the case page folds the groups other than the
next step, a folded group opens with a click and its form works; the registration page's
look-up fills the applicant from the agency's earlier application."""

import pytest

from .applications_world import ID_NUMBER, MOBILE, apps_fixture  # noqa: F401
from .test_browser import WIDTHS, _signed_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_folded_group_opens_and_its_action_is_taken(new_page, live_server, apps):
    page = _signed_in(new_page, apps.a.clerk, *WIDTHS["laptop"])
    page.goto(live_server.url + f"/staff/applications/{apps.received.pk}/")
    assert page.locator("#decide").is_visible()  # the next step: open
    excessive = page.locator("#excessive")
    assert not excessive.is_visible()  # 文书: folded
    page.locator('details[data-group="letters"] > summary').click()
    assert excessive.is_visible()
    excessive.get_by_role("button", name="生成说明理由告知书").click()
    page.wait_for_load_state()
    assert apps.received.letters.filter(kind="excessive_reasons").exists()


def test_the_lookup_fills_the_registration_form(new_page, live_server, apps):
    page = _signed_in(new_page, apps.a.clerk, *WIDTHS["laptop"])
    page.goto(live_server.url + "/staff/applications/register/")
    page.locator('input[name="id_number"]').fill(ID_NUMBER)
    page.locator("#applicant-lookup-button").click()
    page.wait_for_selector("#applicant-lookup")
    assert page.locator('input[name="phone"]').input_value() == MOBILE
    assert page.locator('input[name="name"]').input_value() == "张三"
