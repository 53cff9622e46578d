"""Forms printed to be signed on paper (issue 18 item 3): the record of an oral application
(口头申请记录, Art. 29) that the applicant reads and signs, and the 送达回证 (proof of service)
the addressee signs on receipt. Laid out like the letters (A4, GB/T 9704 margins, Noto Serif
CJK SC subset per form, see letter_formats.py), as a table with boxes for the signatures.
"""

import html
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.files.cjk_font import cjk_font_subset

from .models import Application, Dispatch, Letter
from .rules import Delivery


def cn_date(value) -> str:
    """2026年11月29日, as letters.cn_date (not imported: letters loads PyMuPDF)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


FORM_CSS = """
@font-face { font-family: "GongkaiSerif"; src: url(serif-regular.otf); }
@font-face { font-family: "GongkaiSerif"; font-weight: bold; src: url(serif-bold.otf); }
* { font-family: "GongkaiSerif"; }
body { font-size: 14pt; line-height: 1.6; margin: 0; }
h1 { font-size: 22pt; font-weight: bold; text-align: center; margin: 0 0 0.6em 0; }
p { margin: 0; }
p.note { font-size: 12pt; }
"""


@dataclass(frozen=True)
class SignableForm:
    """A form's text: a title, rows of (label, value), a note, and the boxes to sign in."""

    title: str
    rows: list[tuple[str, str]]
    signatures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def characters(self) -> str:
        return "".join([self.title, *(a + b for a, b in self.rows), *self.signatures, *self.notes])


LABEL_WIDTH_MM = 48
CELL_PAD = 5  # points
LINE = 14 * 1.6  # points: 14 pt text at line height 1.6
SIGN_HEIGHT = 56  # points: room for a signature


def _cell_height(text: str, width: float) -> float:
    """Room for ``text`` in a cell ``width`` points wide: each character counted a full em
    (CJK), so Latin text only ever gets more room than it needs."""
    per_line = max(1, int((width - 2 * CELL_PAD) // 14))
    lines = sum(max(1, -(-len(line) // per_line)) for line in (text or " ").splitlines() or [" "])
    return lines * LINE + 2 * CELL_PAD


def form_pdf(form: SignableForm) -> bytes:
    """The form as an A4 PDF with extractable text and the CJK font embedded (subset): a table
    of two columns (label, value) drawn cell by cell, the signature boxes after it."""
    # PyMuPDF is imported here, not at module level: the worker's memory baseline (see
    # docs/architecture.md) must not carry it for pages that never print a form.
    import pymupdf

    from .letter_formats import BODY_RECT, MM, PAGE  # loads PyMuPDF: on use only (memory)

    esc = html.escape
    archive = pymupdf.Archive()
    archive.add(cjk_font_subset(form.characters() + "　"), "serif-regular.otf")
    archive.add(cjk_font_subset(form.title, bold=True), "serif-bold.otf")
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE.width, height=PAGE.height)
    y = BODY_RECT.y0
    page.insert_htmlbox(pymupdf.Rect(BODY_RECT.x0, y, BODY_RECT.x1, y + 40), f"<h1>{esc(form.title)}</h1>",
                        css=FORM_CSS, archive=archive)  # fmt: skip
    y += 44
    x_mid = BODY_RECT.x0 + LABEL_WIDTH_MM * MM
    rows = [(label, value, None) for label, value in form.rows]
    rows += [(label, "", SIGN_HEIGHT) for label in form.signatures]
    for label, value, fixed in rows:
        height = max(
            _cell_height(label, x_mid - BODY_RECT.x0), fixed or _cell_height(value, BODY_RECT.x1 - x_mid)
        )
        if y + height > BODY_RECT.y1:
            page = doc.new_page(width=PAGE.width, height=PAGE.height)
            y = BODY_RECT.y0
        for x0, x1, text in ((BODY_RECT.x0, x_mid, label), (x_mid, BODY_RECT.x1, value)):
            cell = pymupdf.Rect(x0, y, x1, y + height)
            page.draw_rect(cell, color=(0, 0, 0), width=0.8)
            if text:
                html_text = "<br>".join(esc(line) for line in text.splitlines())
                page.insert_htmlbox(cell + (CELL_PAD, CELL_PAD, -CELL_PAD, -CELL_PAD), f"<p>{html_text}</p>",
                                    css=FORM_CSS, archive=archive)  # fmt: skip
        y += height
    for note in form.notes:
        height = _cell_height(note, BODY_RECT.width) * 12 / 14
        if y + height > BODY_RECT.y1:
            page = doc.new_page(width=PAGE.width, height=PAGE.height)
            y = BODY_RECT.y0
        page.insert_htmlbox(pymupdf.Rect(BODY_RECT.x0, y + 4, BODY_RECT.x1, y + 4 + height),
                            f'<p class="note">{esc(note)}</p>', css=FORM_CSS, archive=archive)  # fmt: skip
        y += height + 4
    doc.set_metadata({"title": form.title, "creator": "Gongkai", "producer": "Gongkai"})
    doc.set_language("zh-CN")
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def oral_record(application: Application) -> SignableForm:
    """口头申请记录: what the clerk wrote down for the applicant (Art. 29), to be read back and
    signed by the applicant and the clerk."""
    a = application
    identity = " ".join(
        x for x in (a.get_id_type_display() if a.id_type else "", a.id_number or a.org_code) if x
    )
    rows = [
        (_("受理机关"), a.agency.name),
        (_("申请编号"), a.tracking_no),
        (_("收到申请之日"), cn_date(a.received_on) if a.received_on else ""),
        (_("申请人姓名或名称"), f"{a.name}（{a.get_applicant_type_display()}）"),
        (_("证件类型及号码"), identity),
        (_("联系人"), a.contact_name),
        (_("联系电话"), a.phone),
        (_("电子邮箱"), a.email),
        (_("通信地址"), " ".join(x for x in (a.address, a.postcode) if x)),
        (_("所需信息的内容描述"), a.description),
        (_("文件名称、文号或其他特征"), a.doc_no),
        (_("用途"), a.purpose),
        (_("获取信息的方式"), a.get_form_display()),
        (_("获取信息的途径"), a.get_delivery_display()),
    ]
    return SignableForm(
        title=_("政府信息公开口头申请记录"),
        rows=rows,
        signatures=[_("申请人确认签字（捺印）及日期"), _("记录人签字及日期")],
        notes=[
            _(
                "申请人以书面形式提出申请确有困难的，可以口头提出，由受理机关代为填写政府信息公开申请（《中华人民共和国政府信息公开条例》第二十九条）。"
            ),
            _("以上记录已向申请人宣读（或由申请人阅读），申请人确认无误后签字。"),
        ],
    )


def delivery_receipt(letter: Letter, dispatch: Dispatch | None = None) -> SignableForm:
    """送达回证: the document served, on whom, how, and the boxes the addressee (签收人) and the
    server (送达人) sign, with the date of receipt."""
    a = letter.application
    method = dispatch.get_method_display() if dispatch else a.get_delivery_display()
    posted = ""
    if dispatch is not None and dispatch.method == Delivery.POST:
        posted = " ".join(x for x in (dispatch.carrier, dispatch.tracking_no) if x)
    rows = [
        (_("送达机关"), a.agency.name),
        (_("送达文书名称及文号"), " ".join(x for x in (letter.title, letter.letter_no) if x)),
        (_("申请编号"), a.tracking_no),
        (_("受送达人"), a.name),
        (_("送达地址"), " ".join(x for x in (a.address, a.postcode) if x)),
        (_("送达方式"), method + (f"（{posted}）" if posted else "")),
        (_("交寄（发出）日期"), cn_date(dispatch.posted_on) if dispatch else ""),
    ]
    return SignableForm(
        title=_("送达回证"),
        rows=rows,
        signatures=[
            _("受送达人签收（签名或盖章）"),
            _("签收日期"),
            _("代收人及代收理由"),
            _("送达人"),
            _("备注"),
        ],
        notes=[
            _("受送达人签收后请将本回证交回或寄回送达机关。本回证打印于%(on)s。")
            % {"on": cn_date(timezone.localdate())}
        ],
    )


def oral_record_pdf(application: Application) -> bytes:
    return form_pdf(oral_record(application))


def delivery_receipt_pdf(letter: Letter, dispatch: Dispatch | None = None) -> bytes:
    return form_pdf(delivery_receipt(letter, dispatch))
