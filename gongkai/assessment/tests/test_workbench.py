"""The assessment page of the workbench, walked as anonymous, without a staff role, out of scope
and as the right user. ASSESSMENT_URLS lists every ``assessment*`` pattern of
gongkai/workbench/urls.py; test_access.test_every_workbench_url_is_walked checks it."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from gongkai.assessment.models import AssessmentResult
from gongkai.publishing.tests.factories import make_staff

from .factories import make_area, make_scheme, recorded_application

pytestmark = pytest.mark.django_db


@dataclass
class AssessUrl:
    name: str
    method: str = "get"
    ok: int = 200


ASSESSMENT_URLS = [AssessUrl("assessment"), AssessUrl("assessment_compute", method="post", ok=302)]


@pytest.fixture
def area():
    area = make_area()
    make_scheme(year=2026)
    return area


def _request(client, u: AssessUrl, area, **extra):
    data = {"authority": area.authority.pk, "period": "2026Q1", **extra}
    return getattr(client, u.method)(reverse(f"workbench:{u.name}"), data)


@pytest.mark.parametrize("u", ASSESSMENT_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_assessment_url_refuses_anonymous_and_out_of_scope_and_serves_the_supervisor(client, area, u):
    response = _request(client, u, area)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/?next=")
    client.force_login(make_staff(area.education))  # no role at all
    assert _request(client, u, area).status_code == 404
    client.force_login(area.other_supervisor)  # another county's supervisor asking for this county
    response = _request(client, u, area)
    assert response.status_code == 404 and "江州县教育局" not in response.content.decode()
    client.force_login(area.supervisor)
    assert _request(client, u, area).status_code == u.ok


def test_supervisor_recomputes_and_sees_the_ranked_table(client, area):
    recorded_application(area.education, due=date(2026, 2, 10), decided=date(2026, 2, 9))
    recorded_application(area.finance, due=date(2026, 2, 10), decided=date(2026, 2, 20))
    client.force_login(area.supervisor)
    response = client.post(
        reverse("workbench:assessment_compute"), {"authority": area.authority.pk, "period": "2026Q1"}
    )
    assert (
        response["Location"]
        == f"{reverse('workbench:assessment')}?authority={area.authority.pk}&period=2026Q1"
    )
    assert AssessmentResult.objects.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert html.index("江州县教育局") < html.index("江州县财政局")  # ranked: education first
    assert "重新计算" in html and "临江县" not in html


def test_staff_of_an_assessed_agency_see_no_ranking(client, area):
    client.force_login(area.clerk)
    response = client.get(reverse("workbench:assessment"))
    assert response.status_code == 200 and "data-assessment" not in response.content.decode()
    assert client.post(reverse("workbench:assessment_compute"), {"period": "2026Q1"}).status_code == 404


def test_other_supervisor_sees_only_their_own_county(client, area):
    client.force_login(area.other_supervisor)
    response = client.get(reverse("workbench:assessment"), {"period": "2026Q1"})
    assert response.status_code == 200 and "江州县" not in response.content.decode()


def test_a_bad_period_falls_back_to_the_current_quarter(client, area):
    client.force_login(area.supervisor)
    assert client.get(reverse("workbench:assessment"), {"period": "2026Q9"}).status_code == 200
