"""The checker names every broken rule of the national format, column by column; a report built
from the platform's records breaks none."""

import copy

import pytest

from gongkai.reports import checks
from gongkai.reports.annual import annual_report_checks, table2_complete
from gongkai.reports.rows import APPLICANT_COLUMNS, SUBTOTALS, TABLE2_COLUMNS, TABLE2_KEYS


def consistent() -> dict:
    """A consistent report: 2 per leaf cell, 10 carried over and 4 carried forward per column."""
    table2 = {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TABLE2_KEYS}
    for leaves in SUBTOTALS.values():
        for leaf in leaves:
            table2[leaf].update(dict.fromkeys(APPLICANT_COLUMNS, 2))
    for leaf in ("disclosed", "partially_disclosed"):
        table2[leaf].update(dict.fromkeys(APPLICANT_COLUMNS, 2))
    table2["carried_over"].update(dict.fromkeys(APPLICANT_COLUMNS, 10))
    table2["carried_forward"].update(dict.fromkeys(APPLICANT_COLUMNS, 4))
    table2["received"].update(dict.fromkeys(APPLICANT_COLUMNS, 42 - 10 + 4))  # 21 leaves x 2 = 42 closed
    table3 = {
        kind: {"upheld": 1, "corrected": 2, "other": 0, "pending": 1, "total": 4}
        for kind in ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
    }
    return {"tables": {"table2": table2_complete(table2), "table3": table3}}


def broken(data, previous=None) -> set[tuple]:
    return {(c["rule"], c["column"], c["row"]) for c in annual_report_checks(data, previous)}


def test_a_consistent_report_breaks_no_rule():
    data = consistent()
    assert data["tables"]["table2"]["total"]["natural_person"] == 42
    assert annual_report_checks(data) == []
    last_year = consistent()  # carried 4 forward in each column, where this year carried 10 over
    assert {c["rule"] for c in annual_report_checks(data, previous=last_year)} == {checks.RULE_CARRY_OVER}


@pytest.mark.parametrize(
    ("leaf", "rule", "subtotal"),
    [
        ("withheld_inquiry", checks.RULE_WITHHELD, "withheld"),
        ("unavailable_unclear", checks.RULE_UNAVAILABLE, "unavailable"),
        ("unprocessed_confirmation", checks.RULE_UNPROCESSED, "unprocessed"),
        ("other_fee_unpaid", checks.RULE_OTHER_HANDLING, "other_handling"),
    ],
)
def test_a_subtotal_that_is_not_the_sum_of_its_items_is_named(leaf, rule, subtotal):
    data = consistent()
    data["tables"]["table2"][leaf]["research_institution"] += 1
    assert broken(data) == {
        (rule, "research_institution", subtotal),
        (checks.RULE_TOTAL_COLUMN, "total", leaf),
    }
    check = next(c for c in annual_report_checks(data) if c["rule"] == rule)
    items = 2 * len(SUBTOTALS[subtotal])
    assert (check["expected"], check["actual"]) == (items + 1, items)  # the items say one more


def test_a_grand_total_that_is_not_the_sum_of_the_groups_is_named():
    data = consistent()
    data["tables"]["table2"]["total"]["other_org"] = 40
    assert broken(data) == {
        (checks.RULE_TOTAL, "other_org", "total"),
        (checks.RULE_BALANCE, "other_org", None),
        (checks.RULE_TOTAL_COLUMN, "total", "total"),
    }


def test_received_and_carried_over_must_equal_handled_and_carried_forward():
    data = consistent()
    data["tables"]["table2"]["carried_forward"]["natural_person"] = 5
    data["tables"]["table2"]["carried_forward"]["total"] += 1  # the 总计 column kept in step
    assert broken(data) == {
        (checks.RULE_BALANCE, "natural_person", None),
        (checks.RULE_BALANCE, "total", None),
    }
    check = annual_report_checks(data)[0]
    assert (check["rule"], check["expected"], check["actual"]) == ("一 + 二 = （七）总计 + 四", 46, 47)


def test_a_total_column_that_is_not_the_sum_of_the_six_applicant_types_is_named():
    data = consistent()
    data["tables"]["table2"]["disclosed"]["total"] = 13
    assert broken(data) == {
        (checks.RULE_TOTAL_COLUMN, "total", "disclosed"),
        (checks.RULE_TOTAL, "total", "total"),
    }


def test_carried_over_must_equal_last_years_carried_forward():
    data, last = consistent(), consistent()
    for column in TABLE2_COLUMNS:
        last["tables"]["table2"]["carried_forward"][column] = data["tables"]["table2"]["carried_over"][column]
    assert annual_report_checks(data, previous=last) == []
    last["tables"]["table2"]["carried_forward"]["legal_service_org"] = 9
    assert annual_report_checks(data, previous=last) == [
        {
            "rule": "二 = 上年度报告的四",
            "column": "legal_service_org",
            "row": "carried_over",
            "expected": 9,
            "actual": 10,
        }
    ]


def test_a_table_3_total_that_is_not_the_sum_of_its_four_results_is_named():
    data = consistent()
    data["tables"]["table3"]["litigation_direct"]["pending"] = 3
    assert broken(data) == {(checks.RULE_TABLE3_TOTAL, "litigation_direct", "total")}


def test_a_row_missing_from_a_report_is_blank_and_stops_only_the_rules_that_need_it():
    data = copy.deepcopy(consistent())
    del data["tables"]["table2"]["withheld_law"]
    data["tables"]["table2"]["withheld"]["natural_person"] += 1  # would break （三）, but 2. is blank
    data["tables"]["table2"]["received"]["other_org"] += 1  # breaks the balance of its column
    assert broken(data) == {
        *(("blank", column, "withheld_law") for column in TABLE2_COLUMNS),
        (checks.RULE_TOTAL, "natural_person", "total"),  # （三） as printed is one more
        (checks.RULE_BALANCE, "other_org", None),
        (checks.RULE_TOTAL_COLUMN, "total", "withheld"),
        (checks.RULE_TOTAL_COLUMN, "total", "received"),
    }


def test_every_rule_has_a_name_and_the_names_are_distinct():
    assert len(set(checks.ALL_RULES)) == len(checks.ALL_RULES) == 11  # 9 sums, 件数 ≥ 0, 件数为整数
    assert checks.RULE_WITHHELD == "（三）不予公开 = 1至8项之和"
    assert checks.broken_rules(annual_report_checks({"tables": {}})) == []
