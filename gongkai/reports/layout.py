"""The national layout of the annual report's tables (国办公开办函〔2021〕30号, and for reports on
2019 and 2020 the trial layout of 国办公开办函〔2019〕60号): the three tables as grids of cells that
every export (web page, PDF, DOCX, XLSX) draws the same way.

Keys and labels come from ``rows`` (one place for the computation, the checker and the exports);
this module adds how the official form lays them out. Table 2 follows the form: three label
columns, 三、本年度办理结果 merged down its 22 rows and each group (（三）不予公开 … （六）其他处理)
merged down its numbered rows, so the groups carry no figure of their own (their subtotals in the
JSON are for the checker only); a row without sub-rows spans the label columns to its right.

Hand-entered figures (``data["manual"]``, paths such as ``"table1.fees.amount_10k_yuan"``, see
``models.ManualKey``) are marked; a prefix (``"table1.fees"``) marks the whole row.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from math import lcm

from . import rows

SUPPORTED_FORMATS = rows.FORMATS
# Sections 一 to 六 in order: (key, heading); the keys of 二–四 are the tables'.
_overview, *_closing = rows.NARRATIVE_SECTIONS
SECTIONS = tuple((key, str(heading)) for key, heading in (_overview, *rows.TABLE_SECTIONS, *_closing))
MANUAL_MARK = "*"
MANUAL_NOTE = "注：标“*”的数字为人工填报。"

TABLE1_CONTENT = "信息内容"
TABLE1_DECISIONS = "本年处理决定数量"
TABLE1_FEES = ("fees", "行政事业性收费")
TABLE1_FEES_COLUMN = ("amount_10k_yuan", "本年收费金额（单位：万元）")
TABLE2_APPLICANTS = "申请人情况"
TABLE2_LABEL_COLUMNS = 3  # 一…四 / （一）…（七） / 1.…
TABLE3_LITIGATION = "行政诉讼"


def report_title_parts(data: dict) -> tuple[str, str]:
    """The title as the agency's name and the rest, kept on one line when the title wraps. The
    region's report (a government's, over its own office and its departments) is titled as
    real ones are: 「××市人民政府2024年政府信息公开工作年度报告」."""
    if data.get("regional"):
        return data["agency"]["name"], f"{data['year']}年政府信息公开工作年度报告"
    return data["agency"]["name"], f"政府信息公开工作年度报告（{data['year']}年）"


def report_title(data: dict) -> str:
    """ "<agency>政府信息公开工作年度报告（<year>年）"."""
    return "".join(report_title_parts(data))


@dataclass(frozen=True)
class Block:
    """One block of Table 1: the article item, its figure columns and its rows, as (key, label)."""

    heading: str
    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]


def _labelled(pairs) -> tuple[tuple[str, str], ...]:
    return tuple((key, str(label)) for key, label in pairs)


_DECISIONS = (("decisions", TABLE1_DECISIONS),)
_DECISION_ROWS = dict(_labelled(rows.TABLE1_DECISION_ROWS))
TABLE1_BLOCKS = (
    Block(
        str(rows.TABLE1_BLOCKS[0]),
        _labelled(rows.TABLE1_DOCUMENT_COLUMNS),
        tuple((key, str(label)) for key, _genre, label in rows.TABLE1_DOCUMENT_ROWS),
    ),
    Block(str(rows.TABLE1_BLOCKS[1]), _DECISIONS, (("licensing", _DECISION_ROWS["licensing"]),)),
    Block(
        str(rows.TABLE1_BLOCKS[2]),
        _DECISIONS,
        (("penalty", _DECISION_ROWS["penalty"]), ("enforcement", _DECISION_ROWS["enforcement"])),
    ),
    Block(str(rows.TABLE1_BLOCKS[3]), (TABLE1_FEES_COLUMN,), (TABLE1_FEES,)),
)
_ITEMS = _labelled(rows.TRIAL_ITEM_COLUMNS)
_ITEM_ROWS = dict(_labelled(rows.TRIAL_ITEM_ROWS))


def _item_rows(*keys: str) -> tuple[tuple[str, str], ...]:
    return tuple((key, _ITEM_ROWS[key]) for key in keys)


_trial_headings = [str(heading) for heading in rows.TRIAL_TABLE1_BLOCKS]
TRIAL_TABLE1_BLOCKS = (
    Block(
        _trial_headings[0],
        _labelled(rows.TRIAL_DOCUMENT_COLUMNS),
        tuple((key, str(label)) for key, _genre, label in rows.TRIAL_DOCUMENT_ROWS),
    ),
    Block(_trial_headings[1], _ITEMS, _item_rows("licensing", "other_services")),
    Block(_trial_headings[2], _ITEMS, _item_rows("penalty", "enforcement")),
    Block(_trial_headings[3], _ITEMS[:2], _item_rows("fees")),  # items, no decisions
    Block(
        _trial_headings[4],
        _labelled(rows.TRIAL_PROCUREMENT_COLUMNS),
        ((rows.TRIAL_PROCUREMENT_ROW[0], str(rows.TRIAL_PROCUREMENT_ROW[1])),),
    ),
)


def table1_blocks(fmt: str) -> tuple[Block, ...]:
    return TRIAL_TABLE1_BLOCKS if fmt == rows.FORMAT_2019 else TABLE1_BLOCKS


def table3_kinds() -> tuple[tuple[str, str, str], ...]:
    """Table 3's kinds as (key, upper heading, lower heading): 行政诉讼 heads its two kinds."""
    kinds = []
    for key, label in rows.TABLE3_KINDS:
        upper, _sep, lower = str(label).partition("：")  # "行政诉讼：复议后起诉"
        kinds.append((key, upper, lower))
    return tuple(kinds)


# ---------------------------------------------------------------- grids


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) cell at its top-left position; ``kind`` is head, block, label or figure."""

    row: int
    col: int
    text: str
    kind: str = "label"
    rowspan: int = 1
    colspan: int = 1
    value: int | Decimal | None = None  # figures only; None when the data has no figure there
    manual: bool = False


@dataclass(frozen=True)
class Grid:
    """A table: its cells, its column widths in percent (summing to 100) and its header rows."""

    key: str
    cells: tuple[Cell, ...]
    widths: tuple[float, ...]
    head_rows: int

    @property
    def n_rows(self) -> int:
        return max(c.row + c.rowspan for c in self.cells)

    @property
    def n_cols(self) -> int:
        return len(self.widths)

    @property
    def has_manual(self) -> bool:
        return any(c.manual for c in self.cells)

    def rows(self) -> list[list[Cell]]:
        """The cells row by row, as HTML writes them (a merged cell in the row where it starts)."""
        by_row = [[] for _ in range(self.n_rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            by_row[cell.row].append(cell)
        return by_row

    def width(self, cell: Cell) -> float:
        """The cell's width in percent of the table's."""
        return round(sum(self.widths[cell.col : cell.col + cell.colspan]), 2)


def format_figure(value) -> str:
    """A figure as printed: integers plain, amounts without trailing zeros or exponent, none blank."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise TypeError(f"not a figure: {value!r}")
    if isinstance(value, int):
        return str(value)
    try:
        text = format(Decimal(str(value)), "f")
    except InvalidOperation as exc:
        raise ValueError(f"not a figure: {value!r}") from exc
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure_value(value) -> int | Decimal | None:
    """The figure as a number for spreadsheets: int, Decimal, or None when blank."""
    text = format_figure(value)
    if not text:
        return None
    return Decimal(text) if "." in text else int(text)


class _Figures:
    """Reads figures out of the report's JSON and knows which were entered by hand."""

    def __init__(self, data: dict) -> None:
        self.tables = data.get("tables") or {}
        self.manual = {str(path) for path in data.get("manual") or ()}

    def cell(self, table: str, row: str, column: str, at: tuple[int, int], **span) -> Cell:
        value = ((self.tables.get(table) or {}).get(row) or {}).get(column)
        paths = {table, f"{table}.{row}", f"{table}.{row}.{column}"}
        return Cell(
            *at,
            format_figure(value),
            kind="figure",
            value=figure_value(value),
            manual=value is not None and bool(paths & self.manual),
            **span,
        )


def table1_grid(data: dict) -> Grid:
    """Table 1: per article item a heading row, 信息内容 with the figure columns, then its rows.
    The figure area is split into as many columns as every block's count divides (three in
    2021's layout, six in 2019's), so a block with fewer figure columns spans them evenly."""
    figures, cells, r = _Figures(data), [], 0
    blocks = table1_blocks(rows.data_format(data))
    n = lcm(*(len(block.columns) for block in blocks))
    for block in blocks:
        span = n // len(block.columns)
        cells.append(Cell(r, 0, block.heading, kind="block", colspan=1 + n))
        cells.append(Cell(r + 1, 0, TABLE1_CONTENT, kind="head"))
        cells += [
            Cell(r + 1, 1 + i * span, label, kind="head", colspan=span)
            for i, (_key, label) in enumerate(block.columns)
        ]
        r += 2
        for row_key, label in block.rows:
            cells.append(Cell(r, 0, label))
            for i, (key, _label) in enumerate(block.columns):
                cells.append(figures.cell("table1", row_key, key, (r, 1 + i * span), colspan=span))
            r += 1
    return Grid("table1", tuple(cells), (31, *(round(69 / n, 4),) * n), head_rows=0)


def _table2_tree(fmt: str) -> list[tuple[str, str, list]]:
    """The layout's Table 2 rows (flat, with depths) as a tree of (key, label, children)."""
    root: list = []
    stack = [(-1, root)]
    for key, label, depth in rows.table2_rows(fmt):
        node = (key, str(label), [])
        while stack[-1][0] >= depth:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((depth, node[2]))
    return root


def table2_grid(data: dict) -> Grid:
    """Table 2 in the official form: the note over the label columns, applicant types over the figures."""
    figures, depth = _Figures(data), TABLE2_LABEL_COLUMNS
    columns = [(key, str(rows.TABLE2_COLUMN_LABELS[key])) for key in rows.TABLE2_COLUMNS]
    n = len(columns)
    cells = [
        Cell(0, 0, str(rows.TABLE2_NOTE), kind="head", rowspan=3, colspan=depth),
        Cell(0, depth, TABLE2_APPLICANTS, kind="head", colspan=n),
        Cell(1, depth, columns[0][1], kind="head", rowspan=2),
        Cell(1, depth + 1, str(rows.ORGANISATION_HEADER), kind="head", colspan=n - 2),
        Cell(1, depth + n - 1, columns[-1][1], kind="head", rowspan=2),
    ]
    cells += [Cell(2, depth + i, label, kind="head") for i, (_key, label) in enumerate(columns[1:-1], 1)]

    def leaves(node) -> int:
        return sum(leaves(child) for child in node[2]) if node[2] else 1

    def place(nodes, row: int, col: int) -> int:
        for node in nodes:
            key, label, children = node
            if children:
                cells.append(Cell(row, col, label, rowspan=leaves(node)))
                row = place(children, row, col + 1)
                continue
            cells.append(Cell(row, col, label, colspan=depth - col))
            cells.extend(
                figures.cell("table2", key, column, (row, depth + i))
                for i, (column, _l) in enumerate(columns)
            )
            row += 1
        return row

    place(_table2_tree(rows.data_format(data)), 3, 0)
    return Grid("table2", tuple(cells), (8.5, 14.5, 28) + (7,) * n, head_rows=3)


def table3_grid(data: dict) -> Grid:
    """Table 3: 行政复议 over two header rows, 行政诉讼 over its two kinds, then the results and figures."""
    figures, k = _Figures(data), len(rows.TABLE3_RESULTS)
    kinds = table3_kinds()
    cells = [Cell(0, 0, kinds[0][1], kind="head", rowspan=2, colspan=k)]
    cells.append(Cell(0, k, TABLE3_LITIGATION, kind="head", colspan=k * (len(kinds) - 1)))
    cells += [
        Cell(1, k * i, lower, kind="head", colspan=k) for i, (_key, _upper, lower) in enumerate(kinds) if i
    ]
    for i, (kind, _upper, _lower) in enumerate(kinds):
        for j, (result, label) in enumerate(rows.TABLE3_RESULTS):
            cells.append(Cell(2, i * k + j, str(label), kind="head"))
            cells.append(figures.cell("table3", kind, result, (3, i * k + j)))
    n = k * len(kinds)
    return Grid("table3", tuple(cells), (round(100 / n, 4),) * n, head_rows=3)


def report_grids(data: dict) -> dict[str, Grid]:
    """The three tables of a report in the national layout, keyed table1..table3."""
    fmt = rows.data_format(data)
    if fmt not in SUPPORTED_FORMATS:
        raise ValueError(
            f"annual report layout {fmt!r} cannot be exported yet (supported: {', '.join(SUPPORTED_FORMATS)})"
        )
    return {"table1": table1_grid(data), "table2": table2_grid(data), "table3": table3_grid(data)}
