"""Power lists (权力清单) in the workbench: the list of the agencies in scope, adding a power,
its page, a revision from a date and the yearly decision counts that feed Table 1; who keeps a
list and who only reads it.

POWER_URLS lists every ``power_*`` pattern of gongkai/workbench/urls.py (POST endpoints
included); test_access.test_every_workbench_url_is_walked checks it with STAFF_URLS."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.powers.models import Power, PowerType
from gongkai.powers.services import decision_count_set
from gongkai.powers.tests.factories import STEPS, make_power
from gongkai.publishing.tests.factories import Office, make_office, make_staff
from gongkai.reports.annual import annual_report_data

from .conftest import form_value

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@dataclass
class PowerWorld:
    """Agency A (under a city government) with a licensing power; agency B elsewhere."""

    a: Office
    admin: object  # administrator of A
    city: Agency
    supervisor: object  # supervisor of the city government: A is below it
    outsider: object  # every role on agency B, none on A or the city
    power: Power  # A's licensing power, in force since 2024
    other: Power  # B's penalty power


@pytest.fixture
def pw(db) -> PowerWorld:
    city = make_agency("江州市人民政府")
    a = make_office("江州市交通运输局", parent=city)
    b = make_office("河州市财政局")
    outsider = make_staff(
        b.agency,
        Role.CLERK,
        Role.REVIEWER,
        Role.OFFICE_HEAD,
        Role.LEADER,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
    )
    return PowerWorld(
        a=a,
        admin=make_staff(a.agency, Role.ADMINISTRATOR),
        city=city,
        supervisor=make_staff(city, Role.SUPERVISOR),
        outsider=outsider,
        power=make_power(a.agency, "XK-001", "道路旅客运输经营许可", actor=a.office_head),
        other=make_power(b.agency, "CF-009", "对擅自改变会计账簿的处罚", type=PowerType.PENALTY),
    )


def version_data(**changes) -> dict:
    """What the version part of the create and revise forms sends."""
    return {
        "effective_from": "2025-03-01",
        "legal_basis": "《中华人民共和国道路运输条例》第十条",
        "conditions": "有与其经营业务相适应并经检测合格的车辆",
        "materials": "申请表；车辆行驶证复印件",
        "procedure_steps": "申请\n受理\n审查\n决定\n送达",
        "time_limit": "20个工作日",
        "fees": "不收费",
        "fee_basis": "",
        "responsible_unit": "运输管理科",
        "supervision_phone": "0791-12345678",
        "complaint_phone": "12345",
        **changes,
    }


def new_power_data(agency: Agency, **changes) -> dict:
    return {
        "agency": agency.pk,
        "type": PowerType.LICENSING,
        "code": "XK-002",
        "name": "出租汽车经营许可",
        **version_data(),
        **changes,
    }


def _pk(w: PowerWorld) -> dict:
    return {"pk": w.power.pk}


@dataclass
class PowerUrl:
    name: str
    kwargs: Callable[[PowerWorld], dict] = _pk
    method: str = "get"
    data: Callable[[PowerWorld], dict] = lambda w: {}
    user: Callable[[PowerWorld], object] = lambda w: w.a.office_head  # the right user
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable[[PowerWorld], list[str]] = field(default=lambda w: [])  # never shown to the outsider


POWER_URLS = [
    PowerUrl("power_list", kwargs=lambda w: {}, user=lambda w: w.a.clerk, outsider_status=200,
             hidden=lambda w: [w.power.name, w.a.agency.name]),
    # The outsider keeps B's list: the form is there, offering B only.
    PowerUrl("power_new", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.a.agency.name]),
    PowerUrl("power_new", kwargs=lambda w: {}, method="post", ok=302, outsider_status=400,
             data=lambda w: new_power_data(w.a.agency), hidden=lambda w: [w.a.agency.name]),
    PowerUrl("power_detail", user=lambda w: w.a.clerk, hidden=lambda w: [w.power.name]),
    PowerUrl("power_revise", hidden=lambda w: [w.power.name]),
    PowerUrl("power_revise", method="post", ok=302,
             data=lambda w: version_data(effective_from=TODAY.isoformat(), time_limit="15个工作日")),
    PowerUrl("power_decision_count", method="post", ok=302,
             data=lambda w: {"decisions-year": LAST_YEAR, "decisions-count": 12}),
]  # fmt: skip


def _request(client, u: PowerUrl, w: PowerWorld):
    return getattr(client, u.method)(reverse(f"workbench:{u.name}", kwargs=u.kwargs(w)), u.data(w))


@pytest.mark.parametrize("u", POWER_URLS, ids=lambda u: f"{u.method}-{u.name}")
def test_power_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, pw, u):
    response = _request(client, u, pw)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    client.force_login(make_staff(pw.a.agency))  # signed in without any staff role
    assert _request(client, u, pw).status_code == 404

    client.force_login(pw.outsider)
    response = _request(client, u, pw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(pw):
        assert text not in response.content.decode()

    client.force_login(u.user(pw))
    response = _request(client, u, pw)
    assert response.status_code == u.ok, response.content.decode()[:3000]
    if u.ok == 302:
        assert response["Location"].startswith("/staff/powers/")


def test_another_agencys_staff_change_nothing(client, pw):
    client.force_login(pw.outsider)
    for u in POWER_URLS:
        _request(client, u, pw)
    assert Power.objects.filter(agency=pw.a.agency).count() == 1
    assert pw.power.versions.count() == 1
    assert not pw.power.decision_counts.exists()
    writes = ("power_create", "power_revise", "decision_count_set")
    assert not AuditEvent.objects.filter(actor=pw.outsider, action__in=writes).exists()


# ---------------------------------------------------------------- the list


def listing(client, **params) -> str:
    response = client.get(reverse("workbench:power_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_the_powers_of_the_agencies_in_scope_only(client, pw):
    client.force_login(pw.a.clerk)
    html = listing(client)
    assert pw.power.name in html and pw.other.name not in html

    client.force_login(pw.outsider)
    html = listing(client)
    assert pw.other.name in html and pw.power.name not in html

    client.force_login(pw.supervisor)  # the agencies below the city government
    html = listing(client)
    assert pw.power.name in html and pw.other.name not in html
    # Asking for an agency out of scope filters nothing in: the filter is ignored.
    html = listing(client, agency=pw.other.agency.code)
    assert pw.other.name not in html


def test_the_list_shows_the_version_in_force_and_two_years_of_counts(client, pw):
    decision_count_set(power=pw.power, year=LAST_YEAR, count=41, actor=pw.a.office_head)
    decision_count_set(power=pw.power, year=TODAY.year, count=0, actor=pw.a.office_head)
    client.force_login(pw.a.clerk)
    html = listing(client)
    row = html.split(f'data-power="{pw.power.code}"', 1)[1].split("</tr>", 1)[0]
    assert "行政许可" in row and "2024-01-01" in row
    assert '<td class="num">0</td>' in row and '<td class="num">41</td>' in row
    assert f"{TODAY.year}年处理决定" in html and f"{LAST_YEAR}年处理决定" in html


def test_the_list_filters_by_agency_type_and_code_or_name(client, pw):
    other_agency = make_agency("江州市交通运输局城区分局", parent=pw.a.agency)
    make_power(pw.a.agency, "CF-001", "对未取得道路运输经营许可擅自从事经营的处罚", type=PowerType.PENALTY)
    make_power(other_agency, "JC-001", "道路运输安全检查", type=PowerType.INSPECTION)
    client.force_login(pw.admin)  # an administrator reaches the branch below

    html = listing(client)
    assert "道路旅客运输经营许可" in html and "道路运输安全检查" in html
    html = listing(client, type=PowerType.PENALTY)
    assert "擅自从事经营的处罚" in html and "道路旅客运输经营许可" not in html
    html = listing(client, q="xk-0")
    assert "道路旅客运输经营许可" in html and "擅自从事经营的处罚" not in html
    html = listing(client, q="安全检查")
    assert "道路运输安全检查" in html and "道路旅客运输经营许可" not in html
    html = listing(client, agency=other_agency.code)
    assert "道路运输安全检查" in html and "道路旅客运输经营许可" not in html
    html = listing(client, type="nonsense", q="旅客")  # an invalid filter is ignored, the rest apply
    assert "道路旅客运输经营许可" in html and "道路运输安全检查" not in html


def test_the_list_takes_the_same_number_of_queries_for_many_powers(client, pw):
    client.force_login(pw.a.clerk)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            listing(client)
        return len(ctx.captured_queries)

    few = queries()
    for n in range(10):
        power = make_power(pw.a.agency, f"XK-1{n:02d}", f"许可事项{n}")
        decision_count_set(power=power, year=LAST_YEAR, count=n, actor=None)
    assert queries() == few


def test_the_create_link_is_for_those_who_keep_the_list(client, pw):
    new = reverse("workbench:power_new")
    for user in (pw.a.office_head, pw.admin):
        client.force_login(user)
        assert new in listing(client)
    for user in (pw.a.clerk, pw.a.unit_head, pw.a.leader, pw.supervisor):
        client.force_login(user)
        assert new not in listing(client)


# ---------------------------------------------------------------- adding a power


def test_a_refused_power_keeps_what_was_typed_and_then_is_added(client, pw):
    client.force_login(pw.a.office_head)
    url = reverse("workbench:power_new")
    data = new_power_data(pw.a.agency, code="XK-001", name="出租汽车经营许可（巡游车）")
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "已有编码为“XK-001”的事项" in html
    assert form_value(response, "name") == "出租汽车经营许可（巡游车）"
    assert form_value(response, "code") == "XK-001"
    assert "申请\n受理\n审查\n决定\n送达" in html  # the steps textarea, one per line
    assert "《中华人民共和国道路运输条例》第十条" in html
    assert Power.objects.filter(agency=pw.a.agency).count() == 1

    response = client.post(url, {**data, "code": "XK-002"})
    assert response.status_code == 302
    power = Power.objects.get(agency=pw.a.agency, code="XK-002")
    assert response["Location"] == reverse("workbench:power_detail", kwargs={"pk": power.pk})
    version = power.versions.get()
    assert version.procedure_steps == list(STEPS) and version.effective_from == date(2025, 3, 1)
    assert version.created_by == pw.a.office_head
    event = AuditEvent.objects.get(action="power_create", object_id=str(power.pk))
    assert event.actor == pw.a.office_head and event.after["code"] == "XK-002"
    assert "已添加权力事项" in client.get(response["Location"]).content.decode()


def test_a_bad_code_or_too_many_steps_is_shown_beside_the_field(client, pw):
    client.force_login(pw.a.office_head)
    steps = "\n".join(f"第{n}步" for n in range(31))
    response = client.post(
        reverse("workbench:power_new"), new_power_data(pw.a.agency, code="许可/1", procedure_steps=steps)
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_errors"' in html and "权力编码只能由字母" in html
    assert 'id="id_procedure_steps_errors"' in html and "不能超过30个步骤" in html
    assert "第30步" in html


def test_the_create_form_offers_only_the_agencies_the_user_keeps(client, pw):
    client.force_login(pw.a.office_head)
    html = client.get(reverse("workbench:power_new")).content.decode()
    assert f'value="{pw.a.agency.pk}"' in html and pw.city.name not in html
    response = client.post(reverse("workbench:power_new"), new_power_data(pw.city))
    assert response.status_code == 400
    assert not Power.objects.filter(agency=pw.city).exists()


def test_a_reviewer_or_clerk_may_not_add_a_power(client, pw):
    for user in (pw.a.unit_head, pw.a.clerk):
        client.force_login(user)
        assert client.get(reverse("workbench:power_new")).status_code == 404
        response = client.post(reverse("workbench:power_new"), new_power_data(pw.a.agency))
        assert response.status_code == 404
    assert not Power.objects.filter(code="XK-002").exists()


def test_a_reader_sees_the_page_but_no_form_and_is_refused_changes(client, pw):
    client.force_login(pw.a.unit_head)
    detail = reverse("workbench:power_detail", kwargs={"pk": pw.power.pk})
    html = client.get(detail).content.decode()
    assert pw.power.name in html
    assert reverse("workbench:power_revise", kwargs={"pk": pw.power.pk}) not in html
    assert "decisions-count" not in html
    response = client.get(reverse("workbench:power_revise", kwargs={"pk": pw.power.pk}))
    assert response.status_code == 403 and "权限" in response.content.decode()
    response = client.post(
        reverse("workbench:power_decision_count", kwargs={"pk": pw.power.pk}),
        {"decisions-year": LAST_YEAR, "decisions-count": 3},
    )
    assert response.status_code == 403
    assert not pw.power.decision_counts.exists()


# ---------------------------------------------------------------- the power page


def test_the_page_shows_the_content_in_force_the_flow_chart_and_a_link_to_the_public_page(client, pw):
    client.force_login(pw.a.clerk)
    html = client.get(reverse("workbench:power_detail", kwargs={"pk": pw.power.pk})).content.decode()
    assert "《中华人民共和国道路运输条例》第十条" in html and "运输管理科" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="flowchart"' in html
    assert "办理流程图，共5步" in html
    assert f'href="/powers/{pw.a.agency.code}/XK-001/"' in html
    assert "2024-01-01" in html and pw.a.office_head.get_username() in html  # the version and who entered it


# ---------------------------------------------------------------- revising


def revise(client, pw: PowerWorld, **changes):
    return client.post(reverse("workbench:power_revise", kwargs={"pk": pw.power.pk}), version_data(**changes))


def test_the_revise_form_starts_from_the_version_in_force(client, pw):
    client.force_login(pw.a.office_head)
    response = client.get(reverse("workbench:power_revise", kwargs={"pk": pw.power.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert form_value(response, "time_limit") == "20个工作日"
    assert form_value(response, "effective_from") == TODAY.isoformat()
    assert "申请\n受理\n审查\n决定\n送达" in html
    assert "2024-01-01" in html  # the date a new version must follow


def test_an_unchanged_or_earlier_revision_is_refused_with_the_reason_and_keeps_the_input(client, pw):
    client.force_login(pw.a.office_head)
    same = {
        "legal_basis": "《中华人民共和国道路运输条例》第十条",
        "fee_basis": "",
        "time_limit": " 20个工作日 ",  # re-typed with blanks: still the same
    }
    response = revise(client, pw, effective_from=TODAY.isoformat(), **same)
    assert response.status_code == 400
    assert "内容与最近一个版本相同，无需修订。" in response.content.decode()

    response = revise(client, pw, effective_from="2023-12-31", time_limit="15个工作日")
    assert response.status_code == 400
    assert "须晚于最近一个版本的施行日期（2024-01-01）" in response.content.decode()
    assert form_value(response, "time_limit") == "15个工作日"
    assert form_value(response, "effective_from") == "2023-12-31"
    assert pw.power.versions.count() == 1


def test_a_revision_is_a_new_version_the_public_page_shows_from_its_effective_date(client, pw, monkeypatch):
    tomorrow = TODAY + timedelta(days=1)
    client.force_login(pw.a.office_head)
    response = revise(client, pw, effective_from=tomorrow.isoformat(), time_limit="15个工作日")
    assert response.status_code == 302
    first, second = pw.power.versions.order_by("effective_from")
    assert first.effective_to == TODAY and second.effective_from == tomorrow and second.effective_to is None
    assert second.time_limit == "15个工作日" and second.created_by == pw.a.office_head
    assert AuditEvent.objects.filter(action="power_revise", actor=pw.a.office_head).count() == 1

    public = f"/powers/{pw.a.agency.code}/{pw.power.code}/"
    html = client.get(public).content.decode()
    facts = html.split('id="facts-title"', 1)[1].split("</section>", 1)[0]
    assert "20个工作日" in facts and "15个工作日" not in facts

    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: tomorrow if value is None else real_localdate(value, tz),
    )
    html = client.get(public).content.decode()
    facts = html.split('id="facts-title"', 1)[1].split("</section>", 1)[0]
    assert "15个工作日" in facts and "20个工作日" not in facts

    staff_page = client.get(response["Location"]).content.decode()
    assert "15个工作日" in staff_page and "已停止施行" in staff_page


# ---------------------------------------------------------------- decision counts


def set_count(client, pw: PowerWorld, year, count):
    url = reverse("workbench:power_decision_count", kwargs={"pk": pw.power.pk})
    return client.post(url, {"decisions-year": year, "decisions-count": count})


def test_the_count_form_proposes_last_year(client, pw):
    client.force_login(pw.a.office_head)
    response = client.get(reverse("workbench:power_detail", kwargs={"pk": pw.power.pk}))
    assert form_value(response, "decisions-year") == str(LAST_YEAR)


def test_a_decision_count_is_audited_and_feeds_table_1_of_the_annual_report(client, pw):
    client.force_login(pw.a.office_head)
    response = set_count(client, pw, LAST_YEAR, 12)
    assert response.status_code == 302
    assert response["Location"].endswith("#decisions")
    event = AuditEvent.objects.get(action="decision_count_set")
    assert event.actor == pw.a.office_head
    assert event.after == {"power": "XK-001", "agency": pw.a.agency.code, "year": LAST_YEAR, "count": 12}
    html = client.get(response["Location"]).content.decode()
    assert f'data-year="{LAST_YEAR}"><td>{LAST_YEAR}</td><td class="num">12</td>' in html

    def table1_licensing() -> int:
        data = annual_report_data(agency=pw.a.agency, year=LAST_YEAR)
        return data["tables"]["table1"]["licensing"]["decisions"]

    assert table1_licensing() == 12
    assert set_count(client, pw, LAST_YEAR, 15).status_code == 302  # a correction replaces it
    assert table1_licensing() == 15
    assert AuditEvent.objects.filter(action="decision_count_set").count() == 2


def test_a_year_not_begun_or_a_negative_count_is_refused_on_the_page(client, pw):
    client.force_login(pw.a.office_head)
    response = set_count(client, pw, TODAY.year + 1, 3)
    assert response.status_code == 400
    assert f"年度应在1990至{TODAY.year}之间。" in response.content.decode()
    assert form_value(response, "decisions-year") == str(TODAY.year + 1)

    response = set_count(client, pw, LAST_YEAR, -1)
    assert response.status_code == 400
    assert 'id="id_decisions-count_errors"' in response.content.decode()
    assert not pw.power.decision_counts.exists()
