"""Reports as printed (issue 12 §1): `gongkai annual-report check FILE.json [--previous FILE.json]`.

The fixtures in ``fixtures/`` are reports in the shape real published ones take, each with one of
the four situations of a spring quality check (年报质量检查): group rows （三）-（六） printed blank,
a 总计 column left unfilled (2019's trial layout), a wrong printed grand total, and a carry-over
(二) that disagrees with last year's 四. Each test states the findings worked out by hand from the
figures of the file, and asserts the checker gives exactly those and no others."""

import copy
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from gongkai.reports import checks, printed
from gongkai.reports.exports import report_xlsx
from gongkai.reports.narrative import RULE_NARRATIVE
from gongkai.reports.rows import TABLE2_COLUMNS, TRIAL_SUBTOTALS, TRIAL_TABLE2_KEYS

FIXTURES = Path(__file__).parent / "fixtures"
CITY = FIXTURES / "city-2023-group-rows-blank.json"
DISTRICT_2022 = FIXTURES / "district-2022-wrong-total.json"
DISTRICT_2023 = FIXTURES / "district-2023-carry-over.json"
PROVINCE_2019 = FIXTURES / "province-office-2019-total-column-unfilled.json"


def load(path: Path) -> dict:
    return printed.read_json(path.read_bytes())


def findings(path: Path, previous: Path | None = None) -> list[dict]:
    return printed.check(load(path), load(previous) if previous else None)


def run(*args) -> str:
    out = io.StringIO()
    call_command("annual_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# --- the four situations --------------------------------------------------------------------


def test_group_rows_printed_blank_are_the_sum_of_their_items_and_break_nothing():
    data = load(CITY)
    table2 = data["tables"]["table2"]
    assert table2["withheld"] == dict.fromkeys(TABLE2_COLUMNS)  # printed without a figure
    assert checks.annual_report_checks(data) == []
    # Absent rather than null: the same.
    for group in ("withheld", "unavailable", "unprocessed", "other_handling"):
        del table2[group]
    assert checks.annual_report_checks(data) == []
    # Read as zeros (the old behaviour) the same report broke four sub-row rules and the total.
    zeros = copy.deepcopy(data)
    for group in ("withheld", "unavailable", "unprocessed", "other_handling"):
        zeros["tables"]["table2"][group] = dict.fromkeys(TABLE2_COLUMNS, 0)
    assert {c["rule"] for c in checks.annual_report_checks(zeros)} == {
        checks.RULE_WITHHELD,
        checks.RULE_UNAVAILABLE,
        checks.RULE_UNPROCESSED,
        checks.RULE_OTHER_HANDLING,
        checks.RULE_TOTAL,
    }


def test_a_group_row_printed_with_a_wrong_figure_is_still_checked_against_its_items():
    data = load(CITY)
    data["tables"]["table2"]["unavailable"] = {**dict.fromkeys(TABLE2_COLUMNS), "natural_person": 24}
    # 1. 22 + 2. 3 + 3. 0 = 25 for natural persons; （七） adds up with the printed 24 one short.
    assert [
        (c["rule"], c["column"], c["expected"], c["actual"]) for c in checks.annual_report_checks(data)
    ] == [
        (checks.RULE_UNAVAILABLE, "natural_person", 25, 24),
        (checks.RULE_TOTAL, "natural_person", 84 - 1, 84),
    ]


def test_an_unfilled_total_column_is_reported_as_blank_cells_and_breaks_no_rule():
    result = findings(PROVINCE_2019)
    leaf_rows = [row for row in TRIAL_TABLE2_KEYS if row not in TRIAL_SUBTOTALS]
    assert len(leaf_rows) == 23
    assert result == [{"rule": "blank", "row": row, "column": "total"} for row in leaf_rows]
    assert printed.describe(result, "2019") == ["表二“总计”列未填写（23格空白）。"]


def test_a_wrong_printed_grand_total_is_found_and_written_as_one_wrong_figure():
    # As printed: （七）总计 in the 总计 column reads 32. The groups of that column add up to
    # 14 + 3 + 1 + 10 + 2 + 1 = 31, the six applicant columns' （七） to 28 + 3 = 31, and
    # 一 + 二 = 35 + 3 = 38 where （七） + 四 = 32 + 7 = 39: one figure printed one too many.
    assert findings(DISTRICT_2022) == [
        {"rule": checks.RULE_TOTAL, "column": "total", "row": "total", "expected": 31, "actual": 32},
        {"rule": checks.RULE_BALANCE, "column": "total", "row": None, "expected": 38, "actual": 39},
        {"rule": checks.RULE_TOTAL_COLUMN, "column": "total", "row": "total", "expected": 31, "actual": 32},
    ]
    assert printed.describe(findings(DISTRICT_2022), "2021") == [
        "（七）总计，总计：报表为 32，应为 31（（七）总计 = （一）+（二）+（三）+（四）+（五）+（六）、"
        "总计列 = 六类申请人之和均不成立）。"
    ]


def test_a_carry_over_that_disagrees_with_last_years_file_is_found_column_by_column():
    assert findings(DISTRICT_2023) == []  # on its own the 2023 report adds up
    # 2022's 四: natural persons 5, commercial 1, legal service 1, total 7; 2023's 二: 4, 1, 0, 5.
    assert findings(DISTRICT_2023, previous=DISTRICT_2022) == [
        {"rule": checks.RULE_CARRY_OVER, "column": column, "row": "carried_over", "expected": e, "actual": a}
        for column, e, a in (("natural_person", 5, 4), ("legal_service_org", 1, 0), ("total", 7, 5))
    ]


def test_the_text_stating_other_figures_than_the_tables_is_a_finding():
    # The city's overview says 17 applications; Table 2 says 95 (and 95 + 5 carried over = 100).
    # Its other statements (上年结转5件, 予以公开44件, 部分公开7件, 复议2件, 诉讼1件) agree.
    assert findings(CITY) == [
        {
            "rule": RULE_NARRATIVE,
            "row": "received",
            "column": "total",
            "expected": 95,
            "actual": 17,
            "section": "overview",
            "text": "共收到政府信息公开申请17件",
        }
    ]
    data = load(CITY)
    data["narrative"]["overview"] = (
        "全年共收到政府信息公开申请100件（含上年结转5件），不予公开3件，行政复议3件。"
    )
    # 100 = 一 + 二 is a way of counting; 不予公开 is the sum of its printed items (2 + 1); 复议 is 2.
    assert [(f["row"], f["expected"], f["actual"]) for f in printed.check(data)] == [
        ("table3.reconsideration", 2, 3)
    ]


# --- blanks ---------------------------------------------------------------------------------


def test_a_blank_item_is_listed_once_and_stops_only_the_rules_that_need_it():
    data = load(DISTRICT_2023)
    data["tables"]["table2"]["withheld_law"]["natural_person"] = None
    result = printed.check(data)
    # The group （三） is printed blank and cannot be summed without its item 2.: （七） in that
    # column is not evaluated, nor the 总计 column of row 2.; everything else still holds.
    assert result == [{"rule": "blank", "row": "withheld_law", "column": "natural_person"}]
    data["tables"]["table2"]["received"]["natural_person"] += 1
    assert [(c["rule"], c["column"]) for c in printed.check(data)] == [
        ("blank", "natural_person"),
        (checks.RULE_BALANCE, "natural_person"),
        (checks.RULE_TOTAL_COLUMN, "total"),
    ]


def test_blank_cells_are_no_broken_rule_to_explain():
    blank = [{"rule": "blank", "row": "received", "column": "total"}]
    assert checks.broken_rules(blank) == []


# --- the command ----------------------------------------------------------------------------


def test_check_prints_the_findings_as_json_and_exits_0(capsys):
    out = json.loads(run("check", str(DISTRICT_2023), "--previous", str(DISTRICT_2022), "--json"))
    assert out == {"checks": findings(DISTRICT_2023, previous=DISTRICT_2022)}
    assert json.loads(run("check", str(PROVINCE_2019), "--json"))["checks"][0] == {
        "rule": "blank",
        "row": "received",
        "column": "total",
    }


def test_check_words_the_findings_for_a_person():
    text = run("check", str(DISTRICT_2022))
    assert "1 finding(s)" in text and "报表为 32，应为 31" in text
    assert "every rule holds" in run("check", str(DISTRICT_2023))


def test_check_refuses_what_is_no_report(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", "utf-8")
    with pytest.raises(CommandError, match="JSON"):
        run("check", str(bad))
    bad.write_text(json.dumps({"year": 2023, "tables": {}}), "utf-8")
    with pytest.raises(CommandError, match="没有报表"):
        run("check", str(bad))
    bad.write_text(json.dumps({"tables": {"table2": {}}}), "utf-8")
    with pytest.raises(CommandError, match="format"):
        run("check", str(bad))
    with pytest.raises(CommandError, match="cannot read"):
        run("check", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="usage"):
        run("check")


def test_digits_typed_as_text_are_read_as_figures():
    data = load(DISTRICT_2023)
    data["tables"]["table2"]["disclosed"]["total"] = "16"
    data["tables"]["table2"]["disclosed"]["other_org"] = "—"  # a dash printed for nothing
    normalised = printed.normalise(data)
    assert normalised["tables"]["table2"]["disclosed"]["total"] == 16
    assert printed.check(normalised) == [{"rule": "blank", "row": "disclosed", "column": "other_org"}]


# --- the platform's own XLSX ----------------------------------------------------------------


def test_the_xlsx_the_platform_exports_reads_back_cell_for_cell():
    for path in (DISTRICT_2022, PROVINCE_2019):
        data = load(path)
        data["agency"] = {"code": "", "name": data["agency"]["name"]}
        back = printed.read_xlsx(report_xlsx(data, {}))
        assert back["year"] == data["year"] and back["format"] == data["format"]
        for name in ("table1", "table2", "table3"):
            for row, cells in data["tables"][name].items():
                if row in TRIAL_SUBTOTALS or row == "other_handling" and data["format"] == "2021":
                    continue  # group rows are not printed
                for column, value in cells.items():
                    assert back["tables"][name][row][column] == value, (name, row, column)
        assert printed.check(back) == printed.check({**data, "narrative": None})


def test_a_file_that_is_no_workbook_is_refused():
    with pytest.raises(printed.ReportFileError):
        printed.read_xlsx(b"PK\x03\x04 not really")
