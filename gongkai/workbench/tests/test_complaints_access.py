"""Every complaint URL of the workbench, walked as anonymous, as a user without a staff role, as
a user out of scope and as the right user; who reads and who acts, and where the complainant's
name and contact are shown in full.

COMPLAINT_URLS lists every ``complaint_*`` pattern of gongkai/workbench/urls.py (POST endpoints
included); test_access.test_every_workbench_url_is_walked checks it with STAFF_URLS."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.complaints import services
from gongkai.complaints.rules import State
from gongkai.complaints.tests.factories import MOBILE, NAME, Tree, make_tree, submit
from gongkai.publishing.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@dataclass
class ComplaintWorld:
    tree: Tree
    outsider: object  # every role in another city
    received: object
    investigating: object
    answered: object


@pytest.fixture
def cw(db) -> ComplaintWorld:
    tree = make_tree()
    elsewhere = make_agency("邻市人民政府办公室")
    outsider = make_staff(
        elsewhere, Role.CLERK, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR
    )
    received = submit(tree.bureau).complaint
    investigating = services.complaint_investigate(
        complaint=submit(tree.bureau).complaint, actor=tree.office_clerk
    )
    answered = services.complaint_answer(
        complaint=services.complaint_investigate(
            complaint=submit(tree.bureau).complaint, actor=tree.office_clerk
        ),
        answer="经调查，已责令整改。",
        actor=tree.office_clerk,
    )
    return ComplaintWorld(tree, outsider, received, investigating, answered)


@dataclass
class ComplaintUrl:
    name: str
    kwargs: Callable[[ComplaintWorld], dict] = lambda w: {"pk": w.received.pk}
    method: str = "get"
    data: Callable[[ComplaintWorld], dict] = lambda w: {}
    user: Callable[[ComplaintWorld], object] = lambda w: w.tree.office_clerk  # the right user
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable[[ComplaintWorld], list[str]] = field(default=lambda w: [])  # never shown to the outsider


COMPLAINT_URLS = [
    ComplaintUrl("complaint_list", kwargs=lambda w: {}, outsider_status=200,
                 hidden=lambda w: [w.received.tracking_no, w.answered.tracking_no]),
    ComplaintUrl("complaint_detail", hidden=lambda w: [w.received.tracking_no, NAME]),
    ComplaintUrl("complaint_investigate", method="post", ok=302,
                 data=lambda w: {"investigate-note": "调取网站记录", "investigate-version": w.received.version}),
    ComplaintUrl("complaint_answer", kwargs=lambda w: {"pk": w.investigating.pk}, method="post", ok=302,
                 data=lambda w: {"answer-answer": "已责令整改。", "answer-version": w.investigating.version}),
    ComplaintUrl("complaint_publish", kwargs=lambda w: {"pk": w.answered.pk}, method="post", ok=302,
                 data=lambda w: {"publish-public": "True", "publish-public_summary": "反映招生计划未公开。",
                                 "publish-public_answer": "已责令整改。", "publish-version": w.answered.version}),
]  # fmt: skip


def _request(client, u: ComplaintUrl, w: ComplaintWorld):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", COMPLAINT_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_complaint_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, cw, u):
    response = _request(client, u, cw)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    client.force_login(make_staff(cw.tree.office))  # signed in without any staff role
    assert _request(client, u, cw).status_code == 404

    client.force_login(cw.outsider)
    response = _request(client, u, cw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(cw):
        assert text not in response.content.decode()

    client.force_login(u.user(cw))
    response = _request(client, u, cw)
    assert response.status_code == u.ok, response.content.decode()[:3000]
    if u.ok == 302:
        assert response["Location"].startswith("/staff/complaints/")


def test_actions_refuse_get(client, cw):
    client.force_login(cw.tree.office_clerk)
    assert (
        client.get(reverse("workbench:complaint_answer", kwargs={"pk": cw.investigating.pk})).status_code
        == 405
    )


def test_the_agency_complained_about_does_not_see_the_complaint(client, cw):
    client.force_login(cw.tree.bureau_clerk)
    assert cw.received.tracking_no not in client.get(reverse("workbench:complaint_list")).content.decode()
    url = reverse("workbench:complaint_detail", kwargs={"pk": cw.received.pk})
    assert client.get(url).status_code == 404


def test_the_routed_agency_sees_the_complainant_in_full(client, cw):
    client.force_login(cw.tree.office_head)
    page = client.get(reverse("workbench:complaint_detail", kwargs={"pk": cw.received.pk})).content.decode()
    assert NAME in page and MOBILE in page
    listing = client.get(reverse("workbench:complaint_list")).content.decode()
    assert MOBILE not in listing and "138****5678" in listing  # masked in lists


def test_a_supervisor_above_reads_masked_and_acts_on_none(client, cw):
    client.force_login(cw.tree.province_supervisor)
    listing = client.get(reverse("workbench:complaint_list")).content.decode()
    assert cw.received.tracking_no in listing
    page = client.get(reverse("workbench:complaint_detail", kwargs={"pk": cw.received.pk})).content.decode()
    assert cw.received.content in page
    assert NAME not in page and MOBILE not in page and "138****5678" in page
    assert 'action="/staff/complaints/' not in page  # no action form at all
    url = reverse("workbench:complaint_investigate", kwargs={"pk": cw.received.pk})
    response = client.post(url, {"investigate-version": cw.received.version})
    assert response.status_code == 403 and "权限" in response.content.decode()
    cw.received.refresh_from_db()
    assert cw.received.state == State.RECEIVED


def test_csrf_is_enforced(cw):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cw.tree.office_clerk)
    url = reverse("workbench:complaint_investigate", kwargs={"pk": cw.received.pk})
    assert client.post(url, {"investigate-version": cw.received.version}).status_code == 403
    cw.received.refresh_from_db()
    assert cw.received.state == State.RECEIVED
