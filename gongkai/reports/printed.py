"""Reports as published anywhere (interfaces.md, `gongkai annual-report check`): read from the JSON
shape of interfaces.md, or from the XLSX in the national layout that this platform exports, and
described finding by finding for the person checking them (年报质量检查).

A report as printed may leave cells blank (``null``) and, as the official form does, print no
figure on the group rows （三）-（六）; checks.annual_report_checks knows what that means. This
module only reads the file into that shape, refusing what is no report, and words the findings.
"""

import io
import json
import re
import zipfile
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from . import rows
from .checks import BLANK, RULE_BALANCE, RULE_TOTAL, RULE_TOTAL_COLUMN, SUBTOTAL_RULES, annual_report_checks
from .exports import XLSX_NARRATIVE_SHEET, XLSX_SHEETS, XLSX_TABLE_TOP
from .layout import report_grids, table1_blocks
from .narrative import RULE_NARRATIVE, narrative_findings

MAX_FILE_BYTES = 5 * 1024 * 1024  # a report's tables are a few kilobytes
TABLES = ("table1", "table2", "table3")


class ReportFileError(ValueError):
    """The file is no report in the JSON shape (or the XLSX layout); the message says why."""


def _figure(value, _where: str = ""):
    """A cell as given: None (blank), or a number; a string of digits, as a spreadsheet may hold
    it, is read as the number; anything else is kept for the checker to report."""
    if isinstance(value, str):
        text = value.strip()
        if not text or text in ("-", "—", "／", "/"):
            return None
        try:
            number = Decimal(text)
        except ArithmeticError:
            return value
        return int(number) if number == number.to_integral_value() else number
    return value


def normalise(data) -> dict:
    """``data`` checked for the shape of a report: an object with ``tables`` (objects of rows,
    each an object of cells) and a ``format`` ("2021" or "2019") or a ``year``."""
    if not isinstance(data, dict):
        raise ReportFileError(_("文件内容不是年度报告：应为一个 JSON 对象。"))
    tables = data.get("tables")
    if not isinstance(tables, dict) or not any(isinstance(tables.get(t), dict) for t in TABLES):
        raise ReportFileError(_("文件中没有报表：应有 tables.table1、tables.table2 或 tables.table3。"))
    fmt, year = data.get("format"), data.get("year")
    if fmt is not None and str(fmt) not in rows.FORMATS:
        raise ReportFileError(_("未知的报表格式 %(fmt)s：应为 2021 或 2019。") % {"fmt": fmt})
    if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 2008 <= year <= 2100):
        raise ReportFileError(_("年度 %(year)s 有误：应为四位数年份。") % {"year": year})
    if fmt is None and year is None:
        raise ReportFileError(_("请注明报表格式（format: 2021 或 2019）或年度（year）。"))
    clean = {}
    for name in TABLES:
        table = tables.get(name)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ReportFileError(_("%(table)s 应为一个对象。") % {"table": name})
        clean[name] = {}
        for row, cells in table.items():
            if cells is None:
                clean[name][row] = {}
                continue
            if not isinstance(cells, dict):
                raise ReportFileError(_("%(table)s.%(row)s 应为一个对象。") % {"table": name, "row": row})
            clean[name][row] = {col: _figure(value, f"{name}.{row}.{col}") for col, value in cells.items()}
    narrative = data.get("narrative")
    if narrative is not None and (
        not isinstance(narrative, dict) or not all(isinstance(v, str | None) for v in narrative.values())
    ):
        raise ReportFileError(_("narrative 应为一个对象，各部分为文字。"))
    published_on = data.get("published_on")
    if published_on is not None:
        try:
            date.fromisoformat(str(published_on))
        except ValueError:
            raise ReportFileError(_("发布日期 published_on 应为 YYYY-MM-DD。")) from None
    result = {key: value for key, value in data.items() if key not in ("tables", "checks")}
    result["tables"] = clean
    if fmt is not None:
        result["format"] = str(fmt)
    else:
        result["format"] = rows.report_format(year)
    return result


def read_json(raw: bytes) -> dict:
    """A report from JSON text (UTF-8, a byte-order mark allowed)."""
    if len(raw) > MAX_FILE_BYTES:
        raise ReportFileError(_("文件过大：年度报告的报表不超过 5 MB。"))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ReportFileError(_("文件不是 UTF-8 编码的 JSON。")) from None
    except json.JSONDecodeError as exc:
        raise ReportFileError(
            _("JSON 格式有误（第 %(line)s 行第 %(col)s 列）。") % {"line": exc.lineno, "col": exc.colno}
        ) from None
    return normalise(data)


def _layout_paths(fmt: str) -> dict[str, list[tuple[str, str]]]:
    """Every figure cell of the layout, as (row, column) per table."""
    table2 = [
        (row, column)
        for row in rows.table2_keys(fmt)
        if row not in rows.table2_subtotals(fmt)
        for column in rows.TABLE2_COLUMNS
    ]
    return {
        "table1": [
            (row, column)
            for block in table1_blocks(fmt)
            for row, _l in block.rows
            for column, _c in block.columns
        ],
        "table2": table2,
        "table3": [(kind, result) for kind, _l in rows.TABLE3_KINDS for result, _r in rows.TABLE3_RESULTS],
    }


def _figure_places(fmt: str) -> dict[str, dict[tuple[int, int], tuple[str, str]]]:
    """Where each figure of the layout sits in its grid: a probe report whose every cell holds
    its own number is laid out, and each number read back at its place."""
    paths = _layout_paths(fmt)
    probe_tables: dict[str, dict] = {name: {} for name in TABLES}
    numbered: dict[str, dict[int, tuple[str, str]]] = {name: {} for name in TABLES}
    for name, cells in paths.items():
        for i, (row, column) in enumerate(cells, 1):
            probe_tables[name].setdefault(row, {})[column] = i
            numbered[name][i] = (row, column)
    probe = {"agency": {"code": "", "name": ""}, "year": 2000, "format": fmt, "tables": probe_tables}
    places = {}
    for name, grid in report_grids(probe).items():
        places[name] = {
            (cell.row, cell.col): numbered[name][cell.value] for cell in grid.cells if cell.kind == "figure"
        }
    return places


def _sheet_values(sheet) -> dict[tuple[int, int], object]:
    return {
        (r, c): value
        for r, line in enumerate(sheet.iter_rows(values_only=True))
        for c, value in enumerate(line)
        if value is not None
    }


def _xlsx_year(book) -> int | None:
    if XLSX_NARRATIVE_SHEET not in book.sheetnames:
        return None
    title = next(book[XLSX_NARRATIVE_SHEET].iter_rows(min_row=1, max_row=1, values_only=True), (None,))[0]
    found = re.search(r"（(\d{4})年）|(\d{4})年政府信息公开工作年度报告", str(title or ""))
    return int(found.group(1) or found.group(2)) if found else None


MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_XLSX_MEMBERS = 500


def _zip_within_bounds(raw: bytes) -> None:
    """An XLSX is a zip: refuse one that would unpack to far more than a report's tables."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise ReportFileError(_("无法读取该 XLSX 文件：请上传本平台导出格式的年度报告表格。")) from None
    if len(members) > MAX_XLSX_MEMBERS or sum(m.file_size for m in members) > MAX_XLSX_UNPACKED:
        raise ReportFileError(_("该 XLSX 文件解压后过大，不像年度报告的表格。"))


def read_xlsx(raw: bytes, *, year: int | None = None) -> dict:
    """A report from the XLSX in the national layout that this platform exports (exports.py):
    a sheet per table, laid out as layout.report_grids draws them. Each figure cell of that
    layout is read back at its place; an empty cell is blank. The year is the one given, else
    the one in the title on the first sheet; the layout is the year's."""
    import openpyxl

    if len(raw) > MAX_FILE_BYTES:
        raise ReportFileError(_("文件过大：年度报告的报表不超过 5 MB。"))
    _zip_within_bounds(raw)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a file that is no workbook
        raise ReportFileError(_("无法读取该 XLSX 文件：请上传本平台导出格式的年度报告表格。")) from None
    try:
        missing = [sheet for sheet in XLSX_SHEETS.values() if sheet not in book.sheetnames]
        if missing:
            raise ReportFileError(_("表格中缺少工作表：%(sheets)s。") % {"sheets": "、".join(missing)})
        year = year or _xlsx_year(book)
        if year is None:
            raise ReportFileError(_("无法从表格确定年度，请注明年度。"))
        fmt = rows.report_format(year)
        tables: dict[str, dict] = {name: {} for name in TABLES}
        top = XLSX_TABLE_TOP - 1  # the grid's first row on the sheet, counted from 0
        for name, places in _figure_places(fmt).items():
            values = _sheet_values(book[XLSX_SHEETS[name]])
            for (r, c), (row, column) in places.items():
                tables[name].setdefault(row, {})[column] = _figure(values.get((top + r, c)), name)
    finally:
        book.close()
    return normalise({"year": year, "format": fmt, "tables": tables})


def check(data: dict, previous: dict | None = None) -> list[dict]:
    """The findings on a report as printed: its blank cells, every broken rule, then each figure
    of its text (``narrative``, when the file has it) that disagrees with its tables."""
    return annual_report_checks(data, previous) + narrative_findings(data, data.get("narrative"))


# ---------------------------------------------------------------- words


def _row_labels(fmt: str) -> dict[str, str]:
    labels = {key: str(label) for key, label, _depth in rows.table2_rows(fmt)}
    labels.update({f"table3.{key}": str(label) for key, label in rows.TABLE3_KINDS})
    labels["table3.litigation"] = _("行政诉讼")
    return labels


def _column_labels() -> dict[str, str]:
    labels = {key: str(label) for key, label in rows.TABLE2_COLUMN_LABELS.items()}
    labels.update({key: str(label) for key, label in rows.TABLE3_RESULTS})
    labels.update({key: str(label) for key, label in rows.TABLE3_KINDS})
    return labels


def _cell_of(finding: dict) -> tuple[str, str] | None:
    """The one printed cell a broken sum rule compares against its parts, if any."""
    rule = finding["rule"]
    if rule == RULE_TOTAL_COLUMN:
        return (finding["row"], "total")
    if rule == RULE_TOTAL or rule in SUBTOTAL_RULES.values():
        return (finding["row"], finding["column"])
    return None


def _wrong_cells(findings: list[dict]) -> dict[tuple[str, str], list[dict]]:
    """Cells that two sum rules (across and down) both find wrong by the same figure: one wrong
    printed figure, as a careful reader writes it, not two or three broken rules. When the cell
    is （七）总计, the balance of its column broken by the same difference is the same error."""
    by_cell: dict[tuple[str, str], list[dict]] = {}
    for f in findings:
        cell = _cell_of(f)
        if cell is not None and f["expected"] is not None:
            by_cell.setdefault(cell, []).append(f)
    wrong = {}
    for (row, column), found in by_cell.items():
        if len(found) < 2 or len({(f["expected"], f["actual"]) for f in found}) != 1:
            continue
        if row == "total":
            error = found[0]["actual"] - found[0]["expected"]
            found += [
                f
                for f in findings
                if f["rule"] == RULE_BALANCE
                and f["column"] == column
                and f["actual"] - f["expected"] == error
            ]
        wrong[(row, column)] = found
    return wrong


def describe(findings: list[dict], fmt: str) -> list[str]:
    """The findings as a careful person would write them, one line each. A column whose every
    cell is blank is one line ("column not filled"), not one per cell; a printed figure that
    the sums across and down both find wrong is one line naming the cell and its figure."""
    rows_, columns = _row_labels(fmt), _column_labels()
    lines = []
    blanks = [f for f in findings if f["rule"] == BLANK]
    table2_blanks = [f for f in blanks if not f["row"].startswith(("table1.", "table3."))]
    expected_rows = [key for key in rows.table2_keys(fmt) if key not in rows.table2_subtotals(fmt)]
    whole = {
        column
        for column in rows.TABLE2_COLUMNS
        if {f["row"] for f in table2_blanks if f["column"] == column} == set(expected_rows)
    }
    for column in sorted(whole, key=rows.TABLE2_COLUMNS.index):
        lines.append(
            _("表二“%(column)s”列未填写（%(n)s格空白）。")
            % {"column": columns[column], "n": len(expected_rows)}
        )
    for f in blanks:
        if f in table2_blanks and f["column"] in whole:
            continue
        lines.append(
            _("空白：%(row)s，%(column)s。")
            % {"row": rows_.get(f["row"], f["row"]), "column": columns.get(f["column"], f["column"])}
        )
    explained: set[int] = set()
    for (row, column), found in _wrong_cells(findings).items():
        explained.update(id(f) for f in found)
        rules = "、".join(f["rule"] for f in found if f["rule"] != RULE_BALANCE)
        lines.append(
            _("%(row)s，%(column)s：报表为 %(actual)s，应为 %(expected)s（%(rules)s均不成立）。")
            % {
                "row": rows_.get(row, row),
                "column": columns.get(column, column),
                "actual": found[0]["actual"],
                "expected": found[0]["expected"],
                "rules": rules,
            }
        )
    for f in findings:
        if f["rule"] == BLANK or id(f) in explained:
            continue
        where = "，".join(
            part
            for part in (
                rows_.get(f.get("row") or "", f.get("row") or ""),
                columns.get(f["column"], f["column"]),
            )
            if part
        )
        if f["rule"] == RULE_NARRATIVE:
            lines.append(
                _("正文与报表不符：正文“%(text)s”，报表%(where)s为 %(expected)s。") % {**f, "where": where}
            )
        elif f["expected"] is None:
            lines.append(_("%(rule)s不成立：%(where)s 填为 %(actual)s。") % {**f, "where": where})
        else:
            lines.append(
                _("%(rule)s不成立：%(where)s，应为 %(expected)s，报表为 %(actual)s。") % {**f, "where": where}
            )
    return lines
