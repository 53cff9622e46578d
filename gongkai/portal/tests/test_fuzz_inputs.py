"""Every input gets a clear answer, never a 500 (issue 10, section 4): hypothesis posts arbitrary
Unicode, control characters, huge values and deeply nested JSON to every public form and every
public API endpoint; the answer is 2xx/3xx/4xx, and under /api/ a 4xx is JSON in the documented
error shape ({"error": ...} or {"errors": {...}}, docs/api.md)."""

import json

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalogue.tests.factories import make_agency, make_document

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

NASTY = [
    "²³¹",
    "①②③",
    "11010519491231002²",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "\ufeff",
    "\U0001f600" * 50,
    "１２３４５６",
    "1e309",
    "-1",
    "NaN",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "' OR 1=1 --",
    "%00",
    "a" * 100_000,
]
# Form bodies are UTF-8: a lone surrogate cannot be encoded, so forms get every other code point.
text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.sampled_from(NASTY),
)
form_value = st.one_of(text, st.lists(text, min_size=2, max_size=3))

# JSON may carry lone surrogates (as \\ud800 escapes) and nesting of any depth.
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=100),
    st.sampled_from(NASTY + ["\ud800", "x\udfffy"]),
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


APPLICATION_FIELDS = [
    "agency", "applicant_type", "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email",
    "address", "postcode", "description", "doc_no", "purpose", "form", "delivery",
]  # fmt: skip
PUBLIC_FORMS = {
    "/apply/": [*APPLICATION_FIELDS, "token", "website"],
    "/progress/": ["tracking_no", "query_code"],
    "/complaints/new/": ["kind", "agency", "name", "contact", "content", "token", "website"],
    "/complaints/progress/": ["tracking_no", "query_code"],
    "/evaluation/page/": ["path", "rating"],
    "/evaluation/reply/1/": ["tracking_no", "query_code", "rating", "comment"],
    "/progress/1/correct/": ["description", "doc_no"],
}
SEARCH_PARAMS = ["q", "agency", "category", "year", "page", "sort", "from", "to", "kind", "topic"]


@pytest.fixture
def world(db):
    agency = make_agency("江州市教育局")
    make_document(agency, "关于开展防汛检查的通知", "防汛检查")
    return agency


# Values that pass the choice fields, so that the text fields behind them are validated too.
PLAUSIBLE = {
    "applicant_type": ["natural_person", "legal_person"],
    "id_type": ["resident_id"],
    "form": ["electronic", "paper"],
    "delivery": ["email", "post", "collect"],
    "kind": ["complaint", "suggestion"],
    "rating": ["1", "3", "5", "0", "99"],
    "path": ["/", "/search/", "//evil.example/", "/documents/x/"],
    # ² ³ ① pass str.isdigit(), then int() refused them (a 500 before issue 10)
    "id_number": ["1101051949123100³X", "①1010519491231002X", "11010519491231002X", "110105194912310０2X"],
}
TEXT_FIELDS = ["name", "address", "description", "doc_no", "purpose", "phone", "email", "id_number", "agency"]


def field_value(name):
    if name in PLAUSIBLE:
        return st.one_of(st.sampled_from(PLAUSIBLE[name]), form_value)
    return form_value


def valid_application(agency_code: str) -> dict:
    """A form that passes: fuzzed fields then replace some of it, so that each reaches the
    checks and the database writes behind the first error."""
    return {
        "agency": agency_code, "applicant_type": "natural_person", "name": "张三", "id_type": "resident_id",
        "id_number": "11010519491231002X", "phone": "13812345678", "email": "a@example.com",
        "address": "江州市滨江路1号", "description": "2025年招生计划", "form": "electronic", "delivery": "email",
    }  # fmt: skip


VALID = {
    "/apply/": lambda code: {**valid_application(code), "token": "5b1e0c1e-8a51-4d5e-9a49-7e0d1f2a3b4c"},
    "/complaints/new/": lambda code: {
        "kind": "complaint",
        "agency": code,
        "name": "李四",
        "contact": "13812345678",
        "content": "内容",
        "token": "5b1e0c1e-8a51-4d5e-9a49-7e0d1f2a3b4d",
    },  # fmt: skip
}


def form_data(fields, agency_code, url=""):
    base = VALID.get(url, lambda code: {"agency": code} if "agency" in fields else {})(agency_code)
    known = st.fixed_dictionaries({}, optional={name: field_value(name) for name in fields})
    extra = st.dictionaries(
        st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20), text, max_size=3
    )
    return st.tuples(known, extra).map(lambda parts: {**parts[1], **base, **parts[0]})


def assert_answered(response, *, api: bool):
    assert response.status_code < 500, (response.status_code, response.content[:300])
    if api and response.status_code >= 400:
        body = json.loads(response.content)
        assert isinstance(body, dict) and ({"error", "errors"} & set(body)), body


@pytest.mark.parametrize("url", list(PUBLIC_FORMS))
def test_public_forms_never_answer_5xx(world, url):
    client = Client()

    @FUZZ
    @given(data=form_data(PUBLIC_FORMS[url], world.code, url))
    def check(data):
        cache.clear()
        assert_answered(client.post(url, data, REMOTE_ADDR="192.0.2.9"), api=False)

    check()


def test_search_pages_and_filters_never_answer_5xx(world):
    client = Client()

    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMS), text, max_size=5))
    def check(params):
        assert_answered(client.get("/search/", params), api=False)
        assert_answered(client.get("/api/v1/documents", params), api=True)

    check()


def test_api_paths_never_answer_5xx(world):
    client = Client()
    segment = st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"), min_size=1, max_size=40
    )

    @FUZZ
    @given(a=segment, b=segment, year=st.integers(min_value=0, max_value=10**12), code=text)
    def check(a, b, year, code):
        for url in [
            f"/api/v1/documents/{a}",
            f"/api/v1/agencies/{a}",
            f"/api/v1/applications/{a}",
            f"/api/v1/annual-reports/{a}/{year}",
            f"/api/v1/powers/{a}",
            f"/api/v1/powers/{a}/{b}",
        ]:
            assert_answered(client.get(url, {"code": code}), api=True)
        assert_answered(
            client.post(f"/api/v1/applications/{a}/status", {"code": code}, content_type="application/json"),
            api=True,
        )

    check()


def test_api_submission_never_answers_5xx_on_any_json(world):
    client = Client()
    valid = valid_application(world.code)
    body = st.one_of(
        json_value.map(json.dumps),
        st.dictionaries(st.sampled_from(APPLICATION_FIELDS), json_value, max_size=8).map(
            lambda changes: json.dumps({**valid, **changes})
        ),
        # one text field of an otherwise valid body with a lone surrogate in it
        st.tuples(
            st.sampled_from(TEXT_FIELDS), st.text(max_size=20), st.sampled_from(["\ud800", "\udfff"])
        ).map(lambda t: json.dumps({**valid, t[0]: t[1] + t[2]})),
        st.integers(min_value=1, max_value=200_000).map(deep),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    )

    @FUZZ
    @given(raw=body)
    def check(raw):
        cache.clear()  # throttles would otherwise stop later examples before the database
        response = client.post(
            "/api/v1/applications", data=raw.encode("utf-8", "surrogatepass"), content_type="application/json"
        )
        assert_answered(response, api=True)
        assert response.status_code in (201, 400, 409, 429)

    check()
