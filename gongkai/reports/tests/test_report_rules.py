"""Report rules settled by annual-report.md ("Counting decisions") and regulation.md ("Remedies and
supervision"): 本年制发件数 by 成文日期, counts that are no non-negative integers are broken rules,
and report deadlines by level with the township deadline a deployment setting."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.catalogue.models import Genre
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.reports.annual import annual_report_data, late_reports, report_due_on
from gongkai.reports.checks import RULE_INTEGER, RULE_NON_NEGATIVE, annual_report_checks

# --- 本年制发件数 ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_document_is_issued_in_the_year_it_was_written_not_the_year_it_was_published():
    agency = make_agency("江州市人民政府")
    normative = Genre.objects.get(name="规范性文件").pk
    # Written (成文) on 2025-12-20, published on 2026-01-10: issued in 2025.
    make_document(agency, "江州市物业管理办法", genre_id=normative, written_on=date(2025, 12, 20),
                  published_on=date(2026, 1, 10))  # fmt: skip
    # Written and published in 2025.
    make_document(agency, "江州市停车管理办法", genre_id=normative, written_on=date(2025, 3, 1),
                  published_on=date(2025, 3, 5))  # fmt: skip
    # Written in 2024, published in 2025: issued in 2024, not 2025.
    make_document(agency, "江州市养犬管理办法", genre_id=normative, written_on=date(2024, 11, 30),
                  published_on=date(2025, 2, 1))  # fmt: skip
    issued = {
        year: annual_report_data(agency=agency, year=year)["tables"]["table1"]["normative_documents"][
            "issued"
        ]
        for year in (2024, 2025, 2026)
    }
    assert issued == {2024: 1, 2025: 2, 2026: 0}


# --- counts are non-negative integers ------------------------------------------------------------


def report() -> dict:
    """An empty 2021-layout report (every rule holds on zeros)."""
    table2 = {"received": {}, "total": {}, "carried_over": {}, "carried_forward": {}}
    return {"year": 2025, "format": "2021", "tables": {"table1": {}, "table2": table2, "table3": {}}}


def test_a_negative_count_is_a_broken_rule():
    data = report()
    data["tables"]["table3"] = {
        "reconsideration": {"upheld": -1, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    }
    broken = [c for c in annual_report_checks(data) if c["rule"] == RULE_NON_NEGATIVE]
    assert broken == [
        {
            "rule": RULE_NON_NEGATIVE,
            "column": "upheld",
            "row": "table3.reconsideration",
            "expected": None,
            "actual": -1,
        }
    ]


@pytest.mark.parametrize("value", [2.5, "3", True, "三"])
def test_a_count_that_is_no_whole_number_is_a_broken_rule(value):
    data = report()
    data["tables"]["table2"]["received"] = {"natural_person": value}
    broken = [c for c in annual_report_checks(data) if c["rule"] == RULE_INTEGER]
    assert [(c["row"], c["column"], c["actual"]) for c in broken] == [
        ("table2.received", "natural_person", value)
    ]


def test_amounts_and_changes_are_not_counts():
    data = report()
    data["tables"]["table1"] = {
        "fees": {"amount_10k_yuan": "12.5"},
        "licensing": {"previous_items": 10, "change": -2, "decisions": 3},
    }
    rules = {c["rule"] for c in annual_report_checks(data)}
    assert RULE_INTEGER not in rules and RULE_NON_NEGATIVE not in rules
    data["tables"]["table1"]["licensing"]["change"] = Decimal("1.5")
    assert RULE_INTEGER in {c["rule"] for c in annual_report_checks(data)}


def test_whole_numbers_written_as_decimals_are_counts():
    data = report()
    data["tables"]["table2"]["received"] = {"natural_person": 2.0}
    data["tables"]["table2"]["total"] = {"natural_person": 2}
    assert not [c for c in annual_report_checks(data) if c["rule"] in (RULE_INTEGER, RULE_NON_NEGATIVE)]


# --- deadlines by level -------------------------------------------------------------------------


@pytest.mark.django_db
def test_report_deadlines_by_level(settings):
    city = make_agency("江州市人民政府", level=AgencyLevel.CITY)
    county = make_agency("江州市滨江区人民政府", level=AgencyLevel.COUNTY, parent=city)
    department = make_agency("江州市教育局", level=AgencyLevel.DEPARTMENT, parent=city)
    unit = make_agency("江州市档案馆", level=AgencyLevel.INSTITUTION, parent=city)
    street = make_agency("长宁街道办事处", level=AgencyLevel.TOWNSHIP, parent=county)
    assert report_due_on(city, 2025) == date(2026, 3, 31)
    assert report_due_on(county, 2025) == date(2026, 3, 31)
    assert report_due_on(department, 2025) == date(2026, 1, 31)
    assert report_due_on(unit, 2025) == date(2026, 1, 31)
    assert report_due_on(street, 2025) == date(2026, 1, 31)  # the default setting
    settings.GONGKAI_TOWNSHIP_REPORT_DUE = "03-31"
    assert report_due_on(street, 2025) == date(2026, 3, 31)
    settings.GONGKAI_TOWNSHIP_REPORT_DUE = "31 March"
    with pytest.raises(ImproperlyConfigured, match="MM-DD"):
        report_due_on(street, 2025)


@pytest.mark.django_db
def test_a_township_without_a_report_is_late_after_31_january_by_default(settings):
    street = make_agency("长宁街道办事处", level=AgencyLevel.TOWNSHIP)
    agencies = Agency.objects.filter(pk=street.pk)
    assert [row["due_on"] for row in late_reports(agencies, 2025, today=date(2026, 2, 1))] == ["2026-01-31"]
    settings.GONGKAI_TOWNSHIP_REPORT_DUE = "03-31"
    assert late_reports(agencies, 2025, today=date(2026, 2, 1)) == []
