"""The annual report's exports: a printable web page, PDF (PyMuPDF, from the same HTML), DOCX
(python-docx) and XLSX (openpyxl), all drawn from the grids of ``layout`` so that the four agree
cell for cell with the national form.

The PDF's font is Noto Serif CJK SC cut down to the report's characters (``cjk_font``); the DOCX
names 宋体/黑体/仿宋 as East Asian fonts, as Chinese offices expect; the XLSX keeps figures as numbers
and neutralises text that a spreadsheet would read as a formula.
"""

import html
import io
import re
import string
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pymupdf
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from gongkai.core.files.cjk_font import cjk_font_subset

from .layout import (
    MANUAL_MARK,
    MANUAL_NOTE,
    SECTIONS,
    Grid,
    report_grids,
    report_title,
    report_title_parts,
    table1_blocks,
)
from .rows import data_format

APP_DIR = Path(__file__).resolve().parent
STYLESHEET = APP_DIR / "static" / "reports" / "annual_report.css"
FORMATS = ("html", "xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass(frozen=True)
class Section:
    """One of the report's six sections: its heading and either paragraphs or a table (or both)."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]
    grid: Grid | None = None


def _paragraphs(text: str | None) -> list[str]:
    """Plain text split into paragraphs at blank lines."""
    if not text:
        return []
    blocks = re.split(r"\n[ \t\u3000]*\n", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    return [b.strip() for b in blocks if b.strip()]


def report_sections(data: dict, narrative: dict | None) -> list[Section]:
    """Sections 一 to 六 in order; 六 starts with the fee paragraph(s), then the other matters."""
    narrative = narrative or {}
    grids = report_grids(data)
    other = narrative.get("other_matters") or narrative.get("other")  # the model's key, the brief's
    texts = {
        "overview": _paragraphs(narrative.get("overview")),
        "problems": _paragraphs(narrative.get("problems")),
        "other_matters": _paragraphs(narrative.get("fees_section")) + _paragraphs(other),
    }
    return [Section(key, heading, tuple(texts.get(key, ())), grids.get(key)) for key, heading in SECTIONS]


def export(data: dict, fmt: str, narrative: dict | None) -> bytes:
    """The report as ``fmt`` (html, xlsx, docx or pdf)."""
    if fmt == "html":
        return render_html(data, narrative).encode("utf-8")
    makers = {"xlsx": report_xlsx, "docx": report_docx, "pdf": report_pdf}
    if fmt not in makers:
        raise ValueError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")
    return makers[fmt](data, narrative)


# ---------------------------------------------------------------- HTML


def _table_context(grid: Grid, width, colgroup: bool) -> dict:
    """The grid as the template draws it; ``width`` turns a percentage into a CSS length."""

    def cell(c):
        # Figures are data cells; every label is a header for the figures in its row or column.
        scope = "" if c.kind == "figure" else "row" if c.kind == "label" else "col"
        return {
            "tag": "td" if c.kind == "figure" else "th",
            "scope": scope,
            "text": c.text,
            "kind": c.kind,
            "rowspan": c.rowspan,
            "colspan": c.colspan,
            "manual": c.manual,
            "width": width(grid.width(c)),
        }

    rows = [[cell(c) for c in row] for row in grid.rows()]
    head, body = rows[: grid.head_rows], rows[grid.head_rows :]
    return {
        # Browsers size a fixed-layout table by its <col>s; MuPDF lays the table out wrong with them.
        "columns": [width(round(w, 2)) for w in grid.widths] if colgroup else [],
        "parts": [("thead", head), ("tbody", body)] if head else [("tbody", body)],
        "manual": grid.has_manual,
    }


def _render(data: dict, narrative: dict | None, *, for_pdf: bool = False) -> str:
    """The page for a browser (stylesheet inlined, widths in percent) or for MuPDF (PDF_CSS
    applies; widths in points, because MuPDF adds padding and borders to a cell's width)."""
    if for_pdf:
        stylesheet, points = "", BODY_RECT.width / 100

        def width(percent: float) -> str:
            return f"{percent * points - PDF_CELL_EXTRA:.2f}pt"
    else:
        stylesheet = STYLESHEET.read_text(encoding="utf-8")

        def width(percent: float) -> str:
            return f"{percent}%"

    sections = [
        {
            "key": s.key,
            "heading": s.heading,
            "paragraphs": s.paragraphs,
            "table": _table_context(s.grid, width, colgroup=not for_pdf) if s.grid else None,
        }
        for s in report_sections(data, narrative)
    ]
    context = {
        "title": report_title(data),
        "title_parts": report_title_parts(data),
        # MuPDF ignores white-space: nowrap; a title too long for one line breaks after the agency.
        "title_break": for_pdf and len(report_title(data)) * PDF_TITLE_SIZE > BODY_RECT.width,
        "opening": data.get("opening") or "",  # the standard opening of a government's report
        "sections": sections,
        "stylesheet": stylesheet,
        "manual_mark": MANUAL_MARK,
        "manual_note": MANUAL_NOTE,
    }
    return render_to_string("reports/annual_report.html", context)


def render_html(data: dict, narrative: dict | None) -> str:
    """The whole report as one printable, self-contained HTML page (print stylesheet inlined)."""
    return _render(data, narrative)


# ---------------------------------------------------------------- PDF

MM = 72 / 25.4
PAGE = pymupdf.paper_rect("a4")
BODY_RECT = PAGE + (20 * MM, 25 * MM, -20 * MM, -22 * MM)
FOOTER_RECT = pymupdf.Rect(BODY_RECT.x0, BODY_RECT.y1 + 6 * MM, BODY_RECT.x1, BODY_RECT.y1 + 16 * MM)
MAX_PAGES = 200
PDF_TITLE_SIZE = 18  # points, as h1 in PDF_CSS
PDF_CSS = """
@font-face { font-family: "GongkaiSerif"; src: url(serif-regular.otf); }
@font-face { font-family: "GongkaiSerif"; font-weight: bold; src: url(serif-bold.otf); }
* { font-family: "GongkaiSerif"; }
body { font-size: 12pt; line-height: 1.7; margin: 0; }
h1 { font-size: 18pt; font-weight: bold; text-align: center; line-height: 1.5; margin: 0 0 0.8em 0; }
h2 { font-size: 14pt; font-weight: bold; margin: 1em 0 0.4em 0; }
p { margin: 0; }
.nowrap { white-space: nowrap; }
p.body { text-indent: 2em; text-align: justify; margin-bottom: 0.3em; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; line-height: 1.3; }
th, td { border: 0.6pt solid black; padding: 2pt 1.5pt; text-align: center; vertical-align: middle;
  font-weight: normal; }
th.block { font-weight: bold; background-color: #eeeeee; }
table.table3 { font-size: 10pt; }
sup { font-size: 7pt; }
p.table-note { font-size: 9pt; margin-top: 0.3em; }
p.pageno { text-align: center; font-size: 11pt; }
"""
PAGE_NUMBER_CHARS = "— 0123456789"
PDF_CELL_EXTRA = 2 * 1.5 + 0.6  # horizontal padding and one border of a table cell, in points


def report_pdf(data: dict, narrative: dict | None) -> bytes:
    """The report as an A4 PDF laid out from the same HTML, with the CJK font embedded (subset);
    a section with a table starts a new page when the table would otherwise be split."""
    page = _render(data, narrative, for_pdf=True)
    text = html.unescape(re.sub(r"<[^>]*>", "", page))
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(text + string.printable + PAGE_NUMBER_CHARS), "serif-regular.otf")
    bold = (
        report_title(data)
        + "".join(h for _k, h in SECTIONS)
        + "".join(b.heading for b in table1_blocks(data_format(data)))
    )
    archive.add(cjk_font_subset(bold + string.printable, bold=True), "serif-bold.otf")
    title, *sections = re.findall(r"<h1\b.*?</h1>|<section\b.*?</section>", page, re.S)
    blocks = [(title + sections[0], False)] + [(s, "<table" in s) for s in sections[1:]]
    out = io.BytesIO()
    _PdfPages(out, archive).write(blocks)
    with pymupdf.open(stream=out.getvalue(), filetype="pdf") as doc:
        doc.set_metadata({"title": report_title(data), "creator": "Gongkai", "producer": "Gongkai"})
        doc.set_language("zh-CN")
        return doc.tobytes(garbage=3, deflate=True)


class _PdfPages:
    """Flows blocks of HTML down A4 pages, numbering each page "— n —" at its foot."""

    def __init__(self, out, archive) -> None:
        self.writer = pymupdf.DocumentWriter(out, "compress")
        self.archive, self.device, self.page_no, self.top = archive, None, 0, BODY_RECT.y0

    def _story(self, html_text: str) -> pymupdf.Story:
        return pymupdf.Story(html=html_text, user_css=PDF_CSS, archive=self.archive)

    def _begin(self) -> None:
        self.page_no += 1
        if self.page_no > MAX_PAGES:
            raise ValueError(f"annual report over {MAX_PAGES} pages: shorten the narrative sections")
        self.device, self.top = self.writer.begin_page(PAGE), BODY_RECT.y0

    def _end(self) -> None:
        footer = self._story(f'<p class="pageno">— {self.page_no} —</p>')
        footer.place(FOOTER_RECT)
        footer.draw(self.device)
        self.writer.end_page()
        self.device = None

    def write(self, blocks: list[tuple[str, bool]]) -> None:
        """Each block is (html, keep_together)."""
        for html_text, keep_together in blocks:
            story, more = self._story(html_text), True
            while more:
                if self.device is None:
                    self._begin()
                more, filled = story.place(pymupdf.Rect(BODY_RECT.x0, self.top, BODY_RECT.x1, BODY_RECT.y1))
                if more and keep_together and self.top > BODY_RECT.y0:
                    story.reset()  # would be split here but fits on a page of its own
                    self._end()
                    continue
                story.draw(self.device)
                if more:
                    self._end()
                else:
                    self.top = pymupdf.Rect(filled).y1
        if self.device is not None:
            self._end()
        self.writer.close()


# ---------------------------------------------------------------- DOCX

DOCX_TITLE_FONT = "宋体"
DOCX_HEADING_FONT = "黑体"
DOCX_BODY_FONT = "仿宋"  # FangSong on every Chinese Windows/WPS; Word substitutes it elsewhere
DOCX_TABLE_FONT = "宋体"
DOCX_LATIN_FONT = "Times New Roman"
DOCX_TEXT_WIDTH_MM = 156  # A4 less the GB/T 9704 margins (28 mm left, 26 mm right)


def _docx_fonts(run, *, size: float, east_asian: str, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOCX_LATIN_FONT
    run.font.color.rgb = RGBColor(0, 0, 0)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")


def _docx_text(paragraph, text: str, **font) -> None:
    _docx_fonts(paragraph.add_run(text), **font)


def _docx_table(doc, grid: Grid) -> None:
    table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(DOCX_TEXT_WIDTH_MM * w / 100) for w in grid.widths]
    for i, column in enumerate(table.columns):
        column.width = widths[i]
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            cell.width = widths[i]
    for r in range(grid.head_rows):  # repeated at the top of each page the table runs onto
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        table.rows[r]._tr.get_or_add_trPr().append(header)
    size = 10.5 if grid.n_cols <= 4 else 9
    for c in grid.cells:
        cell = table.cell(c.row, c.col)
        if c.rowspan > 1 or c.colspan > 1:
            cell = cell.merge(table.cell(c.row + c.rowspan - 1, c.col + c.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
        _docx_text(paragraph, c.text, size=size, east_asian=DOCX_TABLE_FONT, bold=c.kind == "block")
        if c.manual:
            mark = paragraph.add_run(MANUAL_MARK)
            _docx_fonts(mark, size=size, east_asian=DOCX_TABLE_FONT)
            mark.font.superscript = True
        if c.kind == "block":
            shading = OxmlElement("w:shd")
            shading.set(qn("w:val"), "clear")
            shading.set(qn("w:fill"), "EEEEEE")
            cell._tc.get_or_add_tcPr().append(shading)
    if grid.has_manual:
        _docx_text(doc.add_paragraph(), MANUAL_NOTE, size=9, east_asian=DOCX_TABLE_FONT)


def report_docx(data: dict, narrative: dict | None) -> bytes:
    """The report as an editable Word document: sections as Heading 1, the tables with merged cells."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(16)
    _docx_text(title, report_title(data), size=22, bold=True, east_asian=DOCX_TITLE_FONT)
    if data.get("opening"):
        opening = doc.add_paragraph()
        opening.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        opening.paragraph_format.first_line_indent = Pt(32)
        _docx_text(opening, data["opening"], size=16, east_asian=DOCX_BODY_FONT)
    for part in report_sections(data, narrative):
        heading = doc.add_heading(level=1)
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
        _docx_text(heading, part.heading, size=16, east_asian=DOCX_HEADING_FONT)
        for text in part.paragraphs:
            paragraph = doc.add_paragraph()
            fmt = paragraph.paragraph_format
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            fmt.first_line_indent = Pt(32)
            fmt.space_after = Pt(0)
            # Word's own "two characters" indent, kept when the font size changes
            paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
            _docx_text(paragraph, text, size=16, east_asian=DOCX_BODY_FONT)
        if part.grid:
            _docx_table(doc, part.grid)
    props = doc.core_properties
    props.title = report_title(data)
    props.author = props.last_modified_by = "Gongkai"
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- XLSX

XLSX_TABLE_TOP = 3  # the table starts on this row, under the section heading and a blank row
XLSX_SHEETS = {"table1": "表1 主动公开", "table2": "表2 依申请公开", "table3": "表3 复议诉讼"}
XLSX_NARRATIVE_SHEET = "报告正文"
XLSX_TABLE_CHARS = {"table1": 80, "table2": 150, "table3": 150}  # table width in character units
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def xlsx_text(text: str) -> str:
    """Text safe in a spreadsheet: no control characters, and a leading = + - @ made inert."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _xlsx_table(sheet, grid: Grid, heading: str) -> None:
    chars = XLSX_TABLE_CHARS[grid.key]
    widths = [chars * w / 100 for w in grid.widths]
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.cell(1, 1, xlsx_text(heading)).font = Font(name="黑体", size=14)
    top = XLSX_TABLE_TOP
    lines = {}
    for c in grid.cells:
        row, col = top + c.row, 1 + c.col
        if c.rowspan > 1 or c.colspan > 1:
            sheet.merge_cells(
                start_row=row, start_column=col, end_row=row + c.rowspan - 1, end_column=col + c.colspan - 1
            )
        for r in range(row, row + c.rowspan):  # every cell of a merged range carries the border
            for k in range(col, col + c.colspan):
                sheet.cell(r, k).border = _BORDER
        cell = sheet.cell(row, col)
        cell.value = c.value if c.kind == "figure" else xlsx_text(c.text)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.font = Font(name="宋体", size=10, bold=c.kind == "block")
        if c.kind == "block":
            cell.fill = PatternFill("solid", fgColor="EEEEEE")
        if c.manual:
            cell.comment = Comment(_("人工填报"), "Gongkai")
        if c.rowspan == 1:
            width = sum(widths[c.col : c.col + c.colspan])
            lines[row] = max(lines.get(row, 1), -(-len(c.text) * 2 // max(int(width) - 1, 1)))
    for row, n in lines.items():  # Excel does not grow rows for wrapped text on opening
        sheet.row_dimensions[row].height = 14 * n + 4
    if grid.has_manual:
        sheet.cell(top + grid.n_rows + 1, 1, MANUAL_NOTE).font = Font(name="宋体", size=9)
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if grid.n_cols > 10 else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{top}:{top + grid.head_rows - 1}" if grid.head_rows else None


def report_xlsx(data: dict, narrative: dict | None) -> bytes:
    """The report as a workbook: the text on the first sheet, then one sheet per table."""
    book = openpyxl.Workbook()
    text = book.active
    text.title = XLSX_NARRATIVE_SHEET
    text.column_dimensions["A"].width = 100
    text.cell(1, 1, xlsx_text(report_title(data))).font = Font(name="宋体", size=16, bold=True)
    row = 3
    if data.get("opening"):
        cell = text.cell(row, 1, xlsx_text(data["opening"]))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(name="宋体", size=11)
        text.row_dimensions[row].height = min(15 * (1 + len(data["opening"]) * 2 // 98), 409)
        row += 2
    for part in report_sections(data, narrative):
        text.cell(row, 1, part.heading).font = Font(name="黑体", size=13)
        row += 1
        paragraphs = list(part.paragraphs)
        if part.grid:
            paragraphs.append(_("（见工作表“%(sheet)s”）") % {"sheet": XLSX_SHEETS[part.key]})
            _xlsx_table(book.create_sheet(XLSX_SHEETS[part.key]), part.grid, part.heading)
        for paragraph in paragraphs:
            cell = text.cell(row, 1, xlsx_text(paragraph))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="宋体", size=11)
            lines = 1 + len(paragraph) * 2 // 98 + paragraph.count("\n")
            text.row_dimensions[row].height = min(15 * lines, 409)  # Excel's largest row height
            row += 1
        row += 1
    props = book.properties
    props.title = report_title(data)
    props.creator = props.lastModifiedBy = "Gongkai"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
