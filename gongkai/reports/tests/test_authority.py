"""The competent authority's view: the tables summed over an agency and every agency below it,
and the agencies whose report was not published by its due date."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.agencies.models import AgencyLevel, Role
from gongkai.catalogue.models import Genre
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services
from gongkai.reports.annual import annual_report_data, authority_sum, report_due_on
from gongkai.reports.models import AnnualReport, ManualKey

from .history import application, case, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = make_agency("江州市人民政府", level=AgencyLevel.CITY)
    education = make_agency("江州市教育局", parent=city, level=AgencyLevel.DEPARTMENT)
    finance = make_agency("江州市财政局", parent=city, level=AgencyLevel.DEPARTMENT)
    elsewhere = make_agency("河州市人民政府", level=AgencyLevel.CITY)
    load(city, [application("G1", "2025-03-03", "natural_person", "2025-03-20", "disclosed")])
    load(
        education,
        [
            application("E1", "2024-12-01", "natural_person", "2025-01-15", "withheld_process"),
            application("E2", "2025-05-05", "other_org", "2025-05-30", "unprocessed_repeat"),
            case("E2", "reconsideration", "2025-06-10", "2025-08-01", "upheld"),
        ],
    )
    load(finance, [application("F1", "2025-12-29", "commercial_enterprise")])
    load(elsewhere, [application("X1", "2025-03-03", "natural_person", "2025-03-20", "disclosed")])
    regulation = Genre.objects.get(name="规章").pk
    make_document(city, "江州市城市道路管理办法", genre_id=regulation, written_on=date(2025, 2, 20),
                  published_on=date(2025, 3, 1))  # fmt: skip
    make_document(elsewhere, "河州市城市道路管理办法", genre_id=regulation, written_on=date(2025, 2, 20),
                  published_on=date(2025, 3, 1))  # fmt: skip
    clerk = make_staff(education, Role.CLERK)
    services.manual_figure_set(agency=education, year=2025, key=ManualKey.LICENSING, value=10, actor=clerk)
    services.manual_figure_set(agency=finance, year=2025, key=ManualKey.LICENSING, value=5,
                               actor=make_staff(finance, Role.CLERK))  # fmt: skip
    return {"city": city, "education": education, "finance": finance}


def test_the_tables_are_summed_over_the_agency_and_every_agency_below(tree):
    total = authority_sum(agency=tree["city"], year=2025)
    assert total["agencies"] == 3
    table2 = total["tables"]["table2"]
    assert table2["received"]["total"] == 3  # G1, E2, F1; not X1 of another city
    assert table2["carried_over"]["total"] == 1  # E1
    assert (table2["disclosed"]["total"], table2["withheld_process"]["total"]) == (1, 1)
    assert (table2["total"]["total"], table2["carried_forward"]["total"]) == (3, 1)
    assert total["tables"]["table3"]["reconsideration"]["upheld"] == 1
    assert total["tables"]["table1"]["regulations"]["issued"] == 1
    assert total["tables"]["table1"]["licensing"] == {"decisions": 15}
    assert total["manual"] == [ManualKey.LICENSING]
    assert total["checks"] == []


def test_the_sum_equals_the_sum_of_the_agencies_own_reports(tree):
    total = authority_sum(agency=tree["city"], year=2025)["tables"]["table2"]
    own = [annual_report_data(agency=tree[k], year=2025)["tables"]["table2"] for k in tree]
    for row, cells in total.items():
        for column, value in cells.items():
            assert value == sum(t[row][column] for t in own), (row, column)


def test_a_department_below_sums_only_itself(tree):
    total = authority_sum(agency=tree["education"], year=2025)
    assert total["agencies"] == 1
    assert total["tables"]["table2"]["received"]["total"] == 1


def test_departments_are_late_after_31_january_and_governments_after_31_march(tree):
    assert report_due_on(tree["education"], 2025) == date(2026, 1, 31)
    assert report_due_on(tree["city"], 2025) == date(2026, 3, 31)
    head = make_staff(tree["education"], Role.OFFICE_HEAD)
    on_time = services.annual_report_start(
        agency=tree["education"], year=2025, actor=make_staff(tree["education"], Role.CLERK)
    )
    services.annual_report_publish(report=on_time, actor=head)
    # As if it had been published on 20 January (the clock cannot be turned back in a test).
    AnnualReport.objects.filter(pk=on_time.pk).update(
        published_at=datetime(2026, 1, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    assert authority_sum(agency=tree["city"], year=2025, today=date(2026, 1, 31))["late"] == []
    late = authority_sum(agency=tree["city"], year=2025, today=date(2026, 2, 1))["late"]
    assert late == [
        {"code": tree["finance"].code, "name": "江州市财政局", "due_on": "2026-01-31", "published_on": None}
    ]
    late = authority_sum(agency=tree["city"], year=2025, today=date(2026, 4, 1))["late"]
    assert [entry["name"] for entry in late] == ["江州市人民政府", "江州市财政局"]


def test_a_report_published_after_its_due_date_stays_late(tree):
    clerk, head = make_staff(tree["finance"], Role.CLERK), make_staff(tree["finance"], Role.OFFICE_HEAD)
    report = services.annual_report_start(agency=tree["finance"], year=2025, actor=clerk)
    services.annual_report_publish(report=report, actor=head)  # today, long after 31 January 2026
    late = {e["name"]: e for e in authority_sum(agency=tree["city"], year=2025)["late"]}
    assert late["江州市财政局"]["published_on"] == timezone.localdate().isoformat()
