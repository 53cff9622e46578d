"""Searching the application list by tracking number (issue 13 §4): input that looks like a
number is looked up by the index, by prefix, and finds exactly what the text search found."""

import pytest

from gongkai.applications.models import Application
from gongkai.publishing.tests.factories import make_office
from gongkai.workbench.selectors_applications import applications_in_scope, search_applications

from .applications_world import MOBILE, register

pytestmark = pytest.mark.django_db


def found(user, q: str) -> set[int]:
    return set(search_applications(applications_in_scope(user), user, q).values_list("pk", flat=True))


def test_a_number_is_found_whole_or_by_its_start_and_only_in_scope():
    a, b = make_office("江州市教育局"), make_office("江州市财政局")
    mine = [register(a, description=f"第{i}份申请") for i in range(3)]
    other = register(b)
    number = mine[0].tracking_no
    assert number.startswith("20") and number.isdigit()  # what the number path expects
    assert found(a.clerk, number) == {mine[0].pk}
    assert found(a.clerk, f"  {number} ") == {mine[0].pk}
    day = number[:8]  # every number given that day starts with its date
    assert found(a.clerk, day) == {m.pk for m in mine}
    assert other.pk not in found(a.clerk, other.tracking_no[:8])  # another agency's: out of scope
    assert found(a.clerk, other.tracking_no) == set()
    assert found(a.clerk, number + "0") == set()


def test_the_number_path_agrees_with_the_text_search_and_other_searches_still_work():
    a = make_office("江州市教育局")
    apps = [register(a, description=f"第{i}份申请") for i in range(4)]
    Application.objects.filter(pk=apps[1].pk).update(legacy_ref="2019000123")
    for app in apps:  # the whole number and its date: the same as a substring search would give
        for q in (app.tracking_no, app.tracking_no[:10]):
            expected = {x.pk for x in apps if q in x.tracking_no}
            assert found(a.clerk, q) == expected
    assert found(a.clerk, "2019000123") == {apps[1].pk}  # the legacy reference itself
    assert found(a.clerk, apps[2].tracking_no[-6:]) >= {apps[2].pk}  # digits from the end: text
    assert found(a.clerk, MOBILE) == {x.pk for x in apps}  # a phone (starts with 1): text search
    assert found(a.clerk, "第2份") == {apps[2].pk}
