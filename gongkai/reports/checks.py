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


def _cell(table: dict, row: str, column: str) -> int:
    """A figure of a stored or imported table; a missing cell, or one that is no whole number
    (reported by ``_count_checks``), reads as 0 (and then breaks a rule)."""
    value = (table.get(row) or {}).get(column)
    number = _integer(value) if value is not None else None
    return number if number is not None else 0


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


def _broken(rule: str, column: str, expected: int, actual: int, row: str | None = None) -> list[dict]:
    if expected == actual:
        return []
    return [{"rule": rule, "column": column, "row": row, "expected": expected, "actual": actual}]


def _table2_column(table: dict, column: str, subtotals: dict[str, tuple[str, ...]]) -> list[dict]:
    broken = []
    for subtotal, leaves in subtotals.items():
        expected = sum(_cell(table, leaf, column) for leaf in leaves)
        broken += _broken(
            SUBTOTAL_RULES[subtotal], column, expected, _cell(table, subtotal, column), subtotal
        )
    expected = sum(_cell(table, group, column) for group in RESULT_GROUPS)
    broken += _broken(RULE_TOTAL, column, expected, _cell(table, "total", column), "total")
    inflow = _cell(table, "received", column) + _cell(table, "carried_over", column)
    outflow = _cell(table, "total", column) + _cell(table, "carried_forward", column)
    broken += _broken(RULE_BALANCE, column, inflow, outflow)
    return broken


def annual_report_checks(data: dict, previous: dict | None = None) -> list[dict]:
    """Every broken rule of ``data`` (an annual_report_data() dict) as {"rule", "column", "row",
    "expected", "actual"}; empty when the report is consistent. ``previous`` is last year's
    report for the same agency: its 四 must be this year's 二 (whatever the layout of either:
    both have 四 and 二). In 2019's trial layout （六）其他处理 has no sub-rows to add up."""
    tables = data.get("tables") or {}
    table2, table3 = tables.get("table2") or {}, tables.get("table3") or {}
    fmt = data_format(data)
    broken = _count_checks(tables)
    for column in TABLE2_COLUMNS:
        broken += _table2_column(table2, column, table2_subtotals(fmt))
    for row in table2_keys(fmt):
        expected = sum(_cell(table2, row, column) for column in APPLICANT_COLUMNS)
        broken += _broken(RULE_TOTAL_COLUMN, "total", expected, _cell(table2, row, "total"), row)
    last = ((previous or {}).get("tables") or {}).get("table2")
    if last:
        for column in TABLE2_COLUMNS:
            expected = _cell(last, "carried_forward", column)
            broken += _broken(
                RULE_CARRY_OVER, column, expected, _cell(table2, "carried_over", column), "carried_over"
            )
    for kind, _label in TABLE3_KINDS:
        expected = sum(_cell(table3, kind, part) for part in TABLE3_PARTS)
        broken += _broken(RULE_TABLE3_TOTAL, kind, expected, _cell(table3, kind, "total"), "total")
    return broken


def broken_rules(checks: list[dict]) -> list[str]:
    """The names of the rules broken, each once, in the order found."""
    return list(dict.fromkeys(check["rule"] for check in checks))
