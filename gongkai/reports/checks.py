"""The arithmetic rules of the annual report (annual-report.md, "Rules that must hold in every
column"), as one pure function over the report's JSON: each broken rule is reported by its name.

Rule names are Chinese, as staff read them on the page, and are not translated: an office's
explanation of a broken rule is stored under its name (AnnualReport.explanations).

Every figure is a count, a non-negative integer (annual-report.md, "Counting decisions"), except
Table 1's amounts in 万元 and the trial layout's 本年增/减 (a change, which may be negative). A
negative or non-integer count is a broken rule of its own (``expected`` None, ``actual`` the value
as given); in the sums it then counts as 0.
"""

from decimal import Decimal, InvalidOperation

from .layout import table1_blocks
from .rows import (
    APPLICANT_COLUMNS,
    RESULT_GROUPS,
    TABLE2_COLUMNS,
    TABLE3_KINDS,
    TABLE3_PARTS,
    data_format,
    table2_keys,
    table2_subtotals,
)

RULE_WITHHELD = "（三）不予公开 = 1至8项之和"
RULE_UNAVAILABLE = "（四）无法提供 = 1至3项之和"
RULE_UNPROCESSED = "（五）不予处理 = 1至5项之和"
RULE_OTHER_HANDLING = "（六）其他处理 = 1至3项之和"
RULE_TOTAL = "（七）总计 = （一）+（二）+（三）+（四）+（五）+（六）"
RULE_BALANCE = "一 + 二 = （七）总计 + 四"
RULE_TOTAL_COLUMN = "总计列 = 六类申请人之和"
RULE_CARRY_OVER = "二 = 上年度报告的四"
RULE_TABLE3_TOTAL = "表三总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"
RULE_NON_NEGATIVE = "件数 ≥ 0"
RULE_INTEGER = "件数为整数"
# Cells that are not counts: amounts (万元) are decimals; a change (本年增/减) may be negative.
AMOUNT_COLUMNS = frozenset({"amount_10k_yuan"})
SIGNED_COLUMNS = frozenset({"change"})

SUBTOTAL_RULES = {
    "withheld": RULE_WITHHELD,
    "unavailable": RULE_UNAVAILABLE,
    "unprocessed": RULE_UNPROCESSED,
    "other_handling": RULE_OTHER_HANDLING,
}
ALL_RULES = (
    *SUBTOTAL_RULES.values(),
    RULE_TOTAL,
    RULE_BALANCE,
    RULE_TOTAL_COLUMN,
    RULE_CARRY_OVER,
    RULE_TABLE3_TOTAL,
    RULE_NON_NEGATIVE,
    RULE_INTEGER,
)


def _integer(value) -> int | None:
    """A count's value as an int, or None when it is no whole number (2.5, "12件", true)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        try:
            number = Decimal(value)
        except (InvalidOperation, ValueError):
            return None
        return int(number) if number.is_finite() and number == number.to_integral_value() else None
    return None


BLANK = "blank"  # not a rule: a cell printed without a figure (annual-report.md, "Counting decisions")
UNKNOWN = None  # a figure the rules cannot use: a blank cell, or a blank group with a blank item


def _given(table: dict, row: str, column: str) -> bool:
    cells = table.get(row)
    return isinstance(cells, dict) and cells.get(column) is not None


def _cell(table: dict, row: str, column: str) -> int | None:
    """A figure of the table, None when the cell is blank (null or missing). A figure that is no
    whole number (reported by ``_count_checks``) counts as 0 in the sums."""
    cells = table.get(row)
    value = cells.get(column) if isinstance(cells, dict) else None
    if value is None:
        return UNKNOWN
    number = _integer(value)
    return number if number is not None else 0


def _sum(values) -> int | None:
    values = list(values)
    return UNKNOWN if any(v is UNKNOWN for v in values) else sum(values)


def _count_checks(tables: dict) -> list[dict]:
    """Every cell of the three tables that should be a count and is negative or no whole number."""
    broken = []
    for name in ("table1", "table2", "table3"):
        for row, cells in (tables.get(name) or {}).items():
            if not isinstance(cells, dict):
                continue
            for column, value in cells.items():
                if value is None or column in AMOUNT_COLUMNS:
                    continue
                number = _integer(value)
                where = {"column": column, "row": f"{name}.{row}", "expected": None, "actual": value}
                if number is None:
                    broken.append({"rule": RULE_INTEGER, **where})
                elif number < 0 and column not in SIGNED_COLUMNS:
                    broken.append({"rule": RULE_NON_NEGATIVE, **where})
    return broken


def _blank(row: str, column: str) -> dict:
    return {"rule": BLANK, "row": row, "column": column}


def _table1_cells(fmt: str) -> list[tuple[str, str]]:
    return [
        (f"table1.{row}", column)
        for block in table1_blocks(fmt)
        for row, _label in block.rows
        for column, _heading in block.columns
    ]


def _blank_cells(tables: dict, fmt: str) -> list[dict]:
    """Each cell of a given table left without a figure, once, in the order of the form. Group
    rows （三）-（六） are not listed: the official form prints no figure for them. A table that is
    not given at all (absent or empty) is not checked."""
    blanks = []
    table1 = tables.get("table1")
    if isinstance(table1, dict) and table1:
        for path, column in _table1_cells(fmt):
            row = path.removeprefix("table1.")
            if not _given(table1, row, column):
                blanks.append(_blank(path, column))
    table2 = tables.get("table2")
    if isinstance(table2, dict) and table2:
        groups = table2_subtotals(fmt)
        for row in table2_keys(fmt):
            if row in groups:
                continue
            blanks += [_blank(row, column) for column in TABLE2_COLUMNS if not _given(table2, row, column)]
    table3 = tables.get("table3")
    if isinstance(table3, dict) and table3:
        for kind, _label in TABLE3_KINDS:
            blanks += [
                _blank(f"table3.{kind}", part)
                for part in (*TABLE3_PARTS, "total")
                if not _given(table3, kind, part)
            ]
    return blanks


def _broken(rule: str, column: str, expected, actual, row: str | None = None) -> list[dict]:
    if expected is UNKNOWN or actual is UNKNOWN or expected == actual:
        return []
    return [{"rule": rule, "column": column, "row": row, "expected": expected, "actual": actual}]


def _groups(table: dict, column: str, subtotals: dict[str, tuple[str, ...]]) -> tuple[dict, list[dict]]:
    """The figure of each group （三）-（六） in ``column``: as printed, checked against the sum of
    its items; or, when printed blank, that sum (None when an item is blank too)."""
    figures, broken = {}, []
    for group, leaves in subtotals.items():
        items = _sum(_cell(table, leaf, column) for leaf in leaves)
        printed = _cell(table, group, column)
        if printed is UNKNOWN:
            figures[group] = items
        else:
            figures[group] = printed
            broken += _broken(SUBTOTAL_RULES[group], column, items, printed, group)
    return figures, broken


def _table2_column(table: dict, column: str, subtotals: dict[str, tuple[str, ...]]) -> list[dict]:
    figures, broken = _groups(table, column, subtotals)
    # In 2019's layout （六）其他处理 is a row of its own, not among ``figures``.
    results = [figures[g] if g in figures else _cell(table, g, column) for g in RESULT_GROUPS]
    broken += _broken(RULE_TOTAL, column, _sum(results), _cell(table, "total", column), "total")
    inflow = _sum((_cell(table, "received", column), _cell(table, "carried_over", column)))
    outflow = _sum((_cell(table, "total", column), _cell(table, "carried_forward", column)))
    broken += _broken(RULE_BALANCE, column, inflow, outflow)
    return broken


def _total_column(table: dict, fmt: str) -> list[dict]:
    """总计 = the six applicant columns, row by row. A group row printed blank in any column is
    not compared: its figures are the sums of its items, whose rows are compared."""
    broken = []
    groups = table2_subtotals(fmt)
    for row in table2_keys(fmt):
        if row in groups and not all(_given(table, row, column) for column in TABLE2_COLUMNS):
            continue
        expected = _sum(_cell(table, row, column) for column in APPLICANT_COLUMNS)
        broken += _broken(RULE_TOTAL_COLUMN, "total", expected, _cell(table, row, "total"), row)
    return broken


def table2_figure(table: dict, row: str, column: str, fmt: str) -> int | None:
    """A figure of Table 2 as the report states it: the cell, or for a group row （三）-（六）
    printed blank the sum of its items; None when that cannot be known (a blank)."""
    groups = table2_subtotals(fmt)
    if row in groups and _cell(table, row, column) is UNKNOWN:
        return _sum(_cell(table, leaf, column) for leaf in groups[row])
    return _cell(table, row, column)


def annual_report_checks(data: dict, previous: dict | None = None) -> list[dict]:
    """Every broken rule of ``data`` (an annual_report_data() dict, or a report as printed) as
    {"rule", "column", "row", "expected", "actual"}; empty when the report is consistent.

    A cell that is null or missing in a given table was printed blank: it is listed once as
    {"rule": "blank", "row", "column"} and no rule that needs it is evaluated. The group rows
    （三）-（六） are printed without a figure on the official form: left blank, they are the sum
    of their items. ``previous`` is last year's report for the same agency: its 四 must be this
    year's 二 (whatever the layout of either: both have 四 and 二); a blank there is not this
    report's to list. In 2019's trial layout （六）其他处理 has no sub-rows to add up."""
    tables = data.get("tables") or {}
    table2 = tables.get("table2") if isinstance(tables.get("table2"), dict) else {}
    table3 = tables.get("table3") if isinstance(tables.get("table3"), dict) else {}
    fmt = data_format(data)
    broken = _blank_cells(tables, fmt) + _count_checks(tables)
    if table2:
        for column in TABLE2_COLUMNS:
            broken += _table2_column(table2, column, table2_subtotals(fmt))
        broken += _total_column(table2, fmt)
    last = ((previous or {}).get("tables") or {}).get("table2")
    if table2 and isinstance(last, dict) and last:
        for column in TABLE2_COLUMNS:
            broken += _broken(
                RULE_CARRY_OVER,
                column,
                _cell(last, "carried_forward", column),
                _cell(table2, "carried_over", column),
                "carried_over",
            )
    for kind, _label in TABLE3_KINDS if table3 else ():
        expected = _sum(_cell(table3, kind, part) for part in TABLE3_PARTS)
        broken += _broken(RULE_TABLE3_TOTAL, kind, expected, _cell(table3, kind, "total"), "total")
    return broken


def blank_cells(checks: list[dict]) -> list[dict]:
    """The blank cells among ``checks``."""
    return [check for check in checks if check["rule"] == BLANK]


def broken_rules(checks: list[dict]) -> list[str]:
    """The names of the rules broken, each once, in the order found (blank cells are no rule)."""
    return list(dict.fromkeys(check["rule"] for check in checks if check["rule"] != BLANK))
