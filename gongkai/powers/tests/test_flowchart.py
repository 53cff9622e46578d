"""The flow chart: an inline SVG with every step in order, escaped, readable by screen readers,
and complete without scripts or files from elsewhere."""

import re
import xml.etree.ElementTree as ET

from gongkai.powers.flowchart import flowchart_svg, wrap

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def box_texts(root: ET.Element) -> list[str]:
    return ["".join(span.text or "" for span in text) for text in root.iter(f"{SVG}text")]


def test_every_step_is_a_box_in_order():
    root = parse(flowchart_svg(["申请", "受理", "审查", "决定", "送达"]))
    assert box_texts(root) == ["1. 申请", "2. 受理", "3. 审查", "4. 决定", "5. 送达"]
    assert len(root.findall(f"{SVG}g")) == 5
    assert len(root.findall(f"{SVG}polygon")) == 4  # one arrow between each pair of boxes


def test_boxes_go_down_the_page_and_the_canvas_holds_them():
    root = parse(flowchart_svg(["申请", "受理", "审查"]))
    tops = [float(rect.get("y")) for rect in root.iter(f"{SVG}rect")]
    assert tops == sorted(tops) and len(set(tops)) == 3
    last = list(root.iter(f"{SVG}rect"))[-1]
    assert float(last.get("y")) + float(last.get("height")) < float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"


def test_screen_readers_get_the_steps_in_order():
    root = parse(flowchart_svg(["申请", "受理", "决定"]))
    assert root.get("role") == "img"
    label = root.get("aria-label")
    assert label == "办理流程图，共3步。第1步：申请；第2步：受理；第3步：决定"
    assert root.find(f"{SVG}title").text == label


def test_step_text_is_escaped():
    svg = str(flowchart_svg(['<script>alert("x")</script>', "A & B", '审查"通过"']))
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; B" in svg
    root = parse(svg)  # still well-formed XML
    assert box_texts(root) == ['1. <script>alert("x")</script>', "2. A & B", '3. 审查"通过"']
    assert 'alert("x")' in root.get("aria-label")


def test_long_steps_wrap_inside_their_box_without_losing_text():
    step = "申请人向窗口提交申请材料，窗口工作人员当场核对材料是否齐全、是否符合法定形式并出具凭证"
    root = parse(flowchart_svg([step, "决定"]))
    first = next(root.iter(f"{SVG}text"))
    lines = [span.text for span in first]
    assert len(lines) > 1
    assert "".join(lines) == f"1. {step}"
    rect = next(root.iter(f"{SVG}rect"))
    assert float(rect.get("height")) >= 20 * len(lines)


def test_wrap_measures_chinese_as_wide_and_latin_as_narrow():
    assert wrap("一二三四五六", 3) == ["一二三", "四五六"]
    assert wrap("abcdef", 3.5) == ["abcdef"]
    assert wrap("  多个   空格  ", 10) == ["多个 空格"]


def test_wrap_keeps_latin_words_whole_unless_one_is_wider_than_the_box():
    assert wrap("登录 www.example.gov.cn 申请", 12) == ["登录", "www.example.gov.cn", "申请"]
    assert wrap("提交ABC表", 3) == ["提交", "ABC表"]
    assert wrap("abcdefghij", 2.4) == ["abcd", "efgh", "ij"]


def test_nothing_from_elsewhere_and_no_script():
    svg = str(flowchart_svg(["申请", "决定"]))
    assert not re.search(r"<script|href=|url\(|@import|https?://(?!www\.w3\.org/2000/svg)", svg)


def test_no_steps_no_chart():
    assert flowchart_svg([]) == ""
    assert flowchart_svg(["", "  "]) == ""
