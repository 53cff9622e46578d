"""GET /api/v1/annual-reports/{agency_code}/{year}: the published report's tables, checks and
hand-entered cells as published (interfaces.md); a draft or no report is 404."""

import pytest
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services
from gongkai.reports.models import ManualKey
from gongkai.reports.tests.history import application, load

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


@pytest.fixture
def agency():
    agency = make_agency("江州市交通运输局")
    clerk = make_staff(agency, Role.CLERK)
    load(
        agency,
        [application("A1", f"{YEAR}-02-10", "legal_service_org", f"{YEAR}-03-01", "withheld_third_party")],
    )
    services.manual_figure_set(agency=agency, year=YEAR, key=ManualKey.PENALTY, value=7, actor=clerk)
    report = services.annual_report_start(agency=agency, year=YEAR, actor=clerk)
    services.annual_report_save_narrative(report=report, narrative={"overview": "总体情况"}, actor=clerk)
    return agency


def _publish(agency):
    report = services.annual_report_start(agency=agency, year=YEAR, actor=make_staff(agency, Role.CLERK))
    return services.annual_report_publish(report=report, actor=make_staff(agency, Role.OFFICE_HEAD))


def test_a_published_report_as_json(client, agency):
    _publish(agency)
    response = client.get(f"/api/v1/annual-reports/{agency.code}/{YEAR}")
    assert response.status_code == 200 and "max-age=60" in response["Cache-Control"]
    body = response.json()
    assert body["agency"] == {"code": agency.code, "name": "江州市交通运输局"} and body["year"] == YEAR
    table2 = body["tables"]["table2"]
    assert table2["withheld_third_party"]["legal_service_org"] == 1 and table2["total"]["total"] == 1
    assert body["tables"]["table1"]["penalty"] == {"decisions": 7}
    assert body["tables"]["table3"]["reconsideration"]["total"] == 0
    assert body["checks"] == [] and body["manual"] == [ManualKey.PENALTY]
    assert body["narrative"]["overview"] == "总体情况" and body["status"] == "published"
    assert body["url"].endswith(f"/reports/{agency.code}/{YEAR}/")
    assert "收费通知0件" in body["fees_text"]


def test_a_draft_or_missing_report_is_not_found(client, agency):
    response = client.get(f"/api/v1/annual-reports/{agency.code}/{YEAR}")
    assert response.status_code == 404 and "尚未发布" in response.json()["error"]
    assert client.get(f"/api/v1/annual-reports/{agency.code}/2012").status_code == 404
    assert client.get(f"/api/v1/annual-reports/000000000/{YEAR}").status_code == 404


def test_the_openapi_document_describes_it(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/annual-reports/{agency_code}/{year}"]["get"]
    assert set(operation["responses"]) == {"200", "404"}
    assert "AnnualReport" in spec["components"]["schemas"]
