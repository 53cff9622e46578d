"""Issue 9 §6 on the workbench: an agency that has not recorded who hears the remedies cannot
issue a reply, and the application page says so before the decision, what to fill in and where
(the disclosure guide page), instead of only refusing after the clerk typed the decision."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.publishing.tests.factories import make_office

from .applications_world import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def _page(client, office, application) -> str:
    client.force_login(office.clerk)
    return client.get(f"/staff/applications/{application.pk}/").content.decode()


def test_the_decision_panel_warns_when_the_remedy_bodies_are_missing(client, office):
    Agency.objects.filter(pk=office.agency.pk).update(court="", court_address="", reconsideration_address="")
    application = register(office, received_on=timezone.localdate())
    page = _page(client, office, application)
    assert "data-remedy-missing" in page
    warning = page[page.index("data-remedy-missing") : page.index("data-remedy-missing") + 1500]
    for label in ("行政复议机关地址", "管辖人民法院", "人民法院地址"):
        assert label in warning
    assert 'href="/staff/guide/"' in warning
    # The decision itself is refused with the same message, and nothing changes.
    client.force_login(office.clerk)
    response = client.post(
        f"/staff/applications/{application.pk}/decide/",
        {
            "decide-version": application.version,
            "decide-outcome": "disclosed",
            "decide-provided_how": "电子邮件",
        },
    )
    application.refresh_from_db()
    assert application.state == "received" and not application.letters.exists()
    assert "公开指南" in response.content.decode()


def test_no_warning_when_the_agency_names_the_bodies(client, office):
    application = register(office, received_on=timezone.localdate())
    assert "data-remedy-missing" not in _page(client, office, application)
