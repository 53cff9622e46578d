"""The JSON API of the power lists: /api/v1/powers/<agency> and /api/v1/powers/<agency>/<code>."""

from datetime import date

import pytest

from gongkai.catalogue.tests.factories import make_agency
from gongkai.powers.models import PowerType
from gongkai.powers.services import decision_count_set, power_revise

from .factories import fields, make_power

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    agency = make_agency("江州市交通运输局")
    power = make_power(agency, "XK-001", "道路旅客运输经营许可", time_limit="20个工作日")
    power_revise(
        power=power, effective_from=date(2025, 1, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    decision_count_set(power=power, year=2024, count=12, actor=None)
    make_power(agency, "CF-001", "对擅自从事经营的处罚", type=PowerType.PENALTY)
    make_power(agency, "XK-002", "出租汽车经营许可", effective_from=date(2099, 1, 1))
    return agency


def test_the_list_has_every_power_in_force_or_announced(client, agency):
    body = client.get(f"/api/v1/powers/{agency.code}").json()
    assert body["agency"] == {"code": agency.code, "name": "江州市交通运输局"}
    assert body["count"] == 3
    by_code = {p["code"]: p for p in body["results"]}
    assert by_code["XK-001"]["type"] == "licensing" and by_code["XK-001"]["type_label"] == "行政许可"
    assert by_code["XK-001"]["in_force_from"] == "2025-01-01"
    assert (by_code["XK-002"]["in_force_from"], by_code["XK-002"]["starts_on"]) == (None, "2099-01-01")
    assert by_code["CF-001"]["url"].endswith(f"/powers/{agency.code}/CF-001/")


def test_the_list_filters_by_type_and_refuses_an_unknown_type(client, agency):
    body = client.get(f"/api/v1/powers/{agency.code}", {"type": "penalty"}).json()
    assert [p["code"] for p in body["results"]] == ["CF-001"]
    response = client.get(f"/api/v1/powers/{agency.code}", {"type": "tax"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"type"}


def test_a_power_with_its_current_version_every_version_and_decisions(client, agency):
    body = client.get(f"/api/v1/powers/{agency.code}/XK-001").json()
    assert body["name"] == "道路旅客运输经营许可"
    assert body["current"]["time_limit"] == "15个工作日"
    assert body["current"]["procedure_steps"] == ["申请", "受理", "审查", "决定", "送达"]
    assert [(v["effective_from"], v["effective_to"]) for v in body["versions"]] == [
        ("2025-01-01", None),
        ("2024-01-01", "2024-12-31"),
    ]
    assert body["decision_counts"] == [{"year": 2024, "count": 12}]
    assert set(body["current"]) == {
        "effective_from", "effective_to", "legal_basis", "conditions", "materials", "procedure_steps",
        "time_limit", "fees", "fee_basis", "responsible_unit", "supervision_phone", "complaint_phone",
    }  # fmt: skip


def test_the_version_in_force_on_another_day(client, agency):
    body = client.get(f"/api/v1/powers/{agency.code}/XK-001", {"on": "2024-06-30"}).json()
    assert body["current"]["time_limit"] == "20个工作日"
    body = client.get(f"/api/v1/powers/{agency.code}/XK-001", {"on": "2023-06-30"}).json()
    assert body["current"] is None
    assert client.get(f"/api/v1/powers/{agency.code}/XK-001", {"on": "June"}).status_code == 400


def test_unknown_agencies_and_powers_are_404(client, agency):
    assert client.get("/api/v1/powers/000000000").status_code == 404
    assert client.get(f"/api/v1/powers/{agency.code}/NOPE").json() == {"error": "未找到该权力事项"}


def test_the_api_is_cacheable_and_described(client, agency):
    assert "max-age=60" in client.get(f"/api/v1/powers/{agency.code}")["Cache-Control"]
    spec = client.get("/api/v1/openapi.json").json()
    assert {"/powers/{agency_code}", "/powers/{agency_code}/{code}"} <= set(spec["paths"])
    assert spec["components"]["schemas"]["Power"]["properties"]["versions"]["items"]["properties"][
        "procedure_steps"
    ] == {"type": "array", "items": {"type": "string"}, "description": "办理流程，按顺序"}
