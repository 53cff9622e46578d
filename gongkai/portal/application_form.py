"""The printable application form (政府信息公开申请表) of an agency's guide, for applications by
post or in person: one for a citizen (公民) and one for an organisation (法人或者其他组织), as
PDF and DOCX, with the agency's and its disclosure office's details filled in (issue 12 §4).

The fields are those of Art. 29 of the Regulation (who applies and how to reach them, what is
asked for, in which form and how it is to be provided) in the order real agencies' forms use;
the choices of form and delivery are those of the online form (interfaces.md: paper, electronic
or inspection; post, e-mail or collection)."""

import html
import io
import string
from dataclasses import dataclass

import docx
import pymupdf
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.agencies.models import Agency
from gongkai.core.files.cjk_font import cjk_font_subset

VARIANTS = ("person", "organisation")
FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
BOX = "□"


@dataclass(frozen=True)
class FormSpec:
    title: str
    addressee: str
    applicant_heading: str
    applicant: tuple[tuple[str, str], ...]  # pairs of labels, two to a row
    request: tuple[str, ...]  # labels of the rows describing the information asked for
    choices: tuple[tuple[str, tuple[str, ...]], ...]
    signature: str
    notes: tuple[str, ...]


PERSON = (
    ("姓名", "工作单位"),
    ("证件名称", "证件号码"),
    ("联系电话", "电子邮箱"),
    ("通信地址", "邮政编码"),
)
ORGANISATION = (
    ("名称", "统一社会信用代码"),
    ("法定代表人或者负责人", "联系人姓名"),
    ("联系人电话", "联系人电子邮箱"),
    ("通信地址", "邮政编码"),
)
REQUEST = (
    "所需政府信息的名称",
    "所需政府信息的文号",
    "所需政府信息的内容描述（或者便于查询的其他特征性描述）",
)
CHOICES = (
    ("所需政府信息的提供形式（单选）", ("纸质文本", "电子文本", "查阅")),
    ("获取政府信息的方式（单选）", ("邮寄", "电子邮件", "自行领取")),
)


def form_spec(agency: Agency, variant: str) -> FormSpec:
    """The form of ``variant`` ("person" or "organisation") for ``agency``."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown form variant {variant!r}")
    office = getattr(agency, "office", None)
    addressee = f"受理机关：{agency.name}" + (f"（{office.name}）" if office and office.name else "")
    notes = ["申请人无需说明申请用途。请如实填写；申请内容不明确的，本机关将一次性告知需要补正的事项。"]
    if office is not None:
        contact = "；".join(
            f"{label}：{value}"
            for label, value in (
                ("地址", office.address),
                ("邮政编码", office.postcode),
                ("电话", office.phone),
                ("传真", office.fax),
                ("办公时间", office.hours),
            )
            if value
        )
        if contact:
            notes.append(f"{office.name}　{contact}。")
        if office.address:
            notes.append(
                f"信函申请请寄至{office.address}{office.name}，并在信封左下角注明“政府信息公开申请”；"
                "当面申请请到上述地址提交。"
            )
    notes.append("也可以在本平台在线提交申请，凭申请编号和查询码查询办理进度。")
    return FormSpec(
        title="政府信息公开申请表",
        addressee=addressee,
        applicant_heading="申请人（公民）" if variant == "person" else "申请人（法人或者其他组织）",
        applicant=PERSON if variant == "person" else ORGANISATION,
        request=REQUEST,
        choices=CHOICES,
        signature="申请人签名（盖章）：　　　　　　　　　　　　申请日期：　　　　年　　月　　日",
        notes=tuple(notes),
    )


def filename(agency: Agency, variant: str, fmt: str) -> str:
    label = "公民" if variant == "person" else "法人或者其他组织"
    return f"{agency.name}政府信息公开申请表（{label}）.{fmt}"


# ---------------------------------------------------------------- PDF

PDF_CSS = """
@font-face { font-family: "GongkaiSerif"; src: url(serif-regular.otf); }
* { font-family: "GongkaiSerif"; }
body { font-size: 11pt; line-height: 1.5; margin: 0; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 0.6em 0; }
p { margin: 0 0 0.3em 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.6pt solid black; padding: 4pt 3pt; vertical-align: middle; }
th { font-weight: normal; text-align: center; }
td.blank { height: 22pt; }
td.tall { height: 66pt; }
p.note { font-size: 9pt; }
"""
PAGE = pymupdf.paper_rect("a4")
BODY = PAGE + (56, 56, -56, -56)


def _pdf_html(spec: FormSpec) -> str:
    e = html.escape
    rows = [f'<tr><th colspan="4">{e(spec.applicant_heading)}</th></tr>']
    for left, right in spec.applicant:
        rows.append(
            f'<tr><th>{e(left)}</th><td class="blank"></td><th>{e(right)}</th><td class="blank"></td></tr>'
        )
    rows.append('<tr><th colspan="4">所需政府信息情况</th></tr>')
    for label in spec.request:
        css = "tall" if "描述" in label else "blank"
        rows.append(f'<tr><th>{e(label)}</th><td colspan="3" class="{css}"></td></tr>')
    for label, options in spec.choices:
        boxes = "　".join(f"{BOX}{e(o)}" for o in options)
        rows.append(f'<tr><th>{e(label)}</th><td colspan="3">{boxes}</td></tr>')
    rows.append(f'<tr><td colspan="4" class="tall">{e(spec.signature)}</td></tr>')
    notes = "".join(f'<p class="note">{e(n)}</p>' for n in spec.notes)
    return (
        f"<h1>{e(spec.title)}</h1><p>{e(spec.addressee)}</p>"
        f'<table>{"".join(rows)}</table><p></p><p class="note">注：</p>{notes}'
    )


def form_pdf(agency: Agency, variant: str) -> bytes:
    spec = form_spec(agency, variant)
    page_html = _pdf_html(spec)
    text = html.unescape(page_html.replace("<", " <"))
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(text + string.printable + BOX), "serif-regular.otf")
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out, "compress")
    story = pymupdf.Story(html=page_html, user_css=PDF_CSS, archive=archive)
    more = True
    while more:
        device = writer.begin_page(PAGE)
        more, _filled = story.place(BODY)
        story.draw(device)
        writer.end_page()
    writer.close()
    with pymupdf.open(stream=out.getvalue(), filetype="pdf") as doc:
        doc.set_metadata({"title": f"{agency.name}{spec.title}", "creator": "Gongkai", "producer": "Gongkai"})
        doc.set_language("zh-CN")
        return doc.tobytes(garbage=3, deflate=True)


# ---------------------------------------------------------------- DOCX


def _text(paragraph, text: str, *, size: int = 11, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, "宋体"
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _cell(cell, text: str, *, bold: bool = False) -> None:
    cell.text = ""
    _text(cell.paragraphs[0], text, bold=bold)


def form_docx(agency: Agency, variant: str) -> bytes:
    spec = form_spec(agency, variant)
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Mm(20)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(title, spec.title, size=18, bold=True)
    _text(doc.add_paragraph(), spec.addressee)
    rows = 1 + len(spec.applicant) + 1 + len(spec.request) + len(spec.choices) + 1
    table = doc.add_table(rows=rows, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0

    def heading(text: str) -> None:
        nonlocal r
        cell = table.cell(r, 0).merge(table.cell(r, 3))
        _cell(cell, text, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        r += 1

    heading(spec.applicant_heading)
    for left, right in spec.applicant:
        _cell(table.cell(r, 0), left)
        _cell(table.cell(r, 2), right)
        r += 1
    heading("所需政府信息情况")
    for label in spec.request:
        _cell(table.cell(r, 0), label)
        table.cell(r, 1).merge(table.cell(r, 3))
        if "描述" in label:
            table.rows[r].height = Mm(30)
        r += 1
    for label, options in spec.choices:
        _cell(table.cell(r, 0), label)
        _cell(table.cell(r, 1).merge(table.cell(r, 3)), "　".join(f"{BOX}{o}" for o in options))
        r += 1
    cell = table.cell(r, 0).merge(table.cell(r, 3))
    _cell(cell, spec.signature)
    table.rows[r].height = Mm(25)
    _text(doc.add_paragraph(), "注：", size=9)
    for note in spec.notes:
        _text(doc.add_paragraph(), note, size=9)
    props = doc.core_properties
    props.title, props.author = f"{agency.name}{spec.title}", "Gongkai"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def application_form(agency: Agency, variant: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type) of the form."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown form format {fmt!r}")
    maker = form_pdf if fmt == "pdf" else form_docx
    return maker(agency, variant), filename(agency, variant, fmt), CONTENT_TYPES[fmt]
