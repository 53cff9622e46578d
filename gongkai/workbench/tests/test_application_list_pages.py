"""The list's pages read the order from its narrow columns, then only the page's rows
(issue 13, §4): every page holds exactly the rows the full ordering puts there, with every
filter, and the query that reads rows asks for no more than a page of them."""

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongkai.applications.rules import Channel
from gongkai.publishing.tests.factories import make_office
from gongkai.workbench import selectors_applications as selectors

from .applications_world import register, submit_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return make_office("江州市教育局")


def test_every_page_holds_what_the_full_ordering_puts_there(office):
    today = timezone.localdate()
    for i, back in enumerate((0, 3, 3, 10, 40, 60, 3, 0)):  # equal reply dates among them
        register(
            office, received_on=today - timedelta(days=back), channel=Channel.FAX if i % 2 else Channel.POST
        )
    for _ in range(3):
        submit_online(office)  # no reply date yet: last
    scope = selectors.applications_in_scope(office.clerk)
    for qs in (scope, scope.filter(channel=Channel.FAX), selectors.filter_overdue(scope, today)):
        full = list(qs.order_by(F("reply_due_on").asc(nulls_last=True), "-submitted_at", "-pk"))
        paginator = Paginator(selectors.by_due_date(qs), 3)
        assert paginator.count == len(full)
        paged = [a for n in paginator.page_range for a in paginator.page(n).object_list]
        assert [a.pk for a in paged] == [a.pk for a in full]
    assert paginator.count and len(full) < 11  # the overdue filter narrowed it


def test_the_rows_are_read_for_the_page_only(office):
    today = timezone.localdate()
    for back in range(12):
        register(office, received_on=today - timedelta(days=back))
    paginator = Paginator(selectors.by_due_date(selectors.applications_in_scope(office.clerk)), 5)
    with CaptureQueriesContext(connection) as queries:
        rows = list(paginator.get_page(2).object_list)
        assert [r.agency.name for r in rows]  # joined, no query per row
    assert len(rows) == 5
    wide = [q["sql"] for q in queries.captured_queries if '"description"' in q["sql"]]
    assert len(wide) == 1 and "ORDER BY" not in wide[0]  # the wide read is by id, unsorted
