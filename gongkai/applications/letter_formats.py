"""A rendered letter and its formats: plain text, PDF (PyMuPDF) and DOCX (python-docx).

Every piece of text is escaped here (the PDF is laid out from HTML), whatever the template did.
Typography after GB/T 9704 for official documents: A4, margins 37/26/35/28 mm, title 22 pt (二号)
bold serif centred, letter number centred under it, the addressee flush left, body 16 pt (三号)
with a two-character first-line indent, the agency and date right-aligned at the end, the page
number "— n —" below. The PDF font is Noto Serif CJK SC, subset per letter (``cjk_font``); the
DOCX names 仿宋 (body) and 宋体 (title) as East Asian fonts, as Chinese offices expect.
"""

import html
import io
from dataclasses import dataclass

import docx
import pymupdf
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.core.files.cjk_font import cjk_font_subset


@dataclass(frozen=True)
class RenderedLetter:
    """A letter's text as sent (frozen with the application); ``paragraphs`` start with the
    addressee line when the letter has one."""

    title: str
    letter_no: str
    paragraphs: list[str]
    seal_lines: list[str]

    @property
    def addressee(self) -> str:
        """The first paragraph when it is the addressee line (ends in "：", GB/T 9704 7.3.2)."""
        return self.paragraphs[0] if self.paragraphs and self.paragraphs[0].endswith("：") else ""

    @property
    def body(self) -> list[str]:
        """The paragraphs after the addressee, each printed with a two-character indent."""
        return self.paragraphs[1:] if self.addressee else list(self.paragraphs)

    def text(self) -> str:
        """The letter as plain text, paragraphs indented by two ideographic spaces."""
        lines = [self.title, self.letter_no, ""] if self.letter_no else [self.title, ""]
        lines += [self.addressee] if self.addressee else []
        lines += ["\u3000\u3000" + p for p in self.body] + [""] + self.seal_lines
        return "\n".join(lines) + "\n"

    def characters(self) -> str:
        return "".join([self.title, self.letter_no, *self.paragraphs, *self.seal_lines])


# ---------------------------------------------------------------- PDF

MM = 72 / 25.4
PAGE = pymupdf.paper_rect("a4")
BODY_RECT = PAGE + (28 * MM, 37 * MM, -26 * MM, -35 * MM)
FOOTER_RECT = pymupdf.Rect(BODY_RECT.x0, BODY_RECT.y1 + 7 * MM, BODY_RECT.x1, BODY_RECT.y1 + 20 * MM)
MAX_PAGES = 200
PDF_CSS = """
@font-face { font-family: "GongkaiSerif"; src: url(serif-regular.otf); }
@font-face { font-family: "GongkaiSerif"; font-weight: bold; src: url(serif-bold.otf); }
* { font-family: "GongkaiSerif"; }
body { font-size: 16pt; line-height: 1.8; margin: 0; }
h1 { font-size: 22pt; font-weight: bold; text-align: center; line-height: 1.5; margin: 0 0 0.3em 0; }
p { margin: 0; }
p.no { text-align: center; margin-bottom: 1em; }
p.body { text-indent: 2em; text-align: justify; }
p.seal { text-align: right; margin-right: 2em; }
p.seal.first { margin-top: 2em; }
p.pageno { text-align: center; font-size: 14pt; }
"""
PAGE_NUMBER_CHARS = "— 0123456789"


def letter_pdf(letter: RenderedLetter) -> bytes:
    """The letter as an A4 PDF with the CJK font embedded (subset) and extractable text. The
    signing block (seal and date) never stands alone on a page (issue 15 §3): when the body
    ends on an earlier page, the last paragraph moves over to the signing block's page."""
    pdf = _letter_pdf(letter, keep_with_seal=False)
    if _signing_block_alone(pdf, letter):
        pdf = _letter_pdf(letter, keep_with_seal=True)
    return pdf


def _signing_block_alone(pdf: bytes, letter: RenderedLetter) -> bool:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        if doc.page_count < 2:
            return False
        lines = [line.strip() for line in doc[-1].get_text().splitlines() if line.strip()]
    rest = [line for line in lines if line not in letter.seal_lines and not line.startswith("—")]
    return not rest


def _letter_pdf(letter: RenderedLetter, *, keep_with_seal: bool) -> bytes:
    esc = html.escape
    parts = [f"<h1>{esc(letter.title)}</h1>"]
    if letter.letter_no:
        parts.append(f'<p class="no">{esc(letter.letter_no)}</p>')
    if letter.addressee:
        parts.append(f'<p class="to">{esc(letter.addressee)}</p>')
    body = [f'<p class="body">{esc(p)}</p>' for p in letter.body]
    if keep_with_seal and body:
        body[-1] = body[-1].replace(
            '<p class="body">', '<p class="body" style="page-break-before: always">', 1
        )
    parts += body
    parts += [
        f'<p class="seal{" first" if i == 0 else ""}">{esc(line)}</p>'
        for i, line in enumerate(letter.seal_lines)
    ]
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(letter.characters() + PAGE_NUMBER_CHARS), "serif-regular.otf")
    archive.add(cjk_font_subset(letter.title, bold=True), "serif-bold.otf")
    story = pymupdf.Story(html="".join(parts), user_css=PDF_CSS, archive=archive)
    return paged_pdf(
        story, archive, css=PDF_CSS, page=PAGE, body_rect=BODY_RECT, footer_rect=FOOTER_RECT,
        title=f"{letter.title} {letter.letter_no}".strip(), max_pages=MAX_PAGES,
    )  # fmt: skip


def paged_pdf(
    story, archive, *, css: str, page, body_rect, footer_rect, title: str, max_pages: int = 0
) -> bytes:
    """Lay ``story`` out page after page with the page number ("— n —", ``p.pageno`` of ``css``)
    in ``footer_rect``; a Chinese document titled ``title``. ``max_pages``: refuse a longer one
    (the callers limit the length; this stops a runaway layout)."""
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out, "compress")
    more, page_no = True, 0
    while more:
        page_no += 1
        if max_pages and page_no > max_pages:
            raise RuntimeError(f"document over {max_pages} pages")
        device = writer.begin_page(page)
        more, _filled = story.place(body_rect)
        story.draw(device)
        footer = pymupdf.Story(f'<p class="pageno">— {page_no} —</p>', user_css=css, archive=archive)
        footer.place(footer_rect)
        footer.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open(stream=out.getvalue(), filetype="pdf") as doc:
        doc.set_metadata({"title": title, "creator": "Gongkai", "producer": "Gongkai"})
        doc.set_language("zh-CN")
        return doc.tobytes(garbage=3, deflate=True)


# ---------------------------------------------------------------- DOCX

DOCX_BODY_FONT = "仿宋"  # FangSong on every Chinese Windows/WPS; Word substitutes it elsewhere
DOCX_TITLE_FONT = "宋体"
DOCX_LATIN_FONT = "Times New Roman"


def _docx_run(paragraph, text: str, *, size: float, bold: bool = False, east_asian: str = DOCX_BODY_FONT):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = DOCX_LATIN_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:hint"), "eastAsia")
    return run


def _docx_paragraph(doc, text: str, *, align, size: float = 16, indent: bool = False, **run_options):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(29)  # 22 lines a page
    if indent:
        fmt.first_line_indent = Pt(2 * size)
        # Word's own "two characters" indent, kept when the font size changes
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    _docx_run(paragraph, text, size=size, **run_options)
    return paragraph


def letter_docx(letter: RenderedLetter) -> bytes:
    """The letter as an editable Word document with the East Asian font set on every run."""
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    center, left = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT
    title = _docx_paragraph(doc, letter.title, align=center, size=22, bold=True, east_asian=DOCX_TITLE_FONT)
    title.paragraph_format.line_spacing = Pt(36)
    if letter.letter_no:
        _docx_paragraph(doc, letter.letter_no, align=center).paragraph_format.space_after = Pt(16)
    if letter.addressee:
        _docx_paragraph(doc, letter.addressee, align=left)
    paragraph = None
    for text in letter.body:
        paragraph = _docx_paragraph(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    if paragraph is not None and letter.seal_lines:
        paragraph.paragraph_format.keep_with_next = True  # the signing block never stands alone
    for i, line in enumerate(letter.seal_lines):
        seal = _docx_paragraph(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT)
        seal.paragraph_format.right_indent = Pt(32)
        seal.paragraph_format.keep_with_next = i < len(letter.seal_lines) - 1
        if i == 0:
            seal.paragraph_format.space_before = Pt(32)
    _docx_page_number(section.footer.paragraphs[0])
    props = doc.core_properties
    props.title = f"{letter.title} {letter.letter_no}".strip()
    props.author = props.last_modified_by = "Gongkai"
    props.comments = ""
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_page_number(paragraph) -> None:
    """ "— n —" centred in the footer, n being Word's PAGE field."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_run(paragraph, "— ", size=14)
    field_run = _docx_run(paragraph, "", size=14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.text = text
        field_run._element.append(element)
    _docx_run(paragraph, " —", size=14)
