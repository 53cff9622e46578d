"""The contract test (issue 15 §2): reads /api/v1/openapi.json and checks, with openapi-core (a
maintained OpenAPI 3.1 validator), every request below and every answer against it, for every
documented path, every documented parameter and the documented answers. A field a serialiser
adds or drops, an undocumented status or a parameter the document names but no view reads
fails here.

Adding an endpoint (docs/api.md): declare it with ``spec.endpoint`` and give the contract its
calls: a module ``gongkai/api/tests/contract_<topic>.py`` with ``setup() -> dict`` (the data,
made through services or factories) and ``calls(data) -> list[Call]`` (every operation, every
documented query parameter and header, the documented statuses); it is picked up here.
``test_every_operation_and_parameter_is_exercised`` fails until every operation has a call."""

import importlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from django.urls import resolve
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from gongkai.agencies.models import DisclosureOffice, Role
from gongkai.applications import services as applications
from gongkai.applications.rules import Outcome
from gongkai.catalogue.services import document_set_validity, interpretation_link
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.powers.services import decision_count_set, power_revise
from gongkai.powers.tests.factories import fields, make_power
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services as reports
from gongkai.workbench.tests.applications_world import applicant

pytestmark = pytest.mark.django_db(transaction=True)
API = "/api/v1"
YEAR = timezone.localdate().year - 1


@dataclass
class Call:
    method: str
    path: str
    status: int
    query: dict = field(default_factory=dict)
    body: object = None
    headers: dict = field(default_factory=dict)


@pytest.fixture
def world():
    agency = make_agency("测试市人民政府", code="000014349")
    DisclosureOffice.objects.create(agency=agency, name="测试市人民政府办公室", phone="010-12345678")
    policy = make_document(agency, "关于优化营商环境的意见", "营商环境 正文", doc_no="测政发〔2024〕3号")
    reading = make_document(agency, "《关于优化营商环境的意见》政策解读", "解读 营商环境")
    interpretation_link(interpretation=reading, policy=policy)
    old = make_document(agency, "旧的营商环境办法", "营商环境", written_on=date(2020, 1, 1))
    document_set_validity(document=old, validity="repealed", replaced_by=policy)

    power = make_power(agency, "XK-001", "道路旅客运输经营许可", time_limit="20个工作日")
    power_revise(
        power=power, effective_from=date(2025, 1, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    decision_count_set(power=power, year=2024, count=12, actor=None)

    clerk = make_staff(agency, Role.CLERK)
    report = reports.annual_report_start(agency=agency, year=YEAR, actor=clerk)
    reports.annual_report_publish(report=report, actor=make_staff(agency, Role.OFFICE_HEAD))

    done = applications.application_submit_online(data=applicant(agency))
    case = applications.application_confirm_receipt(
        application=done.application, on=timezone.localdate(), actor=clerk
    )
    letter = applications.application_decide(
        application=case, outcome=Outcome.WITHHELD_THIRD_PARTY, actor=clerk, reasons="涉及商业秘密"
    )
    applications.letter_deliver(letter=letter, method="email", on=timezone.localdate(), actor=clerk)
    return {
        "agency": agency,
        "policy": policy,
        "reading": reading,
        "old": old,
        "case": case,
        "code": done.query_code,
    }


TOPICS = sorted(p.stem for p in Path(__file__).parent.glob("contract_*.py"))


@pytest.fixture
def topics(world):
    """Each contract_<topic> module's data, made after the shared world."""
    out = []
    for name in TOPICS:
        module = importlib.import_module(f"{__package__}.{name}")
        out.append((module, module.setup()))
    return out


def all_calls(world, topics) -> list[Call]:
    return calls(world) + [call for module, data in topics for call in module.calls(data)]


def calls(w) -> list[Call]:
    code, policy, tracking = w["agency"].code, w["policy"].index_no, w["case"].tracking_no
    new_application = {**applicant(w["agency"]), "agency": code}
    return [
        Call("get", "/openapi.json", 200),
        Call("get", "/documents", 200),
        Call(
            "get",
            "/documents",
            200,
            query={
                "q": "营商环境",
                "agency": code,
                "validity": "in_force",
                "sort": "date",
                "page": "1",
                "page_size": "5",
            },
        ),
        Call("get", "/documents", 200, query={"year": "2020"}),
        Call("get", "/documents", 400, query={"subject": "没有这个主题"}),
        Call("get", "/documents", 400, query={"genre": "没有这个体裁"}),
        Call("get", "/documents", 400, query={"page_size": "1000"}),
        Call("get", f"/documents/{policy}", 200),
        Call("get", f"/documents/{w['old'].index_no}", 200),
        Call("get", "/documents/000014349/2099-09999", 404),
        Call("get", "/agencies", 200),
        Call("get", f"/agencies/{code}", 200),
        Call("get", "/agencies/000000000", 404),
        Call("get", f"/powers/{code}", 200),
        Call("get", f"/powers/{code}", 200, query={"type": "licensing"}),
        Call("get", f"/powers/{code}", 400, query={"type": "bogus"}),
        Call("get", "/powers/000000000", 404),
        Call("get", f"/powers/{code}/XK-001", 200, query={"on": "2024-06-01"}),
        Call("get", f"/powers/{code}/XK-001", 400, query={"on": "2024-13-01"}),
        Call("get", f"/powers/{code}/NOPE", 404),
        Call("get", f"/annual-reports/{code}/{YEAR}", 200),
        Call("get", f"/annual-reports/{code}/2012", 404),
        Call("post", "/applications", 201, body=new_application, headers={"Idempotency-Key": "contract-1"}),
        Call("post", "/applications", 409, body=new_application, headers={"Idempotency-Key": "contract-1"}),
        Call("post", "/applications", 400, body={**new_application, "description": ""}),
        Call("post", f"/applications/{tracking}/status", 200, body={"code": w["code"]}),
        Call("post", f"/applications/{tracking}/status", 404, body={"code": "WRONG-CODE"}),
        Call("post", f"/applications/{tracking}/status", 400, body={"code": 12}),
        Call("get", f"/applications/{tracking}", 200, query={"code": w["code"]}),
        Call("get", f"/applications/{tracking}", 404, query={"code": "WRONG-CODE"}),
    ]


def _send(client, call: Call):
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in call.headers.items()}
    if call.method == "get":
        return client.get(API + call.path, call.query, **headers)
    return client.post(API + call.path, json.dumps(call.body), content_type="application/json", **headers)


@pytest.fixture
def spec(client):
    document = client.get(f"{API}/openapi.json").json()
    return document, OpenAPI.from_dict(document)


def test_every_call_and_answer_matches_the_document(client, world, topics, spec):
    _document, openapi = spec
    for call in all_calls(world, topics):
        response = _send(client, call)
        assert response.status_code == call.status, (call, response.content[:300])
        request = DjangoOpenAPIRequest(response.wsgi_request)
        if call.status < 400:  # a bad request on purpose is not valid against the document
            openapi.validate_request(request)
        openapi.validate_response(request, DjangoOpenAPIResponse(response))


def test_every_operation_and_parameter_is_exercised(world, topics, spec):
    document, _openapi = spec
    documented = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            documented[(method, path)] = {p["name"] for p in op.get("parameters", ()) if p["in"] != "path"}
    exercised: dict[tuple[str, str], set[str]] = {}
    for call in all_calls(world, topics):
        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resolve(API + call.path).route)
        key = (call.method, "/" + route.removeprefix(API.strip("/") + "/"))
        assert key in documented, call
        exercised.setdefault(key, set()).update(call.query, call.headers)
    assert set(exercised) == set(documented)
    for key, names in documented.items():
        assert names <= exercised[key], (key, names - exercised[key])


def test_head_answers_where_get_does_without_a_body(client, world, topics):
    for call in all_calls(world, topics):
        if call.method != "get" or call.status != 200 or "/applications/" in call.path:
            continue
        get = _send(client, call)
        head = client.head(API + call.path, call.query)
        assert head.status_code == 200, call
        assert head.content == b"" and head["Content-Type"] == get["Content-Type"]
