"""Metadata derived from a document's text when an import does not give it. Pure functions;
each returns None rather than guess when the text is not explicit."""

import re
from datetime import date

# 国办发〔2019〕14号, 泸市府办发[2011]12号, 国发(2020)3号
DOC_NO_RE = re.compile(r"[\u4e00-\u9fa5]{1,14}[〔\[（(【]\s*(\d{4})\s*[〕\]）)】]\s*第?\s*(\d{1,5})\s*号")
DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_DATE_RE = re.compile(r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
# A dated line under the title ("——2024年3月5日在……会议上") or an adoption note ("（……通过）").
HEADLINE_DATE_RE = re.compile(r"(?:——|─|（|\()\s*((?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日)")

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


def derive_doc_no(text: str) -> str | None:
    """The first document number in the opening of the text, normalised to 〔〕."""
    m = DOC_NO_RE.search(text[:600])
    if not m:
        return None
    head = m.group(0)
    issuer = re.match(r"[\u4e00-\u9fa5]+", head).group(0)
    return f"{issuer}〔{m[1]}〕{int(m[2])}号"


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
NPC_TERM_START = {1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978, 6: 1983, 7: 1988, 8: 1993, 9: 1998,
                  10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}
NPC_IRREGULAR = {(2, 3): 1962, (2, 4): 1963}
CN_ORDINAL_RE = re.compile(r"第([一二三四五六七八九十]{1,3})届全国人民代表大会第([一二三四五六七八九十]{1,3})次会议")


def derive_npc_session_year(title: str) -> int | None:
    """Year of an NPC session named in a title ('第十四届全国人民代表大会第三次会议' → 2025)."""
    m = CN_ORDINAL_RE.search(title)
    if not m:
        return None
    term, session = _cn_number(m[1]), _cn_number(m[2])
    if term not in NPC_TERM_START:
        return None
    return NPC_IRREGULAR.get((term, session), NPC_TERM_START[term] + session - 1)
