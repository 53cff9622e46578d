"""The application list and the dashboard card: what staff see (masked), in which order, with
which filters, and at a cost that does not grow with the list."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.rules import Channel
from gongkai.core.calendar_store import workday_add
from gongkai.publishing.tests.factories import make_office

from .applications_world import ID_NUMBER, MOBILE, register, submit_online

pytestmark = pytest.mark.django_db
LIST = "/staff/applications/"


def _tracking_numbers(page: str) -> list[str]:
    return re.findall(r'href="/staff/applications/\d+/">(\d+)</a>', page.split('class="wb-records')[-1])


def _received_for_due_in(days: int):
    """A receipt date whose 20-working-day reply date falls ``days`` calendar days from today."""
    today = timezone.localdate()
    for back in range(0, 60):
        received = today - timedelta(days=back)
        if workday_add(received, 20).date - today <= timedelta(days=days):
            return received
    raise AssertionError("no such date")


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def test_list_is_sorted_by_reply_date_with_personal_data_masked(client, office):
    today = timezone.localdate()
    later = register(office, received_on=today)
    earlier = register(office, received_on=today - timedelta(days=10))
    overdue = register(office, received_on=today - timedelta(days=60))
    online = submit_online(office)  # no reply date until confirmed
    client.force_login(office.clerk)
    page = client.get(LIST).content.decode()
    order = _tracking_numbers(page)
    assert order == [overdue.tracking_no, earlier.tracking_no, later.tracking_no, online.tracking_no]
    assert ID_NUMBER not in page and MOBILE not in page
    assert "110105********002X" in page and "138****5678" in page
    row = page.split(overdue.tracking_no)[0].rsplit("<li", 1)[1]
    assert "wb-record--overdue" in row


def test_filters_narrow_the_list_and_a_bad_value_is_ignored(client, office):
    today = timezone.localdate()
    by_fax = register(office, channel=Channel.FAX, received_on=today)
    overdue = register(office, received_on=today - timedelta(days=60))
    soon = register(office, received_on=_received_for_due_in(3))
    online = submit_online(office)
    other = make_office("江州市财政局", parent=None)
    client.force_login(office.clerk)

    def listed(**params):
        return set(_tracking_numbers(client.get(LIST, params).content.decode()))

    assert listed(state="submitted") == {online.tracking_no}
    assert listed(channel="fax") == {by_fax.tracking_no}
    assert listed(overdue="on") == {overdue.tracking_no}
    assert listed(due_within=5) == {soon.tracking_no}
    assert listed(q=by_fax.tracking_no) == {by_fax.tracking_no}
    assert listed(agency=office.agency.pk, state="submitted") == {online.tracking_no}
    assert listed(state="submitted", due_within="abc") == {
        online.tracking_no
    }  # the valid filter still applies
    assert listed(agency=other.agency.pk, state="submitted") == {online.tracking_no}  # out of scope: ignored


def test_list_is_paginated_and_its_queries_do_not_grow(client, office, django_assert_max_num_queries):
    client.force_login(office.clerk)
    for _ in range(2):
        register(office)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(23):
        register(office)
    with django_assert_max_num_queries(len(few)):
        first = client.get(LIST).content.decode()
    assert len(_tracking_numbers(first)) == 20 and "第 1 / 2 页" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert len(_tracking_numbers(second)) == 5


def test_another_agency_sees_none_of_them(client, office):
    register(office)
    outsider = make_office("江州市财政局")
    client.force_login(outsider.clerk)
    page = client.get(LIST).content.decode()
    assert _tracking_numbers(page) == [] and "没有符合条件的申请" in page


def test_dashboard_counts_applications_waiting_due_soon_and_overdue(client, office):
    today = timezone.localdate()
    submit_online(office)
    register(office, received_on=today - timedelta(days=60))
    register(office, received_on=_received_for_due_in(3))
    register(office, received_on=today)
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:dashboard")).content.decode()
    card = page.split('id="application-counts"')[1].split("</ul>")[0]
    assert '<span class="wb-count">1</span> 申请：待确认' in card
    assert '<span class="wb-count">1</span> 申请：即将到期' in card
    assert '<span class="wb-count">1</span> 申请：已逾期' in card
    assert 'href="/staff/applications/?overdue=on"' in card
    assert '<a href="/staff/applications/">依申请公开</a>' in page  # the navigation item
