"""Reports on 2019 and 2020 in the trial layout of 国办公开办函〔2019〕60号: Table 1 with documents
made, newly disclosed and disclosed in all, items of the power lists with last year's number and
this year's change, government procurement; （六）其他处理 of Table 2 as a single row.

Labels are written out here from the form, not taken from the code."""

import io
import re
from datetime import date

import docx
import openpyxl
import pymupdf
import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue.models import Genre
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.powers.models import PowerType
from gongkai.powers.services import decision_count_set, power_revise
from gongkai.powers.tests.factories import fields, make_power
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports.annual import annual_report_data, authority_sum
from gongkai.reports.checks import RULE_CARRY_OVER, RULE_OTHER_HANDLING, RULE_TOTAL, annual_report_checks
from gongkai.reports.exports import export
from gongkai.reports.layout import report_grids
from gongkai.reports.models import ManualKey
from gongkai.reports.rows import TABLE2_COLUMNS, TABLE2_KEYS, TRIAL_TABLE2_KEYS
from gongkai.reports.services import ReportError, manual_figure_set

from .history import application, load

pytestmark = pytest.mark.django_db

TABLE1_TEXT = [
    "第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "规章", "规范性文件",
    "第二十条第（五）项", "上一年项目数量", "本年增/减", "处理决定数量", "行政许可", "其他对外管理服务事项",
    "第二十条第（六）项", "行政处罚", "行政强制",
    "第二十条第（八）项", "行政事业性收费",
    "第二十条第（九）项", "采购项目数量", "采购总金额（单位：万元）", "政府集中采购",
]  # fmt: skip
OTHER_OUTCOMES = ("other_no_correction", "other_fee_unpaid", "other")


@pytest.fixture
def agency():
    return make_agency("江州市交通运输局")


def test_reports_on_2019_and_2020_use_the_trial_layout_and_later_ones_2021s(agency):
    assert [annual_report_data(agency=agency, year=y)["format"] for y in (2019, 2020, 2021, 2025)] == [
        "2019",
        "2019",
        "2021",
        "2021",
    ]


def test_trial_table1_counts_documents_made_newly_disclosed_and_disclosed_in_all(agency):
    regulation = Genre.objects.get(name="规章").pk
    normative = Genre.objects.get(name="规范性文件").pk
    make_document(
        agency, "规章甲", genre_id=regulation, written_on=date(2019, 11, 1), published_on=date(2019, 12, 2)
    )
    # Made in 2019, disclosed in 2020: new in 2019's 制作 column, in 2020's 公开 column.
    make_document(
        agency, "规章乙", genre_id=regulation, written_on=date(2019, 12, 20), published_on=date(2020, 1, 6)
    )
    make_document(
        agency, "规范性文件甲", genre_id=normative, written_on=date(2018, 3, 1), published_on=date(2018, 3, 5)
    )
    make_document(
        agency, "规范性文件乙", genre_id=normative, written_on=date(2020, 4, 1), published_on=date(2020, 4, 2)
    )
    make_document(agency, "规范性文件（征求意见稿）", genre_id=normative, publish=False)

    t2019 = annual_report_data(agency=agency, year=2019)["tables"]["table1"]
    t2020 = annual_report_data(agency=agency, year=2020)["tables"]["table1"]
    assert t2019["regulations"] == {"made": 2, "published": 1, "public_total": 1}
    assert t2019["normative_documents"] == {"made": 0, "published": 0, "public_total": 1}
    assert t2020["regulations"] == {"made": 0, "published": 1, "public_total": 2}
    assert t2020["normative_documents"] == {"made": 1, "published": 1, "public_total": 2}


def test_trial_table1_items_and_decisions_come_from_the_power_lists(agency):
    make_power(agency, "XK-1", type=PowerType.LICENSING, effective_from=date(2018, 1, 1))
    second = make_power(agency, "XK-2", "道路货物运输经营许可", effective_from=date(2019, 5, 1))
    make_power(agency, "XK-3", "出租汽车经营许可", effective_from=date(2020, 3, 1))
    make_power(
        agency, "QR-1", "道路运输从业资格确认", type=PowerType.CONFIRMATION, effective_from=date(2019, 1, 1)
    )
    make_power(agency, "JC-1", "道路运输监督检查", type=PowerType.INSPECTION, effective_from=date(2020, 1, 1))
    make_power(
        agency, "CF-1", "道路运输违法行为处罚", type=PowerType.PENALTY, effective_from=date(2018, 1, 1)
    )
    make_power(agency, "ZS-1", "车辆通行费征收", type=PowerType.LEVY, effective_from=date(2020, 7, 1))
    # A new version is the same item, not another one.
    power_revise(
        power=second, effective_from=date(2020, 6, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    decision_count_set(power=second, year=2020, count=30, actor=None)
    decision_count_set(power=second.agency.powers.get(code="XK-3"), year=2020, count=12, actor=None)
    decision_count_set(power=agency.powers.get(code="QR-1"), year=2020, count=5, actor=None)

    data = annual_report_data(agency=agency, year=2020)
    table1 = data["tables"]["table1"]
    assert table1["licensing"] == {"previous_items": 2, "change": 1, "decisions": 42}
    assert table1["other_services"] == {"previous_items": 1, "change": 1, "decisions": 5}
    # Listed, but no count recorded for 2020: zero decisions, and not marked as typed.
    assert table1["penalty"] == {"previous_items": 1, "change": 0, "decisions": 0}
    assert table1["fees"] == {"previous_items": 0, "change": 1}
    assert table1["enforcement"] == {"previous_items": 0, "change": 0, "decisions": 0}
    assert table1["procurement"] == {"projects": 0, "amount_10k_yuan": "0"}
    assert data["manual"] == []
    assert annual_report_data(agency=agency, year=2019)["tables"]["table1"]["licensing"] == {
        "previous_items": 1,
        "change": 1,
        "decisions": 0,
    }


def test_trial_figures_not_in_the_power_lists_are_typed_and_marked(agency):
    clerk = make_staff(agency, Role.CLERK)
    make_power(agency, "XK-1", type=PowerType.LICENSING, effective_from=date(2018, 1, 1))
    typed = {
        ManualKey.TRIAL_LICENSING_PREVIOUS: 40,  # ignored: the list holds this agency's licences
        ManualKey.TRIAL_PENALTY_PREVIOUS: 120,
        ManualKey.TRIAL_PENALTY_CHANGE: -15,  # fewer items than the year before
        ManualKey.PENALTY: 861,
        ManualKey.TRIAL_PROCUREMENT_PROJECTS: 6,
        ManualKey.TRIAL_PROCUREMENT_AMOUNT: "25.1",
        ManualKey.FEES: 9,  # 2021's fee income: not a cell of the trial layout
    }
    for key, value in typed.items():
        manual_figure_set(agency=agency, year=2020, key=key, value=value, actor=clerk)

    data = annual_report_data(agency=agency, year=2020)
    table1 = data["tables"]["table1"]
    assert table1["licensing"]["previous_items"] == 1
    assert table1["penalty"] == {"previous_items": 120, "change": -15, "decisions": 861}
    assert table1["procurement"] == {"projects": 6, "amount_10k_yuan": "25.1"}
    assert data["manual"] == sorted(
        [
            "table1.penalty.previous_items",
            "table1.penalty.change",
            "table1.penalty.decisions",
            "table1.procurement.projects",
            "table1.procurement.amount_10k_yuan",
        ]
    )


def test_only_the_change_may_be_negative_and_counts_are_whole(agency):
    clerk = make_staff(agency, Role.CLERK)
    with pytest.raises(ReportError, match="不小于0"):
        manual_figure_set(
            agency=agency, year=2020, key=ManualKey.TRIAL_PENALTY_PREVIOUS, value=-1, actor=clerk
        )
    with pytest.raises(ReportError, match="整数"):
        manual_figure_set(
            agency=agency, year=2020, key=ManualKey.TRIAL_PENALTY_CHANGE, value="1.5", actor=clerk
        )
    figure = manual_figure_set(
        agency=agency, year=2020, key=ManualKey.TRIAL_FEES_CHANGE, value=-2, actor=clerk
    )
    assert figure.value == -2


def test_trial_table2_has_one_other_handling_row_that_counts_every_other_outcome(agency):
    load(
        agency,
        [
            application("A1", "2020-02-03", closed="2020-03-02", outcome="other_no_correction"),
            application("A2", "2020-02-04", "commercial_enterprise", "2020-03-03", "other_fee_unpaid"),
            application("A3", "2020-02-05", closed="2020-03-04", outcome="other"),
            application("A4", "2020-02-06", closed="2020-03-05", outcome="disclosed"),
            application("A5", "2020-12-28"),
        ],
    )
    data = annual_report_data(agency=agency, year=2020)
    table2 = data["tables"]["table2"]
    assert not set(OTHER_OUTCOMES) & set(table2)
    assert table2["other_handling"]["natural_person"] == 2
    assert table2["other_handling"]["commercial_enterprise"] == 1
    assert table2["other_handling"]["total"] == 3
    assert table2["total"]["total"] == 4
    assert table2["carried_forward"]["total"] == 1
    assert data["checks"] == []


def test_trial_checker_has_no_sub_row_rule_for_other_handling_but_checks_the_totals():
    # Every cell filled (a missing one is blank and stops the rules that need it).
    table2 = {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TRIAL_TABLE2_KEYS}
    for row, figure in (("received", 3), ("other_handling", 3), ("total", 2), ("carried_forward", 1)):
        table2[row].update(natural_person=figure, total=figure)  # total: wrong, （六） alone is 3
    data = {"year": 2020, "format": "2019", "tables": {"table2": table2, "table3": {}}}
    rules = {(c["rule"], c["column"]) for c in annual_report_checks(data)}
    assert (RULE_TOTAL, "natural_person") in rules
    assert RULE_OTHER_HANDLING not in {rule for rule, _column in rules}
    # The same figures read as 2021's layout break the sub-row rule: （六） has no 1-3 there.
    table2_2021 = {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TABLE2_KEYS} | table2
    data_2021 = {**data, "format": "2021", "tables": {"table2": table2_2021}}
    assert RULE_OTHER_HANDLING in {c["rule"] for c in annual_report_checks(data_2021)}


def test_the_first_2021_report_takes_its_carry_over_from_the_last_trial_year(agency):
    load(
        agency,
        [
            application("B1", "2020-12-20"),
            application("B2", "2020-12-21", closed="2021-01-08", outcome="disclosed"),
        ],
    )
    data = annual_report_data(agency=agency, year=2021)
    assert data["format"] == "2021"
    assert data["tables"]["table2"]["carried_over"]["total"] == 2
    assert RULE_CARRY_OVER not in {c["rule"] for c in data["checks"]}
    assert annual_report_data(agency=agency, year=2020)["tables"]["table2"]["carried_forward"]["total"] == 2


def test_the_authority_sum_of_a_trial_year_adds_the_agencies_power_lists_and_typed_figures(agency):
    city = make_agency("江州市人民政府")
    agency.parent = city
    agency.save()
    make_power(agency, "XK-1", type=PowerType.LICENSING, effective_from=date(2018, 1, 1))
    clerk = make_staff(city, Role.CLERK)
    manual_figure_set(agency=city, year=2020, key=ManualKey.TRIAL_LICENSING_PREVIOUS, value=4, actor=clerk)
    total = authority_sum(agency=city, year=2020)
    assert total["format"] == "2019"
    assert total["tables"]["table1"]["licensing"]["previous_items"] == 5


# ---------------------------------------------------------------- exports


def trial_sample() -> dict:
    table1 = {
        "regulations": {"made": 1, "published": 2, "public_total": 3},
        "normative_documents": {"made": 4, "published": 5, "public_total": 6},
        "licensing": {"previous_items": 7, "change": -8, "decisions": 9},
        "other_services": {"previous_items": 10, "change": 11, "decisions": 12},
        "penalty": {"previous_items": 13, "change": 14, "decisions": 15},
        "enforcement": {"previous_items": 16, "change": 17, "decisions": 18},
        "fees": {"previous_items": 19, "change": 20},
        "procurement": {"projects": 21, "amount_10k_yuan": "25.1"},
    }
    rows = [
        "received", "carried_over", "disclosed", "partially_disclosed", "withheld_state_secret",
        "withheld_law", "withheld_security", "withheld_third_party", "withheld_internal", "withheld_process",
        "withheld_enforcement", "withheld_inquiry", "withheld", "unavailable_not_held",
        "unavailable_needs_creation", "unavailable_unclear", "unavailable", "unprocessed_petition",
        "unprocessed_repeat", "unprocessed_publication", "unprocessed_excessive", "unprocessed_confirmation",
        "unprocessed", "other_handling", "total", "carried_forward",
    ]  # fmt: skip
    columns = [
        "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total",
    ]  # fmt: skip
    table2 = {row: {c: 1000 + 10 * i + j for j, c in enumerate(columns)} for i, row in enumerate(rows)}
    return {
        "agency": {"code": "11330100002483012X", "name": "江州市交通运输局"},
        "year": 2020,
        "format": "2019",
        "tables": {"table1": table1, "table2": table2, "table3": {}},
        "checks": [],
        "manual": ["table1.procurement"],
    }


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_trial_table1_grid_has_every_label_and_figure_under_its_heading():
    grid = report_grids(trial_sample())["table1"]
    texts = [c.text for c in grid.cells]
    for label in TABLE1_TEXT:
        assert label in texts, label
    assert grid.n_cols == 7  # the label and six parts: blocks of three and two columns share them
    by_place = {(c.row, c.col): c for c in grid.cells}
    licensing = next(c for c in grid.cells if c.text == "行政许可")
    assert [by_place[(licensing.row, col)].text for col in (1, 3, 5)] == ["7", "-8", "9"]
    procurement = next(c for c in grid.cells if c.text == "政府集中采购")
    amounts = [by_place[(procurement.row, col)] for col in (1, 4)]
    assert [(c.text, c.colspan, c.manual) for c in amounts] == [("21", 3, True), ("25.1", 3, True)]


def test_trial_table2_grid_has_other_handling_as_one_row_under_twenty_results():
    grid = report_grids(trial_sample())["table2"]
    results = next(c for c in grid.cells if c.text == "三、本年度办理结果")
    assert results.rowspan == 20
    other = next(c for c in grid.cells if c.text == "（六）其他处理")
    assert other.colspan == 2 and other.rowspan == 1
    figures = [c.text for c in grid.cells if c.row == other.row and c.kind == "figure"]
    assert figures == [str(1000 + 10 * 23 + j) for j in range(7)]
    assert not any(c.text.startswith("1.申请人无正当理由逾期不补正") for c in grid.cells)


def test_trial_report_exports_read_back_in_xlsx_docx_and_pdf():
    data = trial_sample()
    book = openpyxl.load_workbook(io.BytesIO(export(data, "xlsx", {})))
    sheet = book["表1 主动公开"]
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    for label in TABLE1_TEXT:
        assert label in values, label
    assert -8 in values and 21 in values

    document = docx.Document(io.BytesIO(export(data, "docx", {})))
    table1_text = {cell.text for row in document.tables[0].rows for cell in row.cells}
    assert {"第二十条第（九）项", "其他对外管理服务事项", "政府集中采购", "-8"} <= table1_text
    table2_text = [cell.text for row in document.tables[1].rows for cell in row.cells]
    assert "（六）其他处理" in table2_text and "3.其他" not in table2_text

    with pymupdf.open(stream=export(data, "pdf", {}), filetype="pdf") as doc:
        text = squeeze("".join(page.get_text() for page in doc))
        page = next(p for p in doc if "第二十条第（九）项" in squeeze(p.get_text()))
        pix = page.get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
        pix.save("/tmp/report-trial-sample.png")
    for label in ("第二十条第（九）项", "其他对外管理服务事项", "采购总金额（单位：万元）", "（六）其他处理"):
        assert label in text, label
    assert sum(1 for value in pix.samples if value < 128) > 0.01 * pix.width * pix.height
