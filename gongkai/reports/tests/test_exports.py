"""Exports of the annual report: the web page, XLSX, DOCX and PDF lay the tables out as the national
form (国办公开办函〔2021〕30号), with every label verbatim and every figure in its own cell.

The sample report below is built by hand: every cell holds a different number, so a figure drawn in
the wrong row or column is caught. Labels are written out here, not taken from the code."""

import io
import re
from decimal import Decimal

import docx
import openpyxl
import pymupdf
import pypdf
import pytest
from docx.oxml.ns import qn

from gongkai.reports.exports import export, render_html
from gongkai.reports.layout import format_figure

TITLE = "江州市人民政府办公室政府信息公开工作年度报告（2024年）"
HEADINGS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COLUMNS = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
]
# Table 2's rows in the official order: (key, label, level); groups carry no figure.
ROWS = [
    ("received", "一、本年新收政府信息公开申请数量", 0),
    ("carried_over", "二、上年结转政府信息公开申请数量", 0),
    (None, "三、本年度办理结果", 0),
    ("disclosed", "（一）予以公开", 1),
    ("partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("withheld", "（三）不予公开", 1),
    ("withheld_state_secret", "1.属于国家秘密", 2),
    ("withheld_law", "2.其他法律行政法规禁止公开", 2),
    ("withheld_security", "3.危及“三安全一稳定”", 2),
    ("withheld_third_party", "4.保护第三方合法权益", 2),
    ("withheld_internal", "5.属于三类内部事务信息", 2),
    ("withheld_process", "6.属于四类过程性信息", 2),
    ("withheld_enforcement", "7.属于行政执法案卷", 2),
    ("withheld_inquiry", "8.属于行政查询事项", 2),
    ("unavailable", "（四）无法提供", 1),
    ("unavailable_not_held", "1.本机关不掌握相关政府信息", 2),
    ("unavailable_needs_creation", "2.没有现成信息需要另行制作", 2),
    ("unavailable_unclear", "3.补正后申请内容仍不明确", 2),
    ("unprocessed", "（五）不予处理", 1),
    ("unprocessed_petition", "1.信访举报投诉类申请", 2),
    ("unprocessed_repeat", "2.重复申请", 2),
    ("unprocessed_publication", "3.要求提供公开出版物", 2),
    ("unprocessed_excessive", "4.无正当理由大量反复申请", 2),
    ("unprocessed_confirmation", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("other_handling", "（六）其他处理", 1),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("other", "3.其他", 2),
    ("total", "（七）总计", 1),
    ("carried_forward", "四、结转下年度继续办理", 0),
]
GROUPS = {"withheld", "unavailable", "unprocessed", "other_handling"}
LEAVES = [(key, label) for key, label, _level in ROWS if key and key not in GROUPS]
KINDS = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
RESULTS = ["upheld", "corrected", "other", "pending", "total"]


def sample_data(**changes) -> dict:
    table2 = {}
    for i, (key, _label, _level) in enumerate(r for r in ROWS if r[0]):
        table2[key] = {column: 1000 + 10 * i + j for j, column in enumerate(COLUMNS)}
    data = {
        "agency": {"code": "11330100002483012X", "name": "江州市人民政府办公室"},
        "year": 2024,
        "format": "2021",
        "tables": {
            "table1": {
                "regulations": {"issued": 1, "repealed": 2, "in_force": 3},
                "normative_documents": {"issued": 4, "repealed": 5, "in_force": 6},
                "licensing": {"decisions": 7},
                "penalty": {"decisions": 8},
                "enforcement": {"decisions": 9},
                "fees": {"amount_10k_yuan": 12.35},
            },
            "table2": table2,
            "table3": {
                kind: {r: 100 * i + 10 * j for j, r in enumerate(RESULTS, 1)}
                for i, kind in enumerate(KINDS, 5)
            },
        },
        "checks": [],
        "manual": ["table1.fees.amount_10k_yuan"],
    }
    data.update(changes)
    return data


NARRATIVE = {
    "overview": "2024年，本机关认真贯彻《中华人民共和国政府信息公开条例》。\n\n全年主动公开政府信息1234条。",
    "problems": "存在的问题：公开内容不够全面。\n\n改进措施：加强培训。",
    "other": "本机关无其他需要报告的事项。",
    "fees_section": "本年度发出收费通知0件，收取信息处理费0元。",
}


def figure(key: str, column: str) -> int:
    return sample_data()["tables"]["table2"][key][column]


def squeeze(text: str) -> str:
    """Text without whitespace: the layout wraps labels inside narrow cells."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def exported():
    return {fmt: export(sample_data(), fmt, NARRATIVE) for fmt in ("html", "xlsx", "docx", "pdf")}


# ---------------------------------------------------------------- layout


def test_figures_print_without_trailing_zeros_and_blank_when_missing():
    assert format_figure(12.35) == "12.35"
    assert format_figure(Decimal("3.5000")) == "3.5"
    assert format_figure(Decimal("20.0000")) == "20"
    assert format_figure(0) == "0"
    assert format_figure(None) == ""


def test_unknown_format_and_unknown_layout_are_refused_with_a_message():
    with pytest.raises(ValueError, match="unknown export format"):
        export(sample_data(), "odt", NARRATIVE)
    with pytest.raises(ValueError, match="layout '2008'"):
        export(sample_data(format="2008"), "html", NARRATIVE)


def test_each_format_has_its_file_signature(exported):
    assert exported["html"].startswith(b"<!DOCTYPE html>")
    assert exported["pdf"].startswith(b"%PDF-")
    assert exported["xlsx"][:2] == exported["docx"][:2] == b"PK"


# ---------------------------------------------------------------- HTML


def html_rows(page: str) -> list[list[str]]:
    """The table rows of the page as lists of cell texts (tags stripped)."""
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", page, re.S)
    ]


def test_html_holds_title_headings_note_and_every_table2_label_exactly_once():
    page = render_html(sample_data(), NARRATIVE)
    assert f"<title>{TITLE}</title>" in page
    assert page.count(NOTE) == 1
    for heading in HEADINGS:
        assert page.count(heading) == 1, heading
    for _key, label, _level in ROWS:
        assert page.count(label) == 1, label


def test_html_draws_each_table2_figure_in_its_row_and_column():
    rows = html_rows(render_html(sample_data(), NARRATIVE))
    for key, label in LEAVES:
        (row,) = [r for r in rows if label in r]
        assert row[-7:] == [str(figure(key, c)) for c in COLUMNS], label


def test_html_group_rows_carry_no_figure_of_their_own():
    page = render_html(sample_data(), NARRATIVE)
    # The group labels are merged down over their numbered rows, as on the national form.
    assert re.search(r'<th scope="row" rowspan="22"[^>]*>三、本年度办理结果</th>', page)
    for label, rows in (
        ("（三）不予公开", 8),
        ("（四）无法提供", 3),
        ("（五）不予处理", 5),
        ("（六）其他处理", 3),
    ):
        assert re.search(rf'<th scope="row" rowspan="{rows}"[^>]*>{label}</th>', page), label
    for group in GROUPS:  # the JSON's subtotals are for checking, not printed
        for column in COLUMNS:
            assert f">{figure(group, column)}<" not in page


def test_html_table2_header_has_applicant_types_under_merged_cells():
    rows = html_rows(render_html(sample_data(), NARRATIVE))
    start = next(i for i, r in enumerate(rows) if NOTE in r)
    assert rows[start] == [NOTE, "申请人情况"]
    assert rows[start + 1] == ["自然人", "法人或其他组织", "总计"]
    assert rows[start + 2] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    page = render_html(sample_data(), NARRATIVE)
    assert re.search(rf'<th scope="col" rowspan="3" colspan="3"[^>]*>{NOTE}</th>', page)
    assert re.search(r'<th scope="col" colspan="5"[^>]*>法人或其他组织</th>', page)


def test_html_table1_and_table3_figures_sit_under_their_headings():
    rows = html_rows(render_html(sample_data(), NARRATIVE))
    assert ["规章", "1", "2", "3"] in rows
    assert ["行政规范性文件", "4", "5", "6"] in rows
    assert ["行政许可", "7"] in rows and ["行政处罚", "8"] in rows and ["行政强制", "9"] in rows
    assert ["行政事业性收费", "12.35*"] in rows
    assert ["行政复议", "行政诉讼"] in rows and ["未经复议直接起诉", "复议后起诉"] in rows
    assert ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3 in rows
    assert [str(n) for n in range(510, 551, 10)] + [str(n) for n in range(610, 651, 10)] + [
        str(n) for n in range(710, 751, 10)
    ] in rows


def test_html_marks_hand_entered_figures_and_explains_the_mark():
    page = render_html(sample_data(), NARRATIVE)
    assert re.search(r'<td [^>]*class="figure manual"[^>]*>12\.35<sup class="manual-mark"', page)
    assert "注：标“*”的数字为人工填报。" in page
    plain = render_html(sample_data(manual=[]), NARRATIVE)
    assert 'class="manual-mark"' not in plain and "人工填报。" not in plain


def test_html_narrative_is_split_into_paragraphs_and_escaped():
    narrative = {**NARRATIVE, "problems": "第一段<script>alert(1)</script>\n\n第二段"}
    page = render_html(sample_data(agency={"code": "x", "name": "A&B局"}), narrative)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "A&amp;B局" in page
    assert '<p class="body">第二段</p>' in page
    section6 = page[page.index("六、其他需要报告的事项") :]
    assert section6.index("收取信息处理费") < section6.index("无其他需要报告的事项")


# ---------------------------------------------------------------- XLSX


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_the_text_sheet_then_one_sheet_per_table(exported):
    book = workbook(exported["xlsx"])
    assert book.sheetnames == ["报告正文", "表1 主动公开", "表2 依申请公开", "表3 复议诉讼"]
    texts = [c.value for c in book["报告正文"]["A"] if c.value]
    assert texts[0] == TITLE
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    assert "全年主动公开政府信息1234条。" in texts


def test_xlsx_table2_merges_cells_as_the_national_form(exported):
    sheet = workbook(exported["xlsx"])["表2 依申请公开"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # header: the note over three label columns and three rows; applicant types below 申请人情况
    assert {"A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5"} <= merged
    # 一, 二, （一）, （二）, （七） and 四 span the label columns to their right
    assert {"A6:C6", "A7:C7", "B8:C8", "B9:C9", "B29:C29", "A30:C30"} <= merged
    # 三 over its 22 rows, each group over its numbered rows
    assert {"A8:A29", "B10:B17", "B18:B20", "B21:B25", "B26:B28"} <= merged
    assert sheet["A3"].value == NOTE
    assert [sheet.cell(4, c).value for c in (4, 5, 10)] == ["自然人", "法人或其他组织", "总计"]
    assert [sheet.cell(5, c).value for c in range(5, 10)] == [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]


def test_xlsx_table2_labels_are_verbatim_and_figures_in_their_row_and_column(exported):
    sheet = workbook(exported["xlsx"])["表2 依申请公开"]
    labels = {}
    for row in sheet.iter_rows(min_row=6, max_row=30, max_col=3):
        for cell in row:
            if cell.value:
                labels[cell.value] = cell.row
    assert sorted(labels) == sorted(label for _key, label, _level in ROWS)
    for key, label in LEAVES:
        values = [sheet.cell(labels[label], col).value for col in range(4, 11)]
        assert values == [figure(key, c) for c in COLUMNS], label
    for label, column in (("三、本年度办理结果", "A"), ("（三）不予公开", "B"), ("（六）其他处理", "B")):
        assert sheet[f"{column}{labels[label]}"].value == label  # groups: merged label, no figure row


def test_xlsx_table1_and_table3_figures_are_numbers_in_place(exported):
    book = workbook(exported["xlsx"])
    t1 = book["表1 主动公开"]
    assert [[c.value for c in row] for row in t1["A3:D6"]] == [
        ["第二十条第（一）项", None, None, None],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", 1, 2, 3],
        ["行政规范性文件", 4, 5, 6],
    ]
    assert [t1["A9"].value, t1["B9"].value] == ["行政许可", 7]
    assert [t1["A16"].value, t1["B15"].value, t1["B16"].value] == [
        "行政事业性收费",
        "本年收费金额（单位：万元）",
        12.35,
    ]
    assert "B16:D16" in {str(r) for r in t1.merged_cells.ranges}
    assert t1["B16"].comment is not None and t1["B9"].comment is None
    t3 = book["表3 复议诉讼"]
    assert {"A3:E4", "F3:O3", "F4:J4", "K4:O4"} <= {str(r) for r in t3.merged_cells.ranges}
    assert [t3["A3"].value, t3["F3"].value, t3["F4"].value, t3["K4"].value] == [
        "行政复议",
        "行政诉讼",
        "未经复议直接起诉",
        "复议后起诉",
    ]
    assert [c.value for c in t3[5]] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert [c.value for c in t3[6]] == [100 * i + 10 * j for i in (5, 6, 7) for j in range(1, 6)]


def test_xlsx_neutralises_text_a_spreadsheet_would_run_as_a_formula():
    data = sample_data(agency={"code": "x", "name": '=HYPERLINK("http://evil")'})
    narrative = {**NARRATIVE, "overview": "@SUM(A1)\n\n-1+2\n\n+cmd"}
    book = workbook(export(data, "xlsx", narrative))
    texts = [c.value for c in book["报告正文"]["A"] if isinstance(c.value, str)]
    assert texts[0].startswith("'=HYPERLINK")
    assert {"'@SUM(A1)", "'-1+2", "'+cmd"} <= set(texts)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


# ---------------------------------------------------------------- DOCX


def test_docx_sections_are_headings_with_the_narrative_under_them(exported):
    document = docx.Document(io.BytesIO(exported["docx"]))
    assert document.paragraphs[0].text == TITLE
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == HEADINGS
    texts = [p.text for p in document.paragraphs]
    assert texts.index("全年主动公开政府信息1234条。") < texts.index("二、主动公开政府信息情况")
    run = document.paragraphs[1].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert document.core_properties.title == TITLE


def test_docx_tables_have_merged_cells_and_figures_in_place(exported):
    document = docx.Document(io.BytesIO(exported["docx"]))
    t1, t2, t3 = document.tables
    assert [c.text for c in t1.rows[2].cells] == ["规章", "1", "2", "3"]
    assert [c.text for c in t1.rows[13].cells] == ["行政事业性收费"] + ["12.35*"] * 3  # merged over three
    assert t2.cell(0, 0).text == NOTE and t2.cell(2, 2)._tc is t2.cell(0, 0)._tc
    assert [t2.cell(1, c).text for c in (3, 4, 8, 9)] == [
        "自然人",
        "法人或其他组织",
        "法人或其他组织",
        "总计",
    ]
    assert t2.cell(2, 3)._tc is t2.cell(1, 3)._tc  # 自然人 spans two header rows
    assert t2.cell(5, 0)._tc is t2.cell(26, 0)._tc and t2.cell(26, 0).text == "三、本年度办理结果"
    assert t2.cell(7, 1)._tc is t2.cell(14, 1)._tc and t2.cell(14, 1).text == "（三）不予公开"
    labels = [row.cells[2].text for row in t2.rows[3:]]
    for key, label in LEAVES:
        i = labels.index(label) + 3
        assert [t2.cell(i, c).text for c in range(3, 10)] == [str(figure(key, c)) for c in COLUMNS], label
    assert t3.cell(0, 0).text == "行政复议" and t3.cell(1, 4)._tc is t3.cell(0, 0)._tc
    assert t3.cell(0, 14).text == "行政诉讼" and t3.cell(1, 10).text == "复议后起诉"
    assert [c.text for c in t3.rows[3].cells] == [
        str(100 * i + 10 * j) for i in (5, 6, 7) for j in range(1, 6)
    ]
    fonts = t2.cell(3, 0).paragraphs[0].runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


# ---------------------------------------------------------------- PDF


def test_pdf_text_has_title_labels_and_figures(exported):
    reader = pypdf.PdfReader(io.BytesIO(exported["pdf"]))
    text = squeeze("".join(page.extract_text() for page in reader.pages))
    for expected in [
        TITLE,
        *HEADINGS,
        NOTE,
        "申请人情况",
        "法人或其他组织",
        "第二十条第（八）项",
        "复议后起诉",
    ]:
        assert expected in text, expected
    for _key, label, _level in ROWS:
        assert squeeze(label) in text, label
    for number in ("12.35", "1000", "1286", "510", "750"):
        assert number in text
    assert "收取信息处理费0元" in text
    with pymupdf.open(stream=exported["pdf"], filetype="pdf") as doc:
        assert doc.metadata["title"] == TITLE
        assert all(doc[i].rect.width < doc[i].rect.height for i in range(doc.page_count))  # A4 portrait


def test_pdf_keeps_each_table_on_one_page_and_within_the_margins(exported):
    with pymupdf.open(stream=exported["pdf"], filetype="pdf") as doc:
        pages = ["".join(squeeze(page.get_text())) for page in doc]
        for first, last in ((NOTE, "四、结转下年度继续办理"), ("行政复议", "750")):
            assert any(first in p and last in p for p in pages), first
        for page in doc:
            for block in page.get_text("blocks"):
                assert block[0] >= 20 * 72 / 25.4 - 1 and block[2] <= page.rect.width - 20 * 72 / 25.4 + 1


def test_pdf_page_is_not_blank_and_a_sample_is_saved_for_review(exported):
    with pymupdf.open(stream=exported["pdf"], filetype="pdf") as doc:
        page = next(p for p in doc if NOTE in squeeze(p.get_text()))
        pix = page.get_pixmap(dpi=100, colorspace=pymupdf.csGRAY)
        pix.save("/tmp/report-sample.png")
    dark = sum(1 for value in pix.samples if value < 128)
    assert dark > 0.01 * pix.width * pix.height


def test_pdf_long_narrative_flows_over_pages_and_tables_still_start_whole():
    long_text = "\n\n".join(
        f"第{i}段：本机关持续推进政府信息公开标准化规范化建设，完善公开目录。" * 3 for i in range(60)
    )
    data = export(sample_data(), "pdf", {**NARRATIVE, "overview": long_text})
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        pages = [squeeze(page.get_text()) for page in doc]
    assert len(pages) >= 5
    assert all(f"—{n}—" in page for n, page in enumerate(pages, 1))
    assert "第59段" in "".join(pages)
    for first, last in (("第二十条第（一）项", "行政事业性收费"), (NOTE, "四、结转下年度继续办理")):
        assert any(first in p and last in p for p in pages), first


def test_missing_narrative_and_figures_leave_blank_places():
    data = sample_data(manual=[])
    del data["tables"]["table1"]["fees"]
    page = render_html(data, None)
    assert all(heading in page for heading in HEADINGS)
    assert ["行政事业性收费", ""] in html_rows(page)
    sheet = workbook(export(data, "xlsx", None))["表1 主动公开"]
    assert sheet["A16"].value == "行政事业性收费" and sheet["B16"].value is None
    assert export(data, "docx", None) and export(data, "pdf", None)


def test_pdf_embeds_only_a_subset_of_the_cjk_font(exported):
    assert len(exported["pdf"]) < 400_000
    with pymupdf.open(stream=exported["pdf"], filetype="pdf") as doc:
        assert doc.get_page_fonts(0)
