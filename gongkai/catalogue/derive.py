"""Metadata derived from a document's text when an import does not give it. Pure functions;
each returns None rather than guess when the text is not explicit."""

import re
from datetime import date

# 国办发〔2019〕14号, 泸市府办发[2011]12号, 国发(2020)3号
DOC_NO_RE = re.compile(r"[\u4e00-\u9fa5]{1,14}[〔\[（(【]\s*(\d{4})\s*[〕\]）)】]\s*第?\s*(\d{1,5})\s*号")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_DATE_RE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
# A dated line under the title ("——2024年3月5日在……会议上") or an adoption note ("（……通过）").
HEADLINE_DATE_RE = re.compile(
    r"(?:——|─|（|\()\s*((?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)"
)

# Title endings, longest first, mapped to genres of catalogue.md.
GENRE_SUFFIXES = [
    ("政府工作报告", "报告"),
    ("实施细则", "规范性文件"),
    ("管理办法", "规范性文件"),
    ("应急预案", "应急预案"),
    ("统计公报", "统计信息"),
    ("规划", "规划"),
    ("决议", "决议"),
    ("决定", "决定"),
    ("命令", "命令(令)"),
    ("公报", "公报"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("意见", "意见"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("报告", "报告"),
    ("请示", "请示"),
    ("批复", "批复"),
    ("议案", "议案"),
    ("函", "函"),
    ("纪要", "纪要"),
]


def _cn_number(text: str) -> int:
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    return CN_DIGITS[text]


def parse_chinese_date(text: str) -> date | None:
    """'2024年3月5日' or '一九五五年七月五日' as a date, None when not a real date."""
    m = DATE_RE.fullmatch(text.strip())
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = CN_DATE_RE.fullmatch(text.strip())
        if m:
            year = int("".join(str(CN_DIGITS[c]) for c in m[1]))
            return date(year, _cn_number(m[2]), _cn_number(m[3]))
    except (ValueError, KeyError):
        return None
    return None


# A document number's parts: issuer abbreviation, year (in 〔〕, [] or (), or as "2023年"),
# sequence (after an optional 第, leading zeros dropped), 号.
_OPEN, _CLOSE = r"〔［\[（(【", r"〕］\]）)】"
DOC_NO_PARTS_RE = re.compile(
    rf"(?P<issuer>.*?)\s*(?:[{_OPEN}]\s*(?P<year>\d{{4}})\s*[{_CLOSE}]|(?P<year2>\d{{4}})\s*年)"
    r"\s*第?\s*0*(?P<seq>\d{1,5})\s*号"
)
# The same inside free text (a query): only where an issuer abbreviation precedes it.
_DOC_NO_IN_TEXT_RE = re.compile(
    rf"(?<=[\u4e00-\u9fff])\s*(?:[{_OPEN}]\s*(\d{{4}})\s*[{_CLOSE}]|(\d{{4}})\s*年)\s*第?\s*0*(\d{{1,5}})\s*号"
)
# A header line that is a document number: "浙政办发〔2022〕59号", "文号：…", "…号  签发人：…".
_HEADER_DOC_NO_RE = re.compile(
    rf"(?:(?:发文字号|文号)\s*[:：]\s*)?(?P<no>[\u4e00-\u9fa5]{{1,14}}\s*[{_OPEN}]\s*\d{{4}}\s*[{_CLOSE}]"
    r"\s*第?\s*\d{1,5}\s*号)(?:\s+签发人.*)?"
)
HEADER_LINES = 15
ADDRESSEE_MAX_CHARS = 120
# An issuing body's line above a signature date: short, no sentence punctuation.
_SENTENCE_PUNCT_RE = re.compile(r"[。，,；;：:！？!?、“”]")
SIGNATURE_TAIL_LINES = 12


def canonical_doc_no(text: str) -> str:
    """A document number as displayed and searched: year in 〔〕, no 第, no leading zeros
    (镇政发[2024]7号 and 镇政发2024年第07号 → 镇政发〔2024〕7号). Other text (国务院令第722号)
    comes back stripped but unchanged."""
    raw = " ".join(text.split())
    m = DOC_NO_PARTS_RE.fullmatch(raw)
    if not m:
        return raw
    issuer = "".join(m["issuer"].split())
    return f"{issuer}〔{m['year'] or m['year2']}〕{int(m['seq'])}号"


def canonicalise_doc_numbers(text: str) -> str:
    """Every document number in ``text`` (a query) in canonical form, the rest unchanged."""
    if "号" not in text:
        return text
    return _DOC_NO_IN_TEXT_RE.sub(lambda m: f"〔{m[1] or m[2]}〕{int(m[3])}号", text)


def derive_doc_no(text: str) -> str | None:
    """The document's own number: a line of its header (before the addressees, "各市、县人民
    政府：", or the first paragraph) that is a document number, normalised to 〔〕. A number
    the text cites (a notice forwarding 浙政办发〔2022〕59号) is never taken."""
    seen = 0
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        seen += 1
        if seen > HEADER_LINES:
            return None
        m = _HEADER_DOC_NO_RE.fullmatch(line)
        if m:
            return canonical_doc_no(m["no"])
        if len(line) > ADDRESSEE_MAX_CHARS or line.endswith(("：", ":")) or line.endswith("。"):
            return None  # the addressees or the body: the header is over
    return None


def derive_signature_date(text: str) -> date | None:
    """The date of the signature at the end of the text: a line that is only a date, right
    under the issuing body's line (short, no sentence punctuation). None when there is none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    tail = lines[-SIGNATURE_TAIL_LINES:]
    for i in range(len(tail) - 1, 0, -1):
        found = parse_chinese_date(tail[i].replace(" ", "").replace("\u3000", ""))
        if found is None:
            continue
        above = tail[i - 1]
        if (
            len(above) <= 60
            and re.search(r"[\u4e00-\u9fff]", above)
            and not _SENTENCE_PUNCT_RE.search(above)
            and parse_chinese_date(above) is None
        ):
            return found
    return None


def derive_written_on(text: str, year: int | None = None) -> date | None:
    """The date on the dated line under the title or in the adoption note; when ``year`` is
    known, only a date in that year is trusted."""
    for m in HEADLINE_DATE_RE.finditer(text):
        found = parse_chinese_date(m[1])
        if found and (year is None or found.year == year):
            return found
    if year is not None:
        for m in DATE_RE.finditer(text[:2000]):
            found = parse_chinese_date(m.group(0))
            if found and found.year == year:
                return found
    return None


def derive_genre(title: str) -> str | None:
    """Genre name from the title's ending, when it is one of the official types."""
    title = title.strip()
    for suffix, genre in GENRE_SUFFIXES:
        if title.endswith(suffix):
            return genre
    return None


# Opening year of each National People's Congress; sessions are yearly except where listed.
NPC_TERM_START = {
    1: 1954,
    2: 1959,
    3: 1964,
    4: 1975,
    5: 1978,
    6: 1983,
    7: 1988,
    8: 1993,
    9: 1998,
    10: 2003,
    11: 2008,
    12: 2013,
    13: 2018,
    14: 2023,
}
NPC_IRREGULAR = {(2, 3): 1962, (2, 4): 1963}
CN_ORDINAL_RE = re.compile(
    r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,3})次会议"
)


def derive_npc_session_year(title: str) -> int | None:
    """Year of an NPC session named in a title ('第十四届全国人民代表大会第三次会议' → 2025)."""
    m = CN_ORDINAL_RE.search(title)
    if not m:
        return None
    term, session = _cn_number(m[1]), _cn_number(m[2])
    if term not in NPC_TERM_START:
        return None
    return NPC_IRREGULAR.get((term, session), NPC_TERM_START[term] + session - 1)
