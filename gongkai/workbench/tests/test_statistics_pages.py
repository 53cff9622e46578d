"""The statistics pages of the workbench: who may see which agencies' figures, the charts and
tables, and the CSV and XLSX downloads read back.

STATISTICS_URLS lists every ``statistics*`` pattern of gongkai/workbench/urls.py;
test_access.test_every_workbench_url_is_walked checks it with the other lists."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.publishing.tests.factories import Office, make_office, make_staff
from gongkai.reports.tests.history import load

from .applications_world import ID_NUMBER, MOBILE, register

pytestmark = pytest.mark.django_db
YEAR = "2025"


def app(ref, received, closed=None, outcome=None, channel="post") -> dict:
    return {"ref": ref, "received_on": received, "channel": channel, "applicant_type": "natural_person",
            "closed_on": closed, "outcome": outcome}  # fmt: skip


@dataclass
class StatsWorld:
    a: Office  # 江州市教育局: three applications and a document in 2025
    b: Office  # 江州市财政局: one application
    outsider: object  # every role on agency B, none on A


@pytest.fixture
def stats_world() -> StatsWorld:
    a, b = make_office("江州市教育局"), make_office("江州市财政局")
    load(a.agency, [
        app("A1", "2025-03-03", "2025-03-20", "disclosed", channel="online"),
        app("A2", "2025-03-04", "2025-03-21", "withheld_third_party"),
        app("A3", "2025-07-01"),
    ])  # fmt: skip
    make_document(a.agency, "江州市教育局2025年政务公开工作要点", published_on=date(2025, 2, 10))
    load(b.agency, [app("B1", "2025-05-06", "2025-05-07", "unavailable_not_held")])
    outsider = make_staff(b.agency, Role.CLERK, Role.REVIEWER, Role.OFFICE_HEAD, Role.LEADER, Role.SUPERVISOR)
    return StatsWorld(a=a, b=b, outsider=outsider)


def text_of(response) -> str:
    """What a person reads in the response, whether a page, a CSV or a workbook."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row)
    return response.content.decode("utf-8-sig")


@dataclass
class StatUrl:
    name: str
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=lambda: {"year": YEAR})
    user: Callable[[StatsWorld], object] = lambda w: w.a.clerk  # the right user
    # Staff of another agency see their own figures, never A's.
    outsider: Callable[[StatsWorld], object] = lambda w: w.outsider
    outsider_status: int = 200
    hidden: Callable[[StatsWorld], list[str]] = lambda w: [w.a.agency.name]
    shown: Callable[[StatsWorld], list[str]] = lambda w: [w.a.agency.name]


STATISTICS_URLS = [
    StatUrl("statistics"),
    StatUrl("statistics_data", kwargs={"fmt": "csv"}),
    StatUrl("statistics_data", kwargs={"fmt": "xlsx"}),
]


def _get(client, u: StatUrl):
    return client.get(reverse(f"workbench:{u.name}", kwargs=u.kwargs), u.query)


@pytest.mark.parametrize("u", STATISTICS_URLS, ids=lambda u: f"{u.name}-{u.kwargs.get('fmt', 'page')}")
def test_statistics_url_refuses_anonymous_and_shows_only_the_agencies_in_scope(client, stats_world, u):
    response = _get(client, u)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")

    client.force_login(make_staff(stats_world.a.agency))  # signed in without any staff role
    assert _get(client, u).status_code == 404

    client.force_login(u.outsider(stats_world))
    response = _get(client, u)
    assert response.status_code == u.outsider_status
    for text in u.hidden(stats_world):
        assert text not in text_of(response)

    client.force_login(u.user(stats_world))
    response = _get(client, u)
    assert response.status_code == 200
    for text in u.shown(stats_world):
        assert text in text_of(response)


def test_page_draws_the_charts_and_tables_of_the_agency(client, stats_world):
    client.force_login(stats_world.a.clerk)
    response = client.get(reverse("workbench:statistics"), {"year": YEAR})
    html = response.content.decode()
    assert html.count('role="img"') >= 6  # months, outcomes, channels, types, on time, documents…
    assert "2025年每月新收和办结的申请" in html and "办结申请：按办理结果" in html
    # The table by agency: 3 received, 2 closed, 1 overdue now (A3, due in 2025).
    row = '<th scope="row">江州市教育局</th><td class="num">3</td><td class="num">2</td>'
    assert row in html
    assert '<a href="/staff/statistics/" aria-current="page">统计</a>' in html
    assert f'href="/staff/statistics/data.csv?year={YEAR}"' in html
    assert "统计口径" in html and "按时答复" in html


def test_an_agency_out_of_scope_is_refused_and_its_figures_are_not_shown(client, stats_world):
    client.force_login(stats_world.a.clerk)
    for name in ("workbench:statistics", "workbench:statistics_data"):
        kwargs = {"fmt": "csv"} if name.endswith("data") else {}
        response = client.get(reverse(name, kwargs=kwargs), {"agency": stats_world.b.agency.code})
        html = response.content.decode()
        assert response["Content-Type"].startswith("text/html")
        assert "选择一个有效的选项" in html
        assert stats_world.b.agency.name not in html and 'role="img"' not in html


def test_a_supervisor_sees_the_agencies_below_and_can_narrow_to_one(client, stats_world):
    city = make_agency("江州市人民政府")
    for office in (stats_world.a, stats_world.b):
        office.agency.parent = city
        office.agency.save()
    supervisor = make_staff(city, Role.SUPERVISOR)
    client.force_login(supervisor)
    html = client.get(reverse("workbench:statistics"), {"year": YEAR}).content.decode()
    assert '<th scope="row">江州市教育局</th>' in html and '<th scope="row">江州市财政局</th>' in html
    narrowed = client.get(
        reverse("workbench:statistics"), {"year": YEAR, "agency": stats_world.a.agency.code}
    )
    html = narrowed.content.decode()
    assert '<th scope="row">江州市教育局</th>' in html and '<th scope="row">江州市财政局</th>' not in html
    assert "江州市教育局（含下级机关）" in html


def _sections(text: str) -> dict[str, list[list[str]]]:
    """The CSV's tables by title (each starts after a blank line with its title)."""
    rows = list(csv.reader(io.StringIO(text)))
    sections, current = {}, None
    for before, row in zip([None, *rows], rows, strict=False):
        if before == []:  # the title
            current = row[0]
            sections[current] = []
        elif current and row:
            sections[current].append(row)
    return sections


def test_csv_download_has_a_bom_and_every_table(client, stats_world):
    client.force_login(stats_world.a.clerk)
    response = client.get(reverse("workbench:statistics_data", kwargs={"fmt": "csv"}), {"year": YEAR})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    sections = _sections(response.content.decode("utf-8-sig"))
    assert list(sections) == ["概览", "按月", "申请方式", "申请人类型", "办理结果", "主题分类", "按机关"]
    overview = dict(sections["概览"][1:])
    assert overview["新收申请（件）"] == "3" and overview["主动公开政府信息（条）"] == "1"
    header, *agencies = sections["按机关"]
    # Closed in the former system: no reply date, so no on-time rate; 13 working days each.
    assert agencies == [["江州市教育局", "3", "2", "0", "0", "", "13", "13", "1", "1", "0", "0", ""]]
    assert sections["申请方式"][1:3] == [["网上申请", "1"], ["信函申请", "2"]]


def test_xlsx_download_reads_back_with_numbers_as_numbers(client, stats_world):
    client.force_login(stats_world.a.clerk)
    response = client.get(reverse("workbench:statistics_data", kwargs={"fmt": "xlsx"}), {"year": YEAR})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "说明",
        "概览",
        "按月",
        "申请方式",
        "申请人类型",
        "办理结果",
        "主题分类",
        "按机关",
    ]
    rows = list(book["按机关"].iter_rows(values_only=True))
    assert rows[0][:3] == ("机关", "新收申请", "办结申请")
    assert rows[1][:3] == ("江州市教育局", 3, 2) and rows[1][6] == 13
    assert ("年度", "2025") in list(book["说明"].iter_rows(values_only=True))


def test_text_a_spreadsheet_would_run_as_a_formula_is_neutralised(client):
    admin = make_staff(make_agency("江州市人民政府"), Role.ADMINISTRATOR)
    for name in ('=HYPERLINK("http://example.com")局', "+1局", "-1局", "@SUM(A1)局"):
        load(make_agency(name, parent=admin.staff_roles.get().agency), [app(name[:4], "2025-03-03")])
    client.force_login(admin)
    csv_text = client.get(reverse("workbench:statistics_data", kwargs={"fmt": "csv"}), {"year": YEAR})
    names = [row[0] for row in _sections(csv_text.content.decode("utf-8-sig"))["按机关"][1:]]
    assert sorted(names) == ["'+1局", "'-1局", '\'=HYPERLINK("http://example.com")局', "'@SUM(A1)局"]
    xlsx = client.get(reverse("workbench:statistics_data", kwargs={"fmt": "xlsx"}), {"year": YEAR})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["按机关"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.value.startswith("'") for c in cells) and len(cells) == 4


def test_an_unknown_format_is_not_found(client, stats_world):
    client.force_login(stats_world.a.clerk)
    assert client.get(reverse("workbench:statistics_data", kwargs={"fmt": "pdf"})).status_code == 404


def test_no_personal_data_reaches_the_figures(client, stats_world):
    registered = register(stats_world.a)  # 张三, with identity number and phone
    client.force_login(stats_world.a.clerk)
    for response in (
        client.get(reverse("workbench:statistics")),
        client.get(reverse("workbench:statistics_data", kwargs={"fmt": "csv"})),
        client.get(reverse("workbench:statistics_data", kwargs={"fmt": "xlsx"})),
    ):
        text = text_of(response)
        for personal in ("张三", ID_NUMBER, MOBILE, "zhangsan@example.com", registered.tracking_no):
            assert personal not in text


def test_the_page_takes_as_many_queries_for_many_agencies_as_for_one(client, stats_world):
    admin = make_staff(make_agency("江州市人民政府"), Role.SUPERVISOR)
    city = admin.staff_roles.get().agency
    stats_world.a.agency.parent = city
    stats_world.a.agency.save()
    client.force_login(admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("workbench:statistics"), {"year": YEAR}).status_code == 200
        return len(captured)

    client.get(reverse("workbench:statistics"))  # sessions and the calendar are read once
    before = queries()
    for n in range(4):
        agency = make_agency(f"江州市第{n + 1}区人民政府", parent=city)
        load(agency, [app(f"C{n}", "2025-04-01", "2025-04-02", "disclosed"), app(f"D{n}", "2025-08-01")])
        make_document(agency, f"第{n + 1}区通知", published_on=date(2025, 4, 1))
    assert queries() == before
