"""`gongkai annual-report`: the report as JSON (interfaces.md) or laid out for printing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from gongkai import cli
from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services

from .history import application, case, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    agency = make_agency("江州市生态环境局")
    load(
        agency,
        [
            application("A1", "2024-12-20", "natural_person", "2025-01-10", "disclosed"),
            application("A2", "2025-03-03", "legal_service_org", "2025-03-25", "withheld_third_party"),
            application("A3", "2025-12-30", "commercial_enterprise"),
            case("A2", "litigation_direct", "2025-05-06"),
        ],
    )
    return agency


def run(*args) -> str:
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_has_the_three_tables_and_no_broken_rule(agency):
    data = json.loads(run("--agency", agency.code, "--year", "2025", "--format", "json"))
    assert data["agency"] == {"code": agency.code, "name": "江州市生态环境局"}
    assert set(data["tables"]) == {"table1", "table2", "table3"}
    table2 = data["tables"]["table2"]
    assert (table2["received"]["total"], table2["carried_over"]["total"]) == (2, 1)
    assert table2["withheld_third_party"] == {
        "natural_person": 0, "commercial_enterprise": 0, "research_institution": 0, "social_welfare_org": 0,
        "legal_service_org": 1, "other_org": 0, "total": 1,
    }  # fmt: skip
    assert (table2["total"]["total"], table2["carried_forward"]["total"]) == (2, 1)
    assert data["tables"]["table3"]["litigation_direct"]["pending"] == 1
    assert data["checks"] == []


def test_json_is_the_default_and_can_go_to_a_file(agency, tmp_path):
    target = tmp_path / "2025.json"
    assert run("--agency", agency.code, "--year", "2025", "-o", str(target)) == ""
    assert json.loads(target.read_text("utf-8"))["year"] == 2025


def test_a_published_report_is_given_as_published(agency):
    clerk, head = make_staff(agency, Role.CLERK), make_staff(agency, Role.OFFICE_HEAD)
    report = services.annual_report_start(agency=agency, year=2025, actor=clerk)
    services.annual_report_publish(report=report, actor=head)
    load(agency, [application("A4", "2025-06-02", "natural_person", "2025-06-20", "disclosed")])
    data = json.loads(run("--agency", agency.code, "--year", "2025"))
    assert data["tables"]["table2"]["received"]["total"] == 2  # A4 came after publication


def test_laid_out_formats_are_written_to_a_file(agency, tmp_path):
    target = tmp_path / "2025.xlsx"
    run("--agency", agency.code, "--year", "2025", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"
    html = run("--agency", agency.code, "--year", "2025", "--format", "html")
    assert "江州市生态环境局" in html and "<table" in html
    with pytest.raises(CommandError, match="-o FILE"):
        run("--agency", agency.code, "--year", "2025", "--format", "pdf")


def test_unknown_agency_and_impossible_years_are_refused(agency):
    with pytest.raises(CommandError, match="no agency with code"):
        run("--agency", "91110000000000000X", "--year", "2025")
    with pytest.raises(CommandError, match="--year must be between 2008"):
        run("--agency", agency.code, "--year", str(timezone.localdate().year + 1))


def test_the_command_is_listed():
    assert cli.COMMANDS["annual-report"] == "annual_report"
    assert "annual-report --agency CODE --year YYYY" in cli.USAGE
