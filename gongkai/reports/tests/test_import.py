"""Reports published before the platform (issue 12 §2): `gongkai annual-report import FILE.json
--agency CODE --year YYYY` stores one as printed, read-only and marked imported; the next year's
carry-over rule checks against it and the portal lists it with the generated ones."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import checks, printed, services
from gongkai.reports.annual import annual_report_data
from gongkai.reports.models import AnnualReport, ReportStatus

from .history import application, load

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
DISTRICT_2022 = FIXTURES / "district-2022-wrong-total.json"
PROVINCE_2019 = FIXTURES / "province-office-2019-total-column-unfilled.json"


@pytest.fixture
def agency():
    return make_agency("江州市江北区人民政府")


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(agency, path=DISTRICT_2022, year=2022) -> AnnualReport:
    run("import", str(path), "--agency", agency.code, "--year", str(year))
    return AnnualReport.objects.get(agency=agency, year=year)


def test_an_imported_report_is_stored_as_printed_published_and_marked(agency):
    _out, err = run("import", str(DISTRICT_2022), "--agency", agency.code, "--year", "2022")
    assert "imported" in err and checks.RULE_TOTAL in err  # the printed error is said at once
    report = AnnualReport.objects.get(agency=agency, year=2022)
    assert (report.imported, report.status) == (True, ReportStatus.PUBLISHED)
    assert report.data["tables"] == printed.read_json(DISTRICT_2022.read_bytes())["tables"]
    assert report.data["agency"] == {"code": agency.code, "name": agency.name}
    assert {c["rule"] for c in report.data["checks"]} == {
        checks.RULE_TOTAL,
        checks.RULE_BALANCE,
        checks.RULE_TOTAL_COLUMN,
    }
    assert report.published_on is None  # the file does not say when it was published
    event = AuditEvent.objects.filter(action="annual_report_import").get()
    assert event.after["year"] == 2022


def test_blank_cells_stay_blank(agency):
    report = imported(agency, PROVINCE_2019, 2019)
    assert report.data["format"] == "2019"
    assert report.data["tables"]["table2"]["received"]["total"] is None
    assert len(checks.blank_cells(report.data["checks"])) == 23


def test_an_imported_report_is_read_only(agency):
    report = imported(agency)
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    assert services.annual_report_start(agency=agency, year=2022, actor=clerk) == report
    with pytest.raises(services.ReportError, match="已发布"):
        services.annual_report_save_narrative(report=report, narrative={"overview": "x"}, actor=clerk)
    with pytest.raises(services.ReportError, match="已发布"):
        services.annual_report_refresh(report=report, actor=clerk)
    with pytest.raises(services.ReportError, match="已发布"):
        services.annual_report_publish(report=report, actor=head)
    with pytest.raises(CommandError, match="已有2022年度报告"):
        run("import", str(DISTRICT_2022), "--agency", agency.code, "--year", "2022")


def test_import_is_refused_for_the_wrong_year_layout_or_a_year_not_ended(agency):
    with pytest.raises(CommandError, match="not 2021"):
        run("import", str(DISTRICT_2022), "--agency", agency.code, "--year", "2021")
    data = printed.read_json(PROVINCE_2019.read_bytes())
    with pytest.raises(services.ReportError, match="2021格式"):
        services.annual_report_import(agency=agency, year=2022, data={**data, "year": 2022})
    from django.utils import timezone

    this_year = timezone.localdate().year
    with pytest.raises(services.ReportError, match="尚未结束"):
        services.annual_report_import(agency=agency, year=this_year, data={**data, "format": None})
    with pytest.raises(CommandError, match="--agency CODE and --year"):
        run("import", str(DISTRICT_2022))
    assert not AnnualReport.objects.exists()


def test_only_the_office_head_may_import_from_the_workbench_side(agency):
    data = printed.read_json(DISTRICT_2022.read_bytes())
    with pytest.raises(services.NotPermitted):
        services.annual_report_import(
            agency=agency, year=2022, data=data, actor=make_staff(agency, Role.CLERK)
        )
    head = make_staff(agency, Role.OFFICE_HEAD)
    assert services.annual_report_import(agency=agency, year=2022, data=data, actor=head).imported


def test_the_next_years_carry_over_is_checked_against_the_imported_report(agency):
    imported(agency)  # its 四: natural persons 5, commercial 1, legal service 1, total 7
    # On the platform from 2023: nothing received before, so 二 of 2023 is 0 in every column.
    load(agency, [application("N1", "2023-03-01", "natural_person", "2023-03-20", "disclosed")])
    data = annual_report_data(agency=agency, year=2023)
    assert [(c["column"], c["expected"], c["actual"]) for c in data["checks"]] == [
        ("natural_person", 5, 0),
        ("commercial_enterprise", 1, 0),
        ("legal_service_org", 1, 0),
        ("total", 7, 0),
    ]
    assert {c["rule"] for c in data["checks"]} == {checks.RULE_CARRY_OVER}


def test_the_portal_lists_and_shows_the_imported_report(agency, client):
    imported(agency)
    page = client.get("/reports/").content.decode()
    assert "历史报告（导入）" in page and agency.name in page
    report_page = client.get(f"/reports/{agency.code}/2022/").content.decode()
    assert "按原文录入" in report_page
    api = json.loads(client.get(f"/api/v1/annual-reports/{agency.code}/2022").content)
    assert api["imported"] is True
    assert api["tables"]["table2"]["total"]["total"] == 32  # as printed


def test_an_imported_report_is_late_only_by_the_day_its_file_states(agency, tmp_path):
    from datetime import date

    from gongkai.agencies.models import Agency
    from gongkai.reports.annual import late_reports

    imported(agency)  # no publication day in the file: not known to be late
    assert late_reports(Agency.objects.filter(pk=agency.pk), 2022, today=date(2023, 6, 1)) == []
    data = json.loads(PROVINCE_2019.read_text("utf-8"))
    late_file = tmp_path / "2019.json"
    late_file.write_text(json.dumps({**data, "published_on": "2020-05-10"}, ensure_ascii=False), "utf-8")
    report = imported(agency, late_file, 2019)
    assert report.published_on == date(2020, 5, 10)
    late = late_reports(Agency.objects.filter(pk=agency.pk), 2019, today=date(2020, 6, 1))
    assert [(r["due_on"], r["published_on"]) for r in late] == [("2020-03-31", "2020-05-10")]


def test_records_imported_for_a_year_are_compared_with_its_imported_report(agency, tmp_path):
    from gongkai.reports.annual import records_against_imported
    from gongkai.reports.rows import SUBTOTALS, TABLE2_COLUMNS, TABLE2_KEYS

    table2 = {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TABLE2_KEYS if row not in SUBTOTALS}
    for row in ("received", "disclosed", "total"):
        table2[row].update(natural_person=1, total=1)
    table3 = {
        kind: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)
        for kind in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
    }
    path = tmp_path / "2022.json"
    path.write_text(json.dumps({"year": 2022, "tables": {"table2": table2, "table3": table3}}), "utf-8")
    imported(agency, path, 2022)
    assert records_against_imported(agency, 2021) == []  # no imported report that year
    load(agency, [application("H1", "2022-03-01", "natural_person", "2022-03-20", "disclosed")])
    assert records_against_imported(agency, 2022) == []  # the records agree with the report
    load(agency, [application("H2", "2022-11-02", "legal_service_org")])  # open at 31 December
    assert [
        (d["row"], d["column"], d["report"], d["records"]) for d in records_against_imported(agency, 2022)
    ] == [
        ("received", "legal_service_org", 0, 1),
        ("received", "total", 1, 2),
        ("carried_forward", "legal_service_org", 0, 1),
        ("carried_forward", "total", 0, 1),
    ]
