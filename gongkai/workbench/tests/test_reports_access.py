"""Every annual-report URL of the workbench, walked as anonymous, as a user without a staff role,
as a user out of scope and as the right user; who may write, publish and see the sum.

REPORT_URLS lists every ``report_*`` pattern of gongkai/workbench/urls.py (POST endpoints
included); test_access.test_every_workbench_url_is_walked checks it with STAFF_URLS."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import Office, make_office, make_staff
from gongkai.reports import printed, services
from gongkai.reports.checks import RULE_CARRY_OVER
from gongkai.reports.models import AnnualReport, ReportReview, ReportStatus
from gongkai.reports.tests.history import application, load

pytestmark = pytest.mark.django_db
FIXTURES = Path(printed.__file__).parent / "tests" / "fixtures"
YEAR = timezone.localdate().year - 1


@dataclass
class ReportWorld:
    """Agency A (under a city government) with a draft report of YEAR; agency B elsewhere."""

    a: Office
    city: Agency
    supervisor: object  # supervisor of the city government: A is below it
    outsider: object  # every role on agency B, none on A or the city
    report: AnnualReport


@pytest.fixture
def rw(db) -> ReportWorld:
    city = make_agency("江州市人民政府")
    a = make_office("江州市教育局", parent=city)
    b = make_office("河州市财政局")
    outsider = make_staff(
        b.agency, Role.CLERK, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR, Role.ADMINISTRATOR
    )
    load(a.agency, [application("E1", f"{YEAR}-03-01", "natural_person", f"{YEAR}-03-20", "disclosed")])
    report = services.annual_report_start(agency=a.agency, year=YEAR, actor=a.clerk)
    return ReportWorld(
        a=a, city=city, supervisor=make_staff(city, Role.SUPERVISOR), outsider=outsider, report=report
    )


@dataclass
class ReportUrl:
    name: str
    kwargs: Callable[[ReportWorld], dict] = lambda w: {"code": w.a.agency.code, "year": YEAR}
    method: str = "get"
    data: Callable[[ReportWorld], dict] = lambda w: {}
    user: Callable[[ReportWorld], object] = lambda w: w.a.clerk  # the right user
    ok: int = 200
    outsider_status: int = 404
    hidden: Callable[[ReportWorld], list[str]] = field(default=lambda w: [])  # never shown to the outsider
    label: str = ""  # tells walks of one pattern apart in the test ids
    goes_to: str = "/staff/reports/{code}/"  # where a 302 leads (with the agency's code)


def _fmt(fmt: str):
    return lambda w: {"code": w.a.agency.code, "year": YEAR, "fmt": fmt}


def _printed(w: ReportWorld) -> bytes:
    """A report of A as published (the district fixture with a wrong grand total), as JSON."""
    data = json.loads((FIXTURES / "district-2022-wrong-total.json").read_text("utf-8"))
    return json.dumps({**data, "year": YEAR}, ensure_ascii=False).encode()


def _review(w: ReportWorld) -> ReportReview:
    """A check of A's report by the city's supervisor (made on first use)."""
    review = ReportReview.objects.filter(agency=w.a.agency).first()
    if review is None:
        data = printed.read_json(_printed(w))
        review = services.report_review_create(
            agency=w.a.agency, year=YEAR, data=data, filename="a.json", actor=w.supervisor
        )
    return review


REPORT_URLS = [
    ReportUrl("report_list", kwargs=lambda w: {}, outsider_status=200, hidden=lambda w: [w.a.agency.name]),
    # The outsider asks for the sum over A's government: the form refuses it, B's sum is shown.
    ReportUrl("report_summary", kwargs=lambda w: {}, user=lambda w: w.supervisor, outsider_status=200,
              data=lambda w: {"agency": w.city.code, "year": YEAR}, hidden=lambda w: [w.a.agency.name, w.city.name]),
    ReportUrl("report_detail"),
    ReportUrl("report_start", kwargs=lambda w: {"code": w.a.agency.code, "year": YEAR - 1}, method="post", ok=302),
    ReportUrl("report_narrative", method="post", ok=302,
              data=lambda w: {"narrative-overview": "总体情况", "narrative-problems": "", "narrative-other_matters": ""}),
    ReportUrl("report_explain", method="post", ok=302,
              data=lambda w: {"rule": RULE_CARRY_OVER, "explain-7-text": "原系统更正了办结日期。"}),
    ReportUrl("report_figures", method="post", ok=302, data=lambda w: {"figures-licensing": "12"}),
    ReportUrl("report_refresh", method="post", ok=302),
    ReportUrl("report_publish", method="post", ok=302, user=lambda w: w.a.office_head),
    *[ReportUrl("report_download", kwargs=_fmt(fmt), label=fmt) for fmt in ("html", "pdf", "docx", "xlsx")],
    # Checking published reports: the supervisor uploads; the outsider is offered B only.
    ReportUrl("report_reviews", kwargs=lambda w: {}, user=lambda w: w.supervisor, outsider_status=200,
              hidden=lambda w: [w.a.agency.name]),
    ReportUrl("report_reviews", kwargs=lambda w: {}, method="post", user=lambda w: w.supervisor, ok=302,
              outsider_status=400, hidden=lambda w: [w.a.agency.name], goes_to="/staff/reports/reviews/",
              data=lambda w: {"agency": w.a.agency.code, "year": YEAR,
                              "file": SimpleUploadedFile("a.json", _printed(w), "application/json")},
              label="upload"),
    ReportUrl("report_review", kwargs=lambda w: {"pk": _review(w).pk}, user=lambda w: w.supervisor),
    ReportUrl("report_review_explain", kwargs=lambda w: {"pk": _review(w).pk}, method="post", ok=302,
              goes_to="/staff/reports/reviews/",
              data=lambda w: {"key": ReportReview.finding_key(_review(w).findings[0]), "text": "印刷时笔误。"}),
]  # fmt: skip


def _request(client, u: ReportUrl, w: ReportWorld):
    url = reverse(f"workbench:{u.name}", kwargs=u.kwargs(w))
    return getattr(client, u.method)(url, u.data(w))


@pytest.mark.parametrize(
    "u", REPORT_URLS, ids=lambda u: f"{u.method}-{u.name}{'-' + u.label if u.label else ''}"
)
def test_report_url_refuses_anonymous_and_out_of_scope_and_serves_the_right_user(client, rw, u):
    response = _request(client, u, rw)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    client.force_login(make_staff(rw.a.agency))  # signed in without any staff role
    assert _request(client, u, rw).status_code == 404

    client.force_login(rw.outsider)
    response = _request(client, u, rw)
    assert response.status_code == u.outsider_status
    for text in u.hidden(rw):
        assert text not in response.content.decode()

    client.force_login(u.user(rw))
    response = _request(client, u, rw)
    assert response.status_code == u.ok, response.content.decode()[:3000]
    if u.ok == 302:
        assert response["Location"].startswith(u.goes_to.format(code=rw.a.agency.code))


def test_the_explanation_form_prefix_matches_the_rule_index():
    from gongkai.reports.checks import ALL_RULES
    from gongkai.workbench.forms_reports import explain_prefix

    assert explain_prefix(RULE_CARRY_OVER) == "explain-7" == f"explain-{ALL_RULES.index(RULE_CARRY_OVER)}"


def test_a_reviewer_reads_but_may_not_write_and_a_clerk_may_not_publish(client, rw):
    client.force_login(rw.a.unit_head)
    page = client.get(reverse("workbench:report_detail", kwargs={"code": rw.a.agency.code, "year": YEAR}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "narrative-overview" not in html and "/publish/" not in html and "/figures/" not in html
    url = reverse("workbench:report_narrative", kwargs={"code": rw.a.agency.code, "year": YEAR})
    response = client.post(url, {"narrative-overview": "改写"})
    assert response.status_code == 403 and "权限" in response.content.decode()

    client.force_login(rw.a.clerk)
    assert "/publish/" not in client.get(page.wsgi_request.path).content.decode()
    response = client.post(
        reverse("workbench:report_publish", kwargs={"code": rw.a.agency.code, "year": YEAR})
    )
    assert response.status_code == 403
    rw.report.refresh_from_db()
    assert rw.report.status == ReportStatus.DRAFT


def test_a_leader_may_publish(client, rw):
    client.force_login(rw.a.leader)
    url = reverse("workbench:report_publish", kwargs={"code": rw.a.agency.code, "year": YEAR})
    assert client.post(url).status_code == 302
    rw.report.refresh_from_db()
    assert rw.report.status == ReportStatus.PUBLISHED


def test_supervisor_reads_the_reports_below_and_writes_none(client, rw):
    client.force_login(rw.supervisor)
    listing = client.get(reverse("workbench:report_list"), {"year": YEAR}).content.decode()
    assert rw.a.agency.name in listing and "汇总与逾期情况" in listing
    detail = reverse("workbench:report_detail", kwargs={"code": rw.a.agency.code, "year": YEAR})
    html = client.get(detail).content.decode()
    assert 'action="/staff/reports/' not in html  # no form to act with
    refresh = reverse("workbench:report_refresh", kwargs={"code": rw.a.agency.code, "year": YEAR})
    assert client.post(refresh).status_code == 403


def test_only_supervisors_and_administrators_have_the_summary(client, rw):
    client.force_login(rw.a.office_head)
    assert client.get(reverse("workbench:report_summary")).status_code == 404
    assert "汇总与逾期情况" not in client.get(reverse("workbench:report_list")).content.decode()


def test_state_changes_refuse_get_and_unknown_formats_are_not_found(client, rw):
    client.force_login(rw.a.office_head)
    kwargs = {"code": rw.a.agency.code, "year": YEAR}
    assert client.get(reverse("workbench:report_publish", kwargs=kwargs)).status_code == 405
    assert (
        client.get(reverse("workbench:report_download", kwargs={**kwargs, "fmt": "exe"})).status_code == 404
    )
    # A year without a report, and a year not yet begun, are not found.
    assert client.get(reverse("workbench:report_detail", kwargs={**kwargs, "year": 2015})).status_code == 404
    start_next = reverse("workbench:report_start", kwargs={**kwargs, "year": YEAR + 2})
    assert client.post(start_next).status_code == 404
