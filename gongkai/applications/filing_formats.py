"""The 卷内目录 of a filed case (services/filing.py) as the records office takes it: CSV (UTF-8
with BOM, which Excel and WPS open as Chinese), XLSX and an A4 landscape PDF with the CJK font
embedded. The heavy libraries are imported inside the writers: this module is imported by the
workbench's export, which the worker loads at start (memory budget)."""

import csv
import html
import io
import re
import string

from gongkai.core.files.cjk_font import cjk_font_subset

from .models import CaseFiling
from .services.filing import CONTENTS_COLUMNS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def contents_title(filing: CaseFiling) -> str:
    return f"卷内目录　档号：{filing.archive_no}"


def _cells(filing: CaseFiling) -> list[list[str]]:
    return [[str(row.get(col, "")) for col in CONTENTS_COLUMNS] for row in filing.contents]


def _inert(text: str) -> str:
    """Text a spreadsheet will not run: control characters out, a leading = + - @ quoted."""
    text = _CONTROL.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def contents_csv(filing: CaseFiling) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CONTENTS_COLUMNS)
    writer.writerows([[_inert(c) for c in row] for row in _cells(filing)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


XLSX_WIDTHS = (6, 24, 22, 48, 12, 9, 24)


def contents_xlsx(filing: CaseFiling) -> bytes:
    import openpyxl  # heavy: only when a package is made
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "卷内目录"
    sheet.append([contents_title(filing)])
    sheet["A1"].font = Font(name="黑体", size=14)
    sheet.append(list(CONTENTS_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in filing.contents:
        cells = [_inert(str(row.get(col, ""))) for col in CONTENTS_COLUMNS]
        cells[0] = row.get("序号")  # a number, as the records office sorts by it
        sheet.append(cells)
    for i, width in enumerate(XLSX_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


PDF_CSS = """
* { font-family: serif; }
@font-face { font-family: serif; src: url(serif-regular.otf); }
h1 { font-size: 16pt; text-align: center; margin-bottom: 8pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid black; padding: 2pt 3pt; font-size: 10pt; vertical-align: top; }
th { text-align: center; }
p.pageno { text-align: center; font-size: 10pt; }
"""


def contents_pdf(filing: CaseFiling) -> bytes:
    import pymupdf  # heavy: only when a package is made

    from .letter_formats import paged_pdf  # loads PyMuPDF too

    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in CONTENTS_COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in _cells(filing))
    title = contents_title(filing)
    page_html = f"<h1>{esc(title)}</h1><table><tr>{head}</tr>{body}</table>"
    text = title + "".join(CONTENTS_COLUMNS) + "".join("".join(r) for r in _cells(filing))
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(text + string.printable + "— "), "serif-regular.otf")
    page = pymupdf.paper_rect("a4-l")
    mm = 72 / 25.4
    body_rect = page + (20 * mm, 20 * mm, -20 * mm, -22 * mm)
    footer_rect = pymupdf.Rect(body_rect.x0, body_rect.y1 + 4 * mm, body_rect.x1, body_rect.y1 + 14 * mm)
    story = pymupdf.Story(html=page_html, user_css=PDF_CSS, archive=archive)
    return paged_pdf(
        story, archive, css=PDF_CSS, page=page, body_rect=body_rect, footer_rect=footer_rect, title=title
    )
