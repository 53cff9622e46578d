"""The consultation and question endpoints (issue 16) in the API's contract test
(test_contract.py): the data and calls written beside the consultation tests
(gongkai/consultations/tests/contract_calls.py), for an agency of their own."""

from gongkai.catalogue.tests.factories import make_agency
from gongkai.consultations.tests.contract_calls import participation_calls

from .test_contract import Call


def setup() -> dict:
    agency = make_agency("参与市人民政府")
    return {"agency": agency, "calls": participation_calls({"agency": agency})}


def calls(data: dict) -> list[Call]:
    return data["calls"]
