"""The portal, the workbench and the API for consultations: the public sees only reviewed drafts
and masked comments; a comment is posted once from the form and the API; the workbench walks
moderation, grouping, adoption and the report; every workbench URL refuses the out of scope."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Role
from gongkai.consultations import services
from gongkai.consultations.hearings import hearing_announce, hearing_register
from gongkai.consultations.models import Comment
from gongkai.consultations.rules import Moderation
from gongkai.publishing.tests.factories import make_office, make_staff

from .factories import close, make_consultation

pytestmark = pytest.mark.django_db


def test_the_portal_lists_only_reviewed_drafts_and_searches_them(client):
    office = make_office()
    shown = make_consultation(office, title="江州市养犬管理规定（征求意见稿）")
    hidden = make_consultation(office, publish=False, title="江州市停车管理办法（征求意见稿）")
    page = client.get(reverse("portal:consultations")).content.decode()
    assert shown.draft.title in page and hidden.draft.title not in page
    assert client.get(reverse("portal:consultation", args=[hidden.pk])).status_code == 404
    found = client.get(reverse("portal:consultations"), {"q": "养犬"}).content.decode()
    assert shown.draft.title in found
    assert (
        "养犬"
        not in client.get(reverse("portal:consultations"), {"q": "停车"}).content.decode().split("<main")[1]
    )


def test_a_comment_from_the_form_is_taken_once_even_when_sent_twice(client):
    c = make_consultation()
    url = reverse("portal:consultation_comment", args=[c.pk])
    client.get(url)
    token = client.get(url).context["token"]
    data = {"token": token, "body": "建议第二条增加农村地区的过渡期。"}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("portal:consultation_comment_done")
    assert Comment.objects.filter(consultation=c).count() == 1
    done = client.get(first["Location"]).content.decode()
    assert Comment.objects.get().tracking_no in done


def test_a_closed_consultation_refuses_comments(client):
    c = close(make_consultation())
    assert client.get(reverse("portal:consultation_comment", args=[c.pk])).status_code == 410


def test_the_api_lists_reads_and_takes_a_comment_once_per_key(client):
    c = make_consultation(days=12, short_period_reason="防汛应急")
    listing = client.get("/api/v1/consultations", {"phase": "open"}).json()
    assert listing["count"] == 1 and listing["results"][0]["short_period_reason"] == "防汛应急"
    detail = client.get(f"/api/v1/consultations/{c.pk}").json()
    assert detail["explanation"].startswith("起草说明") and detail["comments"] == []
    post = lambda: client.post(  # noqa: E731
        f"/api/v1/consultations/{c.pk}/comments", json.dumps({"body": "支持。", "name": "赵六", "contact": "13600001111"}),
        content_type="application/json", headers={"Idempotency-Key": "abc"},
    )  # fmt: skip
    assert post().status_code == 201
    assert post().status_code == 409
    assert Comment.objects.filter(consultation=c).count() == 1
    bad = client.post(
        f"/api/v1/consultations/{c.pk}/comments", json.dumps({"body": ""}), content_type="application/json"
    )
    assert bad.status_code == 400 and "body" in bad.json()["errors"]
    comment = Comment.objects.get()
    office_clerk = c.created_by
    services.comment_moderate(comment=comment, event="show", actor=office_clerk)
    shown = client.get(f"/api/v1/consultations/{c.pk}").json()["comments"]
    assert shown[0]["author"] == "赵*" and "13600001111" not in json.dumps(shown)


def test_the_workbench_walks_moderation_grouping_adoption_and_report(client):
    office = make_office()
    c = make_consultation(office)
    a = services.comment_submit(consultation=c, body="建议增加投放点。")
    client.force_login(office.clerk)
    detail = reverse("workbench:consultation_detail", args=[c.pk])
    r = client.post(
        reverse("workbench:comment_moderate", args=[c.pk, a.pk]), {"event": "show", "version": a.version}
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.moderation == Moderation.SHOWN
    c = close(c)
    assert (
        client.post(
            reverse("workbench:comments_group", args=[c.pk]), {"summary": "增加投放点", "comments": [a.pk]}
        ).status_code
        == 302
    )
    group = c.groups.get()
    r = client.post(
        reverse("workbench:group_decide", args=[c.pk, group.pk]), {"decision": "not_adopted", "reason": ""}
    )
    assert r.status_code == 200 and "须说明理由" in r.content.decode()
    client.post(
        reverse("workbench:group_decide", args=[c.pk, group.pk]), {"decision": "adopted", "reason": ""}
    )
    c.refresh_from_db()
    page = client.get(detail)
    r = client.post(
        reverse("workbench:report_draft", args=[c.pk]),
        {"version": c.version, "body": page.context["report_form"].initial["body"]},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.report is not None and "共收到意见1条" in c.report.body


def test_the_workbench_list_shows_consultations_in_scope_only(client):
    office, other = make_office(), make_office("邻市教育局")
    mine = make_consultation(office, title="本市草案")
    theirs = make_consultation(other, title="邻市草案")
    client.force_login(office.clerk)
    page = client.get(reverse("workbench:consultation_list")).content.decode()
    assert mine.draft.title in page and theirs.draft.title not in page
    assert client.get(reverse("workbench:consultation_detail", args=[theirs.pk])).status_code == 404


@dataclass
class CWorld:
    office: object
    outsider: object
    c: object
    closed: object
    comment: object
    hearing: object
    registration: object


@pytest.fixture
def cw(db):
    office = make_office()
    outsider = make_staff(make_office("邻市教育局").agency, Role.CLERK, Role.OFFICE_HEAD, Role.SUPERVISOR)
    c = make_consultation(office)
    comment = services.comment_submit(consultation=c, body="意见一")
    closed = close(make_consultation(office, title="已截止的草案"))
    hearing = hearing_announce(
        consultation=c, matter="收费标准", held_at=timezone.now() + timedelta(days=9), place="会议室",
        how_to_register="网上报名", registration_closes_on=timezone.localdate() + timedelta(days=3), seats=2,
        actor=office.clerk,
    )  # fmt: skip
    registration = hearing_register(hearing=hearing, name="孙七", contact="13500000000")
    return CWorld(office, outsider, c, closed, comment, hearing, registration)


@dataclass
class WUrl:
    name: str
    kwargs: Callable = lambda w: {"pk": w.c.pk}
    method: str = "get"
    data: Callable = lambda w: {}
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable = field(default=lambda w: [])


CONSULTATION_URLS = [
    WUrl("consultation_list", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.c.draft.title]),
    WUrl("consultation_new", kwargs=lambda w: {}, outsider_status=200),
    WUrl("consultation_detail", hidden=lambda w: [w.c.draft.title]),
    WUrl("consultation_period", method="post", ok=302,
         data=lambda w: {"version": w.c.version, "opens_on": w.c.opens_on, "closes_on": w.c.closes_on + timedelta(days=5)}),
    WUrl("consultation_cancel", method="post", ok=302, data=lambda w: {"version": w.c.version, "reason": "决策事项取消"}),
    WUrl("comment_moderate", kwargs=lambda w: {"pk": w.c.pk, "comment_pk": w.comment.pk}, method="post", ok=302,
         data=lambda w: {"event": "withhold", "reason": "重复", "version": w.comment.version}),
    WUrl("comments_group", kwargs=lambda w: {"pk": w.closed.pk}, method="post", ok=302, data=lambda w: {"summary": "其他"}),
    WUrl("group_decide", kwargs=lambda w: {"pk": w.closed.pk, "group_pk": _group(w).pk}, method="post", ok=302,
         data=lambda w: {"decision": "adopted", "reason": ""}),
    WUrl("report_draft", kwargs=lambda w: {"pk": w.closed.pk}, method="post", ok=302,
         data=lambda w: {"version": w.closed.version, "body": "共收到意见0条。"}),
    WUrl("consultation_link", method="post", ok=302, data=lambda w: {"version": w.c.version}),
    WUrl("hearing_announce", method="post", ok=302, data=lambda w: {
        "matter": "第二次听证", "held_at": (timezone.localtime() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "place": "礼堂", "how_to_register": "电话报名", "registration_closes_on": timezone.localdate() + timedelta(days=10),
        "seats": 5}),
    WUrl("hearing_select", kwargs=lambda w: {"pk": w.c.pk, "hearing_pk": w.hearing.pk}, method="post", ok=302,
         data=lambda w: {"selected": [w.registration.pk], "method": "报名顺序"}),
    WUrl("hearing_record", kwargs=lambda w: {"pk": w.c.pk, "hearing_pk": w.hearing.pk}, method="post", ok=200,
         data=lambda w: {"record": "笔录"}),  # refused with the reason: not selected or held yet
]  # fmt: skip


def _group(w):
    if not hasattr(w, "group"):
        w.group = services.group_create(
            consultation=w.closed, summary="归类", comment_ids=[], actor=w.office.clerk
        )
    return w.group


def _call(client, u, w):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", CONSULTATION_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_workbench_url_refuses_anonymous_and_out_of_scope_and_serves_the_office(client, cw, u):
    response = _call(client, u, cw)
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
    client.force_login(make_staff(cw.office.agency))  # no staff role at all
    assert _call(client, u, cw).status_code == 404
    client.force_login(cw.outsider)
    response = _call(client, u, cw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(cw):
        assert text not in response.content.decode()
    client.force_login(cw.office.clerk)
    response = _call(client, u, cw)
    assert response.status_code == u.ok, response.content.decode()[:2000]


def test_a_leader_reads_but_may_not_moderate(client, cw):
    client.force_login(cw.office.leader)
    url = reverse("workbench:comment_moderate", args=[cw.c.pk, cw.comment.pk])
    response = client.post(url, {"event": "show", "version": cw.comment.version})
    assert response.status_code == 403


def test_the_statistics_page_shows_consultations_comments_and_the_adoption_rate(client):
    office = make_office()
    c = make_consultation(office)
    a = services.comment_submit(consultation=c, body="意见甲")
    b = services.comment_submit(consultation=c, body="意见乙")
    c = close(c)
    for comment, decision, reason in ((a, "adopted", ""), (b, "not_adopted", "与上位法不符")):
        group = services.group_create(
            consultation=c, summary=comment.body, comment_ids=[comment.pk], actor=office.clerk
        )
        services.group_decide(group=group, decision=decision, reason=reason, actor=office.clerk)
    page = client.get(reverse("portal:statistics"), {"year": c.opens_on.year}).content.decode()
    section = page.split("data-participation", 1)[1].split("</section>", 1)[0]
    assert "50%" in section
    assert ">2<" in section  # comments received
