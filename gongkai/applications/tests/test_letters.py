"""Letters: every kind and outcome renders with its legal basis and remedies; PDF and DOCX keep the
text (extractable, escaped) and the Chinese typography; edited templates fail with a message."""

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime

import docx
import pymupdf
import pypdf
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from gongkai.applications import letters
from gongkai.applications.letters import (
    OUTCOMES,
    LetterDataError,
    LetterKind,
    LetterTemplateError,
    default_template,
    letter_docx,
    letter_pdf,
    receipt_pdf,
    render_letter,
    sample_context,
)
from gongkai.core.files.cjk_font import CJKFontError, _sfnt, cjk_face, cjk_font_subset, find_cjk_font

REG = "《中华人民共和国政府信息公开条例》"
RECONSIDERATION_FIRST = "您应当先向江州市人民政府（地址：江州市滨江区人民路1号市民中心）申请行政复议"
EITHER = (
    "可以自收到本答复之日起60日内向江州市人民政府（地址：江州市滨江区人民路1号市民中心）申请行政复议，"
    "也可以自收到本答复之日起6个月内直接向江州市滨江区人民法院（地址：江州市滨江区法院路8号）提起行政诉讼"
)
# Reconsideration Law (2023) Art. 23(1)(4): only a refusal to disclose (不予公开) goes to
# reconsideration first. Written out here, not taken from the code.
REFUSALS = [
    "withheld_state_secret",
    "withheld_law",
    "withheld_security",
    "withheld_third_party",
    "withheld_internal",
    "withheld_process",
    "withheld_enforcement",
    "withheld_inquiry",
]
CJK = re.compile("[\u4e00-\u9fff]")
CITED = "第[一二三四五六七八九十]+条(第[一二三四五六七八九十]+[款项])*"

# The article each outcome's reply must cite (2019 Regulation), written out here independently.
ARTICLES = {
    "disclosed": "第三十六条第二项",
    "partially_disclosed": "第三十七条",
    "withheld_state_secret": "第十四条",
    "withheld_law": "第十四条",
    "withheld_security": "第十四条",
    "withheld_third_party": "第十五条",
    "withheld_internal": "第十六条第一款",
    "withheld_process": "第十六条第二款",
    "withheld_enforcement": "第十六条第二款",
    "withheld_inquiry": "第三十六条第七项",
    "unavailable_not_held": "第三十六条第五项",
    "unavailable_needs_creation": "第三十八条",
    "unavailable_unclear": "第三十条",
    "unprocessed_petition": "第三十九条第一款",
    "unprocessed_repeat": "第三十六条第六项",
    "unprocessed_publication": "第三十九条第二款",
    "unprocessed_excessive": "第三十五条",
    "unprocessed_confirmation": "第二条",
    "other_no_correction": "第三十条",
    "other_fee_unpaid": "第四十二条",
    "other": "",
}


def reply(outcome: str, **changes) -> letters.RenderedLetter:
    return render_letter(LetterKind.REPLY, replace(sample_context(outcome), **changes))


def squeeze(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines where the layout wrapped them."""
    return re.sub(r"\s+", "", text)


def pdf_texts(data: bytes) -> tuple[str, str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        by_pymupdf = "".join(page.get_text() for page in doc)
    by_pypdf = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return squeeze(by_pymupdf), squeeze(by_pypdf)


# ---------------------------------------------------------------- kinds and outcomes


def test_the_outcome_codes_are_those_of_the_interface_spec():
    assert set(OUTCOMES) == set(ARTICLES)
    assert len([o for o in OUTCOMES if o.startswith("withheld_")]) == 8


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_kind_renders_its_title_number_date_and_seal(kind):
    letter = render_letter(kind, sample_context())
    assert letter.title == kind.label
    assert letter.letter_no == "江教公复〔2026〕12号"
    assert letter.paragraphs and all(p.strip() == p and p for p in letter.paragraphs)
    assert letter.seal_lines[-1].endswith("2026年11月29日")
    if kind is not LetterKind.REGISTER_FORM:
        assert letter.seal_lines[0] == "江州市教育局（印章）"
        assert "2026年11月2日" in letter.text()  # the receipt date


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_outcome_cites_its_article(outcome):
    text = reply(outcome, reasons="经核查，所需信息不属于本次可以提供的范围。").text()
    if ARTICLES[outcome]:  # cited right after the Regulation's name, possibly after another article
        assert re.search(re.escape(REG) + f"({CITED}、)*" + ARTICLES[outcome], text)
    assert "2026年11月2日" in text and "JZJY-2026-000012" in text
    if outcome == "other":
        assert "经核查，所需信息不属于本次可以提供的范围。" in text


@pytest.mark.parametrize(
    "outcome", [o for o in OUTCOMES if o.startswith("withheld_") and o != "withheld_inquiry"]
)
def test_refusals_state_the_ground_article_and_art_36_3(outcome):
    text = reply(outcome).text()
    assert "第三十六条第三项" in text and "本机关决定不予公开" in text


@pytest.mark.parametrize("outcome", REFUSALS)
def test_a_refusal_to_disclose_requires_reconsideration_first_and_names_the_body(outcome):
    text = reply(outcome).text()
    assert RECONSIDERATION_FIRST in text
    assert "《中华人民共和国行政复议法》第二十三条" in text
    assert "自收到本答复之日起60日内" in text
    assert "6个月" not in text  # no direct route to court


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o not in REFUSALS and o != "partially_disclosed"])
def test_every_other_outcome_offers_reconsideration_or_a_suit_with_both_named(outcome):
    text = reply(outcome, reasons="说明。").text()
    assert EITHER in text
    assert "应当先" not in text and "第二十三条" not in text


def test_a_partial_disclosure_requires_reconsideration_first_for_the_part_refused_only():
    text = reply("partially_disclosed").text()
    assert (
        "如对本答复中不予公开部分的决定不服，根据《中华人民共和国行政复议法》第二十三条的规定，"
        + RECONSIDERATION_FIRST
    ) in text
    assert "对本答复的其他内容不服，" + EITHER in text


def test_information_not_held_no_longer_costs_the_applicant_the_direct_route_to_court():
    # 信息不存在 is not a refusal to disclose: the letter must not send the applicant to
    # reconsideration first (before this fix it did).
    text = reply("unavailable_not_held", reasons="经检索，本机关不掌握该信息。").text()
    assert "6个月内直接向江州市滨江区人民法院（地址：江州市滨江区法院路8号）提起行政诉讼" in text
    assert RECONSIDERATION_FIRST not in text


def test_a_transfer_notice_offers_either_remedy():
    text = render_letter(LetterKind.TRANSFER, sample_context()).text()
    assert "6个月内直接向江州市滨江区人民法院" in text and "应当先" not in text


@pytest.mark.parametrize(
    ("outcome", "missing", "label"),
    [
        ("withheld_law", "reconsideration_address", "行政复议机关地址"),
        ("disclosed", "court", "管辖人民法院"),
        ("unavailable_not_held", "court_address", "人民法院地址"),
    ],
)
def test_a_reply_without_a_remedy_fact_it_names_is_refused(outcome, missing, label):
    with pytest.raises(LetterDataError, match=label):
        reply(outcome, reasons="说明。", **{missing: ""})


def test_a_refusal_needs_no_court_since_reconsideration_comes_first():
    assert "行政复议机关" in reply("withheld_law", court="", court_address="").text()


def test_an_edited_template_may_not_send_the_applicant_to_reconsideration_first_without_cause():
    edited = default_template(LetterKind.REPLY, "withheld_law")
    with pytest.raises(LetterTemplateError, match="不得要求申请人先申请行政复议"):
        render_letter(LetterKind.REPLY, sample_context("unavailable_needs_creation"), edited)


def test_disclosure_offers_either_remedy_and_claims_nothing_withheld():
    text = reply("disclosed").text()
    assert "本机关予以公开" in text and "提供方式：电子邮件" in text
    assert "不予公开" not in text and "不予提供" not in text and RECONSIDERATION_FIRST not in text
    assert EITHER in text


def test_information_already_published_is_pointed_to_under_art_36_1():
    text = reply("disclosed", published_where="江州市人民政府门户网站政府信息公开专栏").text()
    assert "第三十六条第一项" in text and "江州市人民政府门户网站政府信息公开专栏" in text


def test_partial_disclosure_lists_each_withheld_part_with_its_ground():
    parts = [("学生姓名", "涉及个人隐私"), ("供应商报价明细", "涉及商业秘密")]
    paragraphs = reply("partially_disclosed", withheld_parts=parts).paragraphs
    assert "（1）学生姓名：涉及个人隐私" in paragraphs
    assert "（2）供应商报价明细：涉及商业秘密" in paragraphs


def test_not_held_without_another_agency_says_the_information_does_not_exist():
    text = reply("unavailable_not_held", other_agency_name="").text()
    assert "第三十六条第四项" in text and "该政府信息不存在" in text and "江州市财政局" not in text


def test_not_this_agencys_names_the_agency_and_its_contact():
    text = reply("unavailable_not_held").text()
    assert "江州市财政局（联系方式：0576-88881111）" in text


def test_the_all_outcomes_reply_template_renders_like_each_outcomes_own():
    combined = default_template(LetterKind.REPLY)
    for outcome in OUTCOMES:
        ctx = sample_context(outcome)
        assert render_letter("reply", ctx, combined) == render_letter("reply", ctx)


def test_the_third_party_is_not_told_who_applied():
    text = render_letter(LetterKind.THIRD_PARTY_REQUEST, sample_context()).text()
    assert "张三" not in text and "JZJY-2026-000012" not in text
    assert text.splitlines()[3] == "江州市某某科技有限公司："


def test_the_third_party_told_of_disclosure_gets_the_either_remedy():
    text = render_letter(LetterKind.THIRD_PARTY_DECISION_NOTICE, sample_context()).text()
    assert (
        "决定予以公开" in text and "6个月内直接向江州市滨江区人民法院（地址：江州市滨江区法院路8号）" in text
    )


def test_correction_notice_lists_items_period_and_consequence():
    ctx = replace(sample_context(), correction_items=["所需信息的文号", "获取信息的方式"], correction_days=10)
    text = render_letter(LetterKind.CORRECTION, ctx).text()
    assert "（1）所需信息的文号" in text and "（2）获取信息的方式" in text
    assert "10个工作日内" in text and "视为放弃申请" in text and "第三十条" in text


def test_fee_notice_states_amount_basis_and_deadline():
    text = render_letter(LetterKind.FEE_NOTICE, sample_context()).text()
    assert "人民币100.00元" in text and "按件计收" in text and "2026年12月28日前" in text


def test_multi_line_reasons_become_paragraphs_and_one_line_fields_stay_one_line():
    ctx = replace(
        sample_context("withheld_process"), reasons="第一点理由。\n\n第二点理由。", description="甲\n乙"
    )
    letter = render_letter("reply", ctx)
    assert "第一点理由。" in letter.paragraphs and "第二点理由。" in letter.paragraphs
    assert "“甲 乙”" in letter.paragraphs[1]


def test_dates_are_written_in_chinese_without_leading_zeros():
    assert letters.cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert letters.cn_date(datetime(2026, 11, 28, 17, 0, tzinfo=UTC)) == "2026年11月29日"  # Shanghai
    assert letters.cn_date(None) == ""


# ---------------------------------------------------------------- data the law requires


def test_an_extension_beyond_20_working_days_is_refused():
    with pytest.raises(LetterDataError, match="延长的期限"):
        render_letter(LetterKind.EXTENSION, replace(sample_context(), extension_days=21))


def test_an_adverse_reply_without_the_reconsideration_body_is_refused():
    with pytest.raises(LetterDataError, match="行政复议机关"):
        reply("withheld_law", reconsideration_body="")


def test_a_correction_notice_without_items_is_refused():
    with pytest.raises(LetterDataError, match="需要补正的事项"):
        render_letter(LetterKind.CORRECTION, replace(sample_context(), correction_items=[]))


def test_an_overlong_letter_is_refused():
    with pytest.raises(LetterDataError, match="信函过长"):
        reply("withheld_process", reasons="字" * 100_001)


def test_a_reply_needs_a_known_outcome():
    with pytest.raises(ValueError):
        render_letter(LetterKind.REPLY, sample_context(""))
    with pytest.raises(ValueError):
        default_template(LetterKind.REPLY, "withheld_unknown")


# ---------------------------------------------------------------- edited templates

GOOD = "{% block title %}答复{% endblock %}{% block body %}\n{{ applicant_name }}\n{% endblock %}{% block seal %}X{% endblock %}"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        (GOOD.replace("{% endblock %}{% block seal", "{% if %}{% endblock %}{% block seal"), "语法错误"),
        (GOOD.replace("{% endblock %}{% block seal %}X{% endblock %}", "{% block seal %}X"), "语法错误"),
        (GOOD.replace("applicant_name", "aplicant_name"), "aplicant_name"),
        (GOOD.replace("{{ applicant_name }}", "{{ received_on.nope }}"), "received_on.nope"),
        (GOOD.replace("{% block body %}", "{% block bdy %}"), "bdy"),
        (GOOD.replace("{% block seal %}X{% endblock %}", ""), "seal"),
        (GOOD + "{% debug %}", "debug"),
        (GOOD.replace("{{ applicant_name }}", "{% debug %}"), "debug"),
        (GOOD.replace("{{ applicant_name }}", '{% include "base.html" %}'), "include"),
        ('{% extends "base.html" %}' + GOOD, "extends"),
        ("{% load static %}" + GOOD, "static"),
        (GOOD + "区块外的文字", "block"),
        (GOOD.replace("{{ applicant_name }}", "{{ fee_amount|divisibleby:0 }}"), "无法生成"),
        (GOOD.replace("答复", ""), "标题"),
    ],
)
def test_a_broken_template_raises_letter_template_error_in_chinese(template, message):
    with pytest.raises(LetterTemplateError) as caught:
        render_letter(LetterKind.RECEIPT, sample_context(), template)
    assert message in str(caught.value) and CJK.search(str(caught.value))


def test_an_edited_template_is_used_as_written():
    edited = default_template(LetterKind.EXTENSION).replace("特此告知。", "特此函告，敬请谅解。")
    letter = render_letter(LetterKind.EXTENSION, sample_context(), edited)
    assert "特此函告，敬请谅解。" in letter.paragraphs and "特此告知。" not in letter.paragraphs
    assert letters.check_template(LetterKind.EXTENSION, edited).title == "政府信息公开申请延期答复告知书"


def test_an_edited_reply_may_not_drop_the_remedy():
    edited = default_template(LetterKind.REPLY, "withheld_law")
    edited = "\n".join(line for line in edited.splitlines() if "行政复议" not in line)
    with pytest.raises(LetterTemplateError, match="行政复议机关“江州市人民政府”"):
        render_letter(LetterKind.REPLY, sample_context("withheld_law"), edited)


def test_check_template_tries_every_outcome_of_an_all_outcomes_reply():
    broken = default_template(LetterKind.REPLY).replace("第三十八条的规定", "第三十八条的规定{{ nope }}")
    with pytest.raises(LetterTemplateError, match="nope"):
        letters.check_template(LetterKind.REPLY, broken)


# ---------------------------------------------------------------- PDF

HOSTILE = '<script>alert("x")</script> & 李四 <b>'


def test_pdf_text_holds_title_number_applicant_and_date():
    data = letter_pdf(reply("withheld_third_party"))
    assert data.startswith(b"%PDF")
    for text in pdf_texts(data):
        for needle in (
            "政府信息公开申请答复书",
            "江教公复〔2026〕12号",
            "张三：",
            "2026年11月29日",
            "第十五条",
        ):
            assert needle in text, needle
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.metadata["title"] == "政府信息公开申请答复书 江教公复〔2026〕12号"
        assert doc.page_count >= 1 and doc[0].rect.width == pytest.approx(595, abs=1)  # A4


def test_pdf_embeds_a_small_subset_of_the_serif_font():
    data = letter_pdf(reply("partially_disclosed"))
    assert len(data) < 150_000  # the whole face alone is 24 MB
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        names = {font[3] for page in doc for font in page.get_fonts()}
    assert {"Noto Serif CJK SC Regular", "Noto Serif CJK SC Bold"} <= {n.split("+")[-1] for n in names}


def test_markup_and_ampersands_in_values_appear_literally():
    ctx = replace(sample_context("disclosed"), applicant_name=HOSTILE + "\x07", description="A&B <i>教育</i>")
    letter = render_letter(LetterKind.REPLY, ctx)
    assert letter.paragraphs[0] == HOSTILE + "："  # the control character is gone
    for text in pdf_texts(letter_pdf(letter)):
        assert squeeze(HOSTILE) in text and squeeze("A&B <i>教育</i>") in text
    paragraphs = [p.text for p in docx.Document(io.BytesIO(letter_docx(letter))).paragraphs]
    assert HOSTILE + "：" in paragraphs


def test_a_long_letter_runs_over_pages_with_page_numbers():
    reasons = "\n".join(
        f"第{i}点：该信息属于内部工作流程，公开后不具有独立的社会意义。" for i in range(1, 60)
    )
    data = letter_pdf(reply("withheld_internal", reasons=reasons))
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert doc.page_count >= 3
        assert "—2—" in squeeze(doc[1].get_text())
        assert "江州市教育局（印章）" in squeeze(doc[-1].get_text())


def test_pdf_page_is_not_blank_and_a_sample_is_saved_for_review():
    data = letter_pdf(reply("partially_disclosed"))
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        pix = doc[0].get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
        pix.save("/tmp/letters-sample.png")
    dark = sum(1 for value in pix.samples if value < 160) / len(pix.samples)
    assert 0.01 < dark < 0.3


def test_every_kind_makes_a_pdf_and_a_docx():
    for kind in LetterKind:
        letter = render_letter(kind, sample_context("withheld_security"))
        assert letter.title in pdf_texts(letter_pdf(letter))[0]
        assert docx.Document(io.BytesIO(letter_docx(letter))).paragraphs[0].text == letter.title


def test_receipt_pdf_shows_tracking_number_query_code_and_pending_receipt_date():
    ctx = replace(sample_context(), received_on=None, due_on=None)
    for text in pdf_texts(receipt_pdf(ctx)):
        assert "政府信息公开申请提交回执" in text
        assert "JZJY-2026-000012" in text and "K7P3-Q9XD" in text
        assert "收到申请日期：待确认" in text and "20个工作日" in text and "（印章）" not in text
    with pytest.raises(LetterDataError, match="查询码"):
        receipt_pdf(replace(ctx, query_code=""))


def test_receipt_pdf_gives_the_computed_due_date_when_known():
    text = pdf_texts(receipt_pdf(sample_context()))[0]
    assert "收到申请日期：2026年11月2日" in text and "答复期限至2026年11月30日" in text


# ---------------------------------------------------------------- DOCX


def test_docx_keeps_the_paragraphs_layout_and_east_asian_font():
    letter = reply("withheld_process")
    document = docx.Document(io.BytesIO(letter_docx(letter)))
    paragraphs = document.paragraphs
    expected = [letter.title, letter.letter_no, *letter.paragraphs, *letter.seal_lines]
    assert [p.text for p in paragraphs] == expected
    title, number, addressee, first = paragraphs[:4]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert addressee.paragraph_format.first_line_indent is None  # flush left
    assert first.paragraph_format.first_line_indent == Pt(32)  # two characters of 16 pt
    assert paragraphs[-1].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    for paragraph in paragraphs[1:]:
        for run in paragraph.runs:
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    assert document.core_properties.title == "政府信息公开申请答复书 江教公复〔2026〕12号"


def test_plain_text_indents_body_paragraphs_but_not_the_addressee():
    lines = reply("disclosed").text().splitlines()
    assert lines[:4] == ["政府信息公开申请答复书", "江教公复〔2026〕12号", "", "张三："]
    assert lines[4].startswith("\u3000\u3000本机关于2026年11月2日")


# ---------------------------------------------------------------- the font


def test_the_font_is_the_simplified_chinese_serif_face_of_fonts_noto_cjk():
    face = cjk_face()
    assert face.family == "Noto Serif CJK SC"
    assert face.path == find_cjk_font()


def test_a_missing_font_says_what_to_install(tmp_path):
    with pytest.raises(CJKFontError, match="fonts-noto-cjk"):
        find_cjk_font(dirs=[str(tmp_path)])


def test_the_subset_draws_the_same_glyphs_as_the_whole_face():
    # Not "——" nor Latin pairs: the subset drops GSUB/GPOS, so those lose joining and kerning.
    text = "政府信息公开申请答复书江教公复〔2026〕12号。经审查，“门说这里”（印章）— 第三十六条"
    face = cjk_face()
    whole = _sfnt({tag: bytes(data) for tag, data in face.tables.items()})

    def draw(font: bytes) -> bytes:
        archive = pymupdf.Archive()
        archive.add(font, "f.otf")
        with pymupdf.open() as doc:
            page = doc.new_page()
            css = "@font-face {font-family: F; src: url(f.otf);} p {font-family: F; font-size: 15pt;}"
            page.insert_htmlbox(page.rect + (40, 40, -40, -40), f"<p>{text}</p>", css=css, archive=archive)
            return page.get_pixmap(dpi=120).samples

    assert draw(cjk_font_subset(text)) == draw(whole)


def test_no_pdf_line_starts_with_closing_punctuation():
    reasons = "\n".join("甲" * n + "，乙乙乙。" for n in range(20, 32))  # a comma at every line end position
    with pymupdf.open(stream=letter_pdf(reply("withheld_process", reasons=reasons)), filetype="pdf") as doc:
        lines = "".join(page.get_text() for page in doc).splitlines()
    assert not [line for line in lines if line[:1] in "，。、；：）”》"]
