"""The notice board sheet (政务公开栏): an A3 PDF for an office's board with its latest
disclosures, open consultations and key-area items, each with a QR code to its page.

Typography as the letters (applications/letter_formats.py): Noto Serif CJK SC subset to the
sheet's characters (core/files/cjk_font.py), laid out by MuPDF's Story from escaped HTML, text
extractable. A3 portrait (297 × 420 mm) read standing at arm's length: title 36 pt, headings
22 pt, entries 14 pt, QR codes 24 mm (readable by a phone from about 60 cm with margin 2).
The sheet is built from a ``Board`` that the caller fills (the workbench view: it knows the
page addresses); nothing here reads the database.
"""

import html
import io
from dataclasses import dataclass, field
from datetime import date

import pymupdf
import segno

from gongkai.core.files.cjk_font import cjk_font_subset

MM = 72 / 25.4
PAGE = pymupdf.paper_rect("a3")
BODY = PAGE + (20 * MM, 20 * MM, -20 * MM, -22 * MM)
FOOTER = pymupdf.Rect(BODY.x0, BODY.y1 + 6 * MM, BODY.x1, BODY.y1 + 16 * MM)
QR_MM = 24
MAX_PAGES = 20
CSS = """
@font-face { font-family: "GongkaiSerif"; src: url(serif-regular.otf); }
@font-face { font-family: "GongkaiSerif"; font-weight: bold; src: url(serif-bold.otf); }
* { font-family: "GongkaiSerif"; }
body { font-size: 14pt; line-height: 1.5; margin: 0; }
h1 { font-size: 36pt; font-weight: bold; text-align: center; margin: 0 0 4pt 0; }
p.office { text-align: center; font-size: 16pt; margin: 0 0 14pt 0; }
h2 { font-size: 22pt; font-weight: bold; margin: 16pt 0 6pt 0; border-bottom: 2pt solid #a40000; }
table { width: 100%; border-collapse: collapse; }
td { vertical-align: top; padding: 4pt 0; border-bottom: 0.5pt solid #999; }
td.qr { width: 80pt; text-align: right; }
p.title { font-weight: bold; margin: 0; }
p.meta { margin: 0; font-size: 12pt; }
p.empty { margin: 0; font-size: 12pt; }
p.foot { text-align: center; font-size: 11pt; }
"""


@dataclass(frozen=True)
class BoardEntry:
    title: str
    meta: str  # the date and what it is, in one line
    url: str  # the page the QR code opens (absolute)


@dataclass(frozen=True)
class BoardSection:
    heading: str
    entries: list[BoardEntry]
    empty: str  # what the section says when it has nothing


@dataclass(frozen=True)
class Board:
    agency: str
    office: str  # the office's name, address, hours and telephone, in one line
    made_on: date
    sections: list[BoardSection] = field(default_factory=list)
    footer: str = ""

    def characters(self) -> str:
        parts = [self.agency, self.office, self.footer, "政务公开栏年月日第页 0123456789—\u3000"]
        for section in self.sections:
            parts += [section.heading, section.empty]
            for entry in section.entries:
                parts += [entry.title, entry.meta]
        return "".join(parts)


def qr_png(url: str) -> bytes:
    """The QR code of ``url`` as a PNG (error correction M, quiet zone 2 modules)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=6, border=2)
    return out.getvalue()


def _html(board: Board, archive: pymupdf.Archive) -> str:
    esc = html.escape
    parts = [
        f"<h1>{esc(board.agency)}政务公开栏</h1>",
        f'<p class="office">{esc(board.office)}</p>',
    ]
    n = 0
    size = round(QR_MM * MM)
    for section in board.sections:
        parts.append(f"<h2>{esc(section.heading)}</h2>")
        if not section.entries:
            parts.append(f'<p class="empty">{esc(section.empty)}</p>')
            continue
        parts.append("<table>")
        for entry in section.entries:
            n += 1
            name = f"qr-{n}.png"
            archive.add(qr_png(entry.url), name)
            parts.append(
                f'<tr><td><p class="title">{esc(entry.title)}</p><p class="meta">{esc(entry.meta)}</p></td>'
                f'<td class="qr"><img src="{name}" width="{size}" height="{size}"/></td></tr>'
            )
        parts.append("</table>")
    return "".join(parts)


def board_pdf(board: Board) -> bytes:
    """The sheet as an A3 PDF (more pages when the entries do not fit on one)."""
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(board.characters()), "serif-regular.otf")
    archive.add(cjk_font_subset(board.characters(), bold=True), "serif-bold.otf")
    story = pymupdf.Story(html=_html(board, archive), user_css=CSS, archive=archive)
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out, "compress")
    more, page_no = True, 0
    while more:
        page_no += 1
        if page_no > MAX_PAGES:
            raise RuntimeError(f"notice board over {MAX_PAGES} pages")  # the callers cap the entries
        device = writer.begin_page(PAGE)
        more, _filled = story.place(BODY)
        story.draw(device)
        foot = f"{board.footer}　{board.made_on.year}年{board.made_on.month}月{board.made_on.day}日　第{page_no}页"
        footer = pymupdf.Story(f'<p class="foot">{html.escape(foot)}</p>', user_css=CSS, archive=archive)
        footer.place(FOOTER)
        footer.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open(stream=out.getvalue(), filetype="pdf") as doc:
        doc.set_metadata({"title": f"{board.agency}政务公开栏", "creator": "Gongkai", "producer": "Gongkai"})
        doc.set_language("zh-CN")
        return doc.tobytes(garbage=3, deflate=True)
