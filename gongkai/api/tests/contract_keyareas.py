"""The key-area endpoints in the API's contract test (test_contract.py): the data and calls
H6 wrote beside the key-area tests (gongkai/keyareas/tests/test_public.py)."""

from gongkai.keyareas.tests.factories import make_world
from gongkai.keyareas.tests.test_public import keyarea_contract_calls, keyarea_contract_world

from .test_contract import Call


def setup() -> dict:
    return keyarea_contract_world(make_world().bureau)


def calls(data: dict) -> list[Call]:
    return [
        Call(method, path, status, query=query)
        for method, path, status, query in keyarea_contract_calls(data)
    ]
