"""The pre-scan's detectors: each finds the candidates of one kind in a text.

Speed (the target is 20 MB of text a second on one core) comes from the regular expressions: each
starts with a character class or a literal, so the regex engine skips the Chinese prose between
candidates in C, and Python only sees the rare matches, where the checksums and cues are checked.
Every detector returns ``(start, end, kind, confidence)`` tuples; overlaps are resolved later.

Kept as one module on purpose (over 500 lines): the detectors share the cue tables and the
candidate shape, and are tuned together against the pre-scan bench.
"""

import re
from collections.abc import Iterator
from datetime import date

from gongkai.core.checksums import is_valid_id_number, is_valid_uscc

from . import lexicon
from .findings import Confidence, Kind

Candidate = tuple[int, int, Kind, Confidence]

HIGH, LOW = Confidence.HIGH, Confidence.LOW
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# How far before a number its label is looked for ("开户银行：某某银行 账号：…" is ~20 characters).
CUE_WINDOW = 24

# Numbers end where no letter or digit follows; a number glued to more digits is part of
# something longer (a serial, an index number) and is not reported.
_END = r"(?![0-9A-Za-z])"


def _glued_before(text: str, start: int) -> bool:
    """True when the candidate at ``start`` continues a longer token: a letter or digit before
    it, or a decimal point after a digit (``3.13812345678``)."""
    if start == 0:
        return False
    before = text[start - 1]
    if before.isascii() and before.isalnum():
        return True
    return before == "." and start > 1 and text[start - 2].isdigit()


def _cue_before(text: str, start: int, cues: tuple[str, ...], window: int = CUE_WINDOW) -> bool:
    """True when one of ``cues`` occurs in the ``window`` characters before ``start``."""
    segment = text[max(0, start - window) : start]
    return any(cue in segment for cue in cues)


def _digits(value: str) -> str:
    """The number without its grouping spaces and hyphens."""
    return value.replace(" ", "").replace("-", "")


# ---------------------------------------------------------------- identity numbers

# Region (first digit 1-8), birth date 18xx-20xx (month and day plausible; the real date is
# checked later), sequence, check character (X, or × as some typists write it); optionally
# grouped 6-8-4 or 6-4-4-4 by single spaces or hyphens ("110101-19900307-123X").
ID18_RE = re.compile(
    r"[1-8][0-9]{5}(?P<s>[ \-]?)(?:18|19|20)[0-9][0-9](?P=s)?(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
    r"(?P=s)[0-9]{3}[0-9Xx×]" + _END
)
# Pre-1999 15-digit numbers: region, birth date 19YYMMDD, sequence; no check digit. Believed
# (LOW) when the region is a province and the date is real, unless a bank or business
# registration label says what the number is (营业执照注册号 are 15 digits too).
ID15_RE = re.compile(r"[1-8][0-9]{5}[0-9][0-9](?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}" + _END)


def valid_id_number(number: str, *, today: date) -> bool:
    """An 18-character resident ID number with a known province, a real past birth date and
    the right check character (GB 11643-1999)."""
    if number[:2] not in lexicon.PROVINCE_CODES or not is_valid_id_number(number, today=today):
        return False
    return number[6:14] <= today.strftime("%Y%m%d")


def valid_id15(number: str) -> bool:
    """A 15-digit resident ID number (born 19YYMMDD) with a known province and a real date."""
    if number[:2] not in lexicon.PROVINCE_CODES:
        return False
    try:
        date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


# "备案号：", "编码：": a label saying the number is some other number.
_NUMBER_LABEL_RE = re.compile(r"(?:号|號|号码|编码|代码|序号|码)[：:\s]*\Z")


def id_numbers(text: str, lo: int, hi: int, *, today: date) -> Iterator[Candidate]:
    for m in ID18_RE.finditer(text, lo, hi):
        number = _digits(m.group()).upper().replace("×", "X")
        if not _glued_before(text, m.start()) and valid_id_number(number, today=today):
            yield m.start(), m.end(), Kind.ID_NUMBER, HIGH
    for m in ID15_RE.finditer(text, lo, hi):
        start = m.start()
        if _glued_before(text, start) or not valid_id15(m.group()):
            continue
        if not _cue_before(text, start, lexicon.ID_CUES) and (
            _cue_before(text, start, lexicon.BANK_CUES + lexicon.NOT_ID15_CUES)
            or _NUMBER_LABEL_RE.search(text, max(0, start - 6), start)
        ):
            continue
        yield start, m.end(), Kind.ID_NUMBER, LOW


# Registration authority, organisation type, a six-digit division code (first digit 1-8), the
# nine-character organisation code, the check character (GB 32100-2015). Not when "/" and digits
# follow: that is an index number (索引号 11341702486344515H/202110-00013), not a mention.
USCC_RE = re.compile(r"[1-9ANY][1-9][1-8][0-9]{5}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z]|\s*/\s*[0-9])")


def usccs(text: str, lo: int, hi: int) -> Iterator[Candidate]:
    for m in USCC_RE.finditer(text, lo, hi):
        code = m.group()
        if _glued_before(text, m.start()) or not is_valid_uscc(code):
            continue
        # One card number in 31 also passes the credit code's check. An all-digit code that also
        # passes Luhn is a card after 卡号/账号, or when it starts as UnionPay cards do (62: a
        # tourism authority's code, rare among credit codes, common among cards).
        if code.isdigit() and luhn_ok(code):
            if code.startswith("62") or _cue_before(text, m.start(), lexicon.BANK_CUES):
                continue
        yield m.start(), m.end(), Kind.USCC, HIGH


# ---------------------------------------------------------------- bank cards

CARD_RE = re.compile(
    r"[0-9]{16,19}"
    + _END
    + r"|[0-9]{4}(?P<s>[ \-])[0-9]{4}(?P=s)[0-9]{4}(?P=s)[0-9]{4}(?:(?P=s)[0-9]{1,3})?"
    + _END
)
# 18 digits that read as an ID number (province code, a birth year, month-like and day-like
# digits) even if the date or check digit is wrong: a mistyped ID number is not a bank card.
_ID_SHAPED = re.compile(r"[1-8][0-9]{5}(?:18|19|20)[0-9][0-9][01][0-9][0-3][0-9][0-9]{3}[0-9X]")


_LUHN_DOUBLED = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def luhn_ok(digits: str) -> bool:
    """The Luhn check (ISO/IEC 7812) that every bank card number passes."""
    total = sum(map(int, digits[-1::-2])) + sum(map(_LUHN_DOUBLED.__getitem__, digits[-2::-2]))
    return total % 10 == 0


def bank_cards(text: str, lo: int, hi: int) -> Iterator[Candidate]:
    for m in CARD_RE.finditer(text, lo, hi):
        start = m.start()
        if _glued_before(text, start):
            continue
        digits = _digits(m.group())
        if not luhn_ok(digits):
            continue
        labelled = _cue_before(text, start, lexicon.BANK_CUES)
        id_like = len(digits) == 18 and _ID_SHAPED.fullmatch(digits) is not None
        if labelled or (digits.startswith("62") and not id_like):
            # UnionPay (62) is what Chinese banks issue; a label makes any issuer believable.
            yield start, m.end(), Kind.BANK_CARD, HIGH
        elif digits[0] in "3456" and not id_like and not _cue_before(text, start, lexicon.ID_CUES):
            # Visa (4), Mastercard (5), JCB/Amex (3), Discover (6) without a label: often a card,
            # but one in ten random numbers passes Luhn.
            yield start, m.end(), Kind.BANK_CARD, LOW


# ---------------------------------------------------------------- telephones

# 1[3-9]x, then 4 and 4 digits, optionally +86/0086/86 in front and the groups split 3-4-4 by the
# same space, hyphen or dot (139.1234.5678). Not when a unit follows (13812345678元 is an amount).
MOBILE_RE = re.compile(
    r"(?:(?:[+＋]|00)?86[ \-]?)?1[3-9][0-9](?P<s>[ \-.]?)[0-9]{4}(?P=s)[0-9]{4}(?![0-9A-Za-z%％元万亿]|\.[0-9])"
)


def mobiles(text: str, lo: int, hi: int) -> Iterator[Candidate]:
    for m in MOBILE_RE.finditer(text, lo, hi):
        start = m.start()
        if text[start] in "+＋" or not _glued_before(text, start):
            yield start, m.end(), Kind.MOBILE, HIGH


# Area codes: 010 and 02x (three digits), 0[3-9]xx (four digits). Local numbers: 7-8 digits not
# starting with 0 or 1. Written "010-12345678", "(0551)65123456", "0551 6512 3456",
# "+86 10 12345678", optionally with an extension ("-801", "转801").
_AREA = r"(?:10|2[0-9]|[3-9][0-9][0-9])"
_LOCAL = r"[2-9][0-9]{2,3}[ \-]?[0-9]{4}"
_EXTENSION = r"(?: ?(?:[-－转]|ext\.? ?|分机) ?[0-9]{1,5})?"
LANDLINE_RE = re.compile(
    r"(?:(?:[+＋]|00)?86[ \-]?(?:[(（]0?" + _AREA + r"[)）] ?|0?" + _AREA + r"[ \-])"
    r"|[(（] ?0" + _AREA + r" ?[)）][ \-]?"
    r"|0" + _AREA + r" ?[\-－—] ?"
    r"|0" + _AREA + r" )(?P<local>" + _LOCAL + r")" + _EXTENSION + _END
)
# Written without a separator ("05516512345"), or without an area code: only after a label.
LANDLINE_BARE_RE = re.compile(r"0" + _AREA + r"[2-9][0-9]{6,7}" + _END)
LOCAL_LABELLED_RE = re.compile(
    r"(?:电话|传真|座机|固话)(?:号码)?[：: ]{0,2}(?P<n>[2-9][0-9]{2,3}[ \-]?[0-9]{4})" + _EXTENSION + _END
)


def landlines(text: str, lo: int, hi: int) -> Iterator[Candidate]:
    for m in LANDLINE_RE.finditer(text, lo, hi):
        start = m.start()
        if text[start] in "+＋(（" or not _glued_before(text, start):
            yield start, m.end(), Kind.LANDLINE, HIGH
    if not _cue_before(text, hi, lexicon.PHONE_CUES, hi - lo + CUE_WINDOW):
        return
    for m in LANDLINE_BARE_RE.finditer(text, lo, hi):
        start = m.start()
        if not _glued_before(text, start) and _cue_before(text, start, lexicon.PHONE_CUES, 12):
            yield start, m.end(), Kind.LANDLINE, HIGH
    for m in LOCAL_LABELLED_RE.finditer(text, lo, hi):
        yield m.start("n"), m.end(), Kind.LANDLINE, LOW


# ---------------------------------------------------------------- passports and e-mail

# Chinese ordinary passports: E or G and eight digits (believed alone), E and a letter and seven
# digits, or P/S/D (public, service, diplomatic) forms; any other form needs the word 护照 before.
PASSPORT_RE = re.compile(r"[A-Z]{1,2}[0-9]{7,8}" + _END)
_EG8 = re.compile(r"[EG][0-9]{8}")


def passports(text: str, lo: int, hi: int) -> Iterator[Candidate]:
    for m in PASSPORT_RE.finditer(text, lo, hi):
        start = m.start()
        if _glued_before(text, start):
            continue
        labelled = _cue_before(text, start, lexicon.PASSPORT_CUES)
        if labelled:
            yield start, m.end(), Kind.PASSPORT, HIGH
        elif _EG8.fullmatch(m.group()):
            yield start, m.end(), Kind.PASSPORT, LOW


# ---------------------------------------------------------------- numbers in windows

# Every number the detectors above look for holds a run of at least seven digits (single spaces,
# hyphens or dots allowed between them). A looser pattern finds those runs in one pass (a digit,
# then six or more digits, spaces, hyphens or dots: 470 MB/s, where the exact "seven digits"
# pattern runs at 230); the detectors then run only on a window around each, wide enough for a "+86 (0551) "
# before the run and an extension after it.
NUMBER_RUN_RE = re.compile(r"[0-9][0-9 \-.]{6,}")
WINDOW_BEFORE = 16
WINDOW_AFTER = 12


def number_windows(text: str) -> list[tuple[int, int]]:
    """Disjoint (lo, hi) windows around the runs of seven or more digits in ``text``."""
    windows: list[tuple[int, int]] = []
    for m in NUMBER_RUN_RE.finditer(text):
        lo, hi = max(0, m.start() - WINDOW_BEFORE), min(len(text), m.end() + WINDOW_AFTER)
        while hi < len(text) and text[hi].isascii() and text[hi].isalnum():
            hi += 1  # never end a window inside a token: the detectors' end checks would pass there
        if windows and lo <= windows[-1][1]:
            lo = windows.pop()[0]
        windows.append((lo, hi))
    return windows


def numbers(text: str, *, today: date) -> Iterator[Candidate]:
    """ID numbers, credit codes, bank cards, telephones and passports in ``text``."""
    for lo, hi in number_windows(text):
        yield from id_numbers(text, lo, hi, today=today)
        yield from usccs(text, lo, hi)
        yield from bank_cards(text, lo, hi)
        yield from mobiles(text, lo, hi)
        yield from landlines(text, lo, hi)
        yield from passports(text, lo, hi)


_EMAIL_LOCAL = re.compile(r"[A-Za-z0-9_%+\-](?:[A-Za-z0-9._%+\-]{0,63})\Z")
_EMAIL_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}\.)+[A-Za-z]{2,24}(?![A-Za-z0-9\-])")


def emails(text: str) -> Iterator[Candidate]:
    # "@" is rare in official text: find each one in C and look around it, rather than run an
    # address pattern over every Latin letter.
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if local and domain:
            start = local.start()
            while text[start] == ".":
                start += 1
            yield start, domain.end(), Kind.EMAIL, HIGH
        at = text.find("@", at + 1)


# ---------------------------------------------------------------- secrecy marks

_LEVELS = ("绝密", "絕密", "机密", "機密", "秘密")
_INTERNAL = ("内部", "內部")
_LEVEL = "(?:" + "|".join(_LEVELS) + ")"
_STAR = r"[★☆＊*]"
_PERIOD = (
    r"(?:\s*(?:[0-9]{1,3}|[一二三四五六七八九十]{1,3})\s*(?:年|个月|個月)"
    r"|\s*(?:长期|長期)"
    r"|\s*[0-9]{4}\s*年\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?"
)
# GB/T 9704-2012 marks: level, star, period ("机密★5年", "绝密★长期"); "密级：秘密"; and the
# internal-circulation notes ("内部资料", "不得外传", "此件不公开"). Every branch starts with a
# literal character, so the regex engine can skip to the next possible first character in C
# (a branch starting with a group would make it try every position: 5x slower, measured). The
# bare words come last: they count only when alone on their line (see secrecy_marks).
SECRECY_RE = re.compile(
    "|".join(
        [level + r"\s*" + _STAR + _PERIOD for level in _LEVELS]
        + [r"密级\s*[：:]\s*(?:" + _LEVEL + r"|内部|內部)(?:\s*" + _STAR + _PERIOD + r")?"]
        + [word + r"\s*" + _STAR for word in _INTERNAL]
        + [
            only + word + "(?:使用|参考|參考|传阅|傳閱)"
            for only in ("仅供", "僅供", "只供", "限")
            for word in _INTERNAL
        ]
        + [word + "(?:资料|資料|文件|使用(?!的))" for word in _INTERNAL]
        + ["注意保密", "不得外传", "不得外傳", "严禁外传", "嚴禁外傳", "此件不公开", "此件不予公开"]
        + list(_LEVELS + _INTERNAL)
    )
)
_BARE_MARKS = frozenset(_LEVELS + _INTERNAL)
# What may surround a bare mark on its line: "【内部】", "（秘密）".
_LINE_DECORATION = " \t\r\u3000【】[]〔〕（）()"
# A phrase counts as a mark (HIGH) when little else shares its line ("内部资料　注意保存").
_MARK_LINE_SLACK = 8


def secrecy_marks(text: str) -> Iterator[Candidate]:
    for m in SECRECY_RE.finditer(text):
        start, end, mark = m.start(), m.end(), m.group()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end == -1 else line_end
        if mark in _BARE_MARKS:
            # "秘密" or "内部" is a mark alone on its line; in a sentence it is not ("国家秘密").
            if text[line_start:line_end].strip(_LINE_DECORATION) == mark:
                yield start, end, Kind.SECRECY_MARK, HIGH
            continue
        own_line = (line_end - line_start) - (end - start) <= _MARK_LINE_SLACK
        starred = any(ch in mark for ch in "★☆＊*") or mark.startswith("密级")
        yield start, end, Kind.SECRECY_MARK, HIGH if starred or own_line else LOW


# ---------------------------------------------------------------- names and addresses


_BLANKS = " \t\u3000"
COLON_RE = re.compile("[：:]")
# A table cell holding only a label, the value in the next cell: tab-separated, or one cell a
# line as DOCX tables come out of text extraction ("姓名\n张三").
CELL_LABEL_RE = re.compile(
    "(?:" + "|".join(sorted(lexicon.CELL_NAME_LABELS + lexicon.ADDRESS_CUES, key=len, reverse=True)) + ")"
    r"[ \u3000]*(?:\t|\r?\n)"
)
_CELL_LABEL_MAX = 8  # "申请人姓名", "家庭住址": a longer cell is a sentence ending in a label word
_NAME_RE = re.compile(r"[" + HAN + r"][" + HAN + r"·•]{1,15}")
_ADDRESS_RE = re.compile(r"[^，。；;,、\n\r\t：:]{4,80}")
_AFTER_NAME_RE = re.compile("|".join(lexicon.AFTER_NAME))
_AFTER_ADDRESS_RE = re.compile("|".join(lexicon.AFTER_ADDRESS) + r"|\s{2,}")
_ADDRESS_TRAILER = _BLANKS + "（(【[-—"
_NOT_ADDRESS = re.compile(r"http|www\.|@|\.com|\.cn", re.IGNORECASE)
_LABEL_LAST_CHARS = frozenset(cue[-1] for cue in lexicon.NAME_CUES + lexicon.ADDRESS_CUES)


def _label_before(text: str, colon: int) -> str:
    """The few characters before a colon, a parenthesised aside dropped ("法定代表人（负责人）：")."""
    label = text[max(0, colon - 24) : colon].rstrip(_BLANKS)
    if label.endswith(("）", ")")):
        opening = max(label.rfind("（"), label.rfind("("))
        if opening >= len(label) - 12:
            label = label[:opening].rstrip(_BLANKS)
    return label


def _person_name(candidate: str) -> str | None:
    """The name at the start of ``candidate`` (text after a name label), or None."""
    cut = _AFTER_NAME_RE.search(candidate, 2)
    name = candidate[: cut.start()] if cut else candidate
    if any(ch in lexicon.ANONYMISED for ch in name) or name.endswith(lexicon.NOT_NAME_ENDINGS):
        return None
    if "·" in name or "•" in name:  # transliterated names (阿依古丽·买买提): no surname list applies
        return name if len(name) <= 16 and name[-1] not in "·•" else None
    if name[:2] in lexicon.COMPOUND_SURNAMES:
        return name if 3 <= len(name) <= 4 else None
    return name if name[0] in lexicon.SURNAMES and 2 <= len(name) <= 3 else None


def _labelled_address(candidate: str) -> str | None:
    """The address at the start of ``candidate`` (text after an address label), or None."""
    cut = _AFTER_ADDRESS_RE.search(candidate)
    address = (candidate[: cut.start()] if cut else candidate).rstrip(_ADDRESS_TRAILER)
    if len(address) < 4 or _NOT_ADDRESS.search(address):
        return None
    if not any(ch in lexicon.ADDRESS_CHARS for ch in address):
        return None
    return address


_ORG_PREMISES_RE = re.compile("(?:" + "|".join(lexicon.ORG_ADDRESS_CUES) + r")[：:\s]*\Z")
_BARE_ADDRESS_LABEL_RE = re.compile(r"(?<![住家籍讯信系寄])地址[：:\s]*\Z")
_ORG_NAME_RE = re.compile(r"名称[：:][^\n]{2,40}?(?:" + "|".join(lexicon.ORG_NAME_ENDINGS) + ")")
_ORG_BLOCK_LINES = 2


# What makes an address somebody's home even in an organisation's block (a small company
# registered at a flat): a room, a unit, a village group, a housing estate.
_RESIDENTIAL_RE = re.compile(r"室|户|单元|[0-9]组|小区|公寓|花园|家园|新村|村")


def _organisation_address(text: str, start: int, address: str) -> bool:
    """True when ``address``, at ``start``, is an organisation's: after a premises label
    ("经营场所："), or after a bare "地址：" in the block of an organisation, whose credit code or
    name ("名称：某某有限公司") is on one of the two lines before; and not residential."""
    if _RESIDENTIAL_RE.search(address):
        return False
    before = text[max(0, start - 16) : start]
    if _ORG_PREMISES_RE.search(before):
        return True
    if not _BARE_ADDRESS_LABEL_RE.search(before):
        return False
    block_start = text.rfind("\n", 0, start)
    for _ in range(_ORG_BLOCK_LINES):
        if block_start <= 0:
            break
        block_start = text.rfind("\n", 0, block_start)
    block = text[max(block_start + 1, start - 200) : start]
    return any(cue in block for cue in lexicon.ORG_BLOCK_CUES) or _ORG_NAME_RE.search(block) is not None


def _field_value(text: str, label: str, pos: int) -> Candidate | None:
    """The name or address that follows ``label`` from ``pos`` on, if there is one."""
    while pos < len(text) and text[pos] in _BLANKS:
        pos += 1
    if label.endswith(lexicon.NAME_CUES):
        m = _NAME_RE.match(text, pos)
        name = _person_name(m.group()) if m else None
        return (pos, pos + len(name), Kind.PERSON_NAME, LOW) if name else None
    if label.endswith(lexicon.ADDRESS_CUES):
        m = _ADDRESS_RE.match(text, pos)
        address = _labelled_address(m.group()) if m else None
        if address and _organisation_address(text, pos, address):
            return None
        return (pos, pos + len(address), Kind.ADDRESS, LOW) if address else None
    return None


def _more_names(text: str, pos: int) -> Iterator[Candidate]:
    """The names that follow a labelled name in a list ("成员：张三、李四、王五"): each item
    must be a name, whole."""
    while pos < len(text) and text[pos] == "、":
        m = _NAME_RE.match(text, pos + 1)
        if m is None or _person_name(m.group()) != m.group():
            return
        yield m.start(), m.end(), Kind.PERSON_NAME, LOW
        pos = m.end()


def labelled_fields(text: str) -> Iterator[Candidate]:
    """Names and addresses after their labels ("申请人：张三", "住址：…", a "姓名" table cell).
    A colon or a cell boundary is required: without one the label words open ordinary sentences
    ("申请人应当……"). Colons are found first (one character class) and the label is read back."""
    for colon in COLON_RE.finditer(text):
        label = _label_before(text, colon.start())
        if label[-1:] in _LABEL_LAST_CHARS:
            found = _field_value(text, label, colon.end())
            if found:
                yield found
                if found[2] is Kind.PERSON_NAME:
                    yield from _more_names(text, found[1])
    yield from _label_words(text)


def _cell_label_value(text: str, m: re.Match) -> Candidate | None:
    """The value in the cell after a cell holding only a label ("姓名\t张三", "住址\n…")."""
    cell = CELL_LABEL_RE.match(text, m.start())
    if cell is None:
        return None
    cell_start = max(text.rfind("\t", 0, cell.start()), text.rfind("\n", 0, cell.start())) + 1
    label = text[cell_start : cell.end()].strip()
    return _field_value(text, label, cell.end()) if len(label) <= _CELL_LABEL_MAX else None


# "负责人王强，电话…": a few labels are followed by a name without a colon; the name must fill
# what comes before the next punctuation, blank or contact word.
_NO_COLON_NAME_RE = re.compile(
    "(?:" + "|".join(lexicon.NAME_CUES_NO_COLON) + ")"
    r"(?P<name>[" + HAN + r"·•]{2,8}?)(?=[，,。；;、：:\s（(于在因系]|电话|手机|联系|身份|住址|\Z)"
)


def _name_without_colon(text: str, pos: int) -> Candidate | None:
    m = _NO_COLON_NAME_RE.match(text, pos)
    if m is None or _person_name(m.group("name")) != m.group("name"):
        return None
    return m.start("name"), m.end("name"), Kind.PERSON_NAME, LOW


# Tables as text extraction writes them: a row a line, cells split by tabs or by runs of
# spaces (DOCX and PDF tables), or by single spaces when nothing wider splits the header. Under
# a header cell that names people ("姓名", "负责人"), each cell of a row with as many cells
# as the header is a name if it reads as one.
_NO_COLON_CUES = frozenset(lexicon.NAME_CUES_NO_COLON)
_HEADER_WORDS = frozenset(lexicon.NAME_HEADERS)
# One pass finds the label words of table cells ("姓名\t张三"), the cues of names without a
# colon and the name headers of tables: a pass of an alternation of words costs about as much
# as the words' first characters are common, whatever the number of words.
_LABEL_WORD_RE = re.compile(
    "|".join(
        sorted(
            set(
                lexicon.CELL_NAME_LABELS
                + lexicon.ADDRESS_CUES
                + lexicon.NAME_CUES_NO_COLON
                + lexicon.NAME_HEADERS
            ),
            key=len,
            reverse=True,
        )
    )
)
_WIDE_CELLS = re.compile(r"[^\t\r\u3000 ]+(?: [^\t\r\u3000 ]+)*")
_NARROW_CELLS = re.compile(r"[^\t\r\u3000 ]+")
_HEADER_CELL_MAX = 8  # "申请人姓名", "项目负责人": a longer cell is a sentence
_HEADER_LINE_MAX = 300  # a table's header row; a longer line is a paragraph


def _cells(pattern: re.Pattern, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, lo, hi)]


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _table_column_names(text: str, line_start: int, found: list[Candidate]) -> int:
    """Names in the column under a name header on the line at ``line_start``, appended to
    ``found``; returns where the table ends (``line_start`` when the line is no header)."""
    line_end = _line_end(text, line_start)
    if line_end - line_start > _HEADER_LINE_MAX:
        return line_start
    for pattern in (_WIDE_CELLS, _NARROW_CELLS):
        header = _cells(pattern, text, line_start, line_end)
        if len(header) >= 2:
            break
    else:
        return line_start
    column = next(
        (
            i
            for i, (c_start, c_end) in enumerate(header)
            if c_end - c_start <= _HEADER_CELL_MAX and text[c_start:c_end].endswith(lexicon.NAME_HEADERS)
        ),
        None,
    )
    if column is None:
        return line_start
    pos = line_end + 1
    while pos < len(text):
        end = _line_end(text, pos)
        row = _cells(pattern, text, pos, end)
        if len(row) < 2:
            break
        if len(row) == len(header):
            c_start, c_end = row[column]
            cell = text[c_start:c_end]
            if _person_name(cell) == cell:
                found.append((c_start, c_end, Kind.PERSON_NAME, LOW))
        pos = end + 1
    return pos


def _label_words(text: str) -> list[Candidate]:
    """Values in the cell after a label cell, names after a cue without a colon ("负责人王强，")
    and in table columns under a name header ("序号\t姓名\t…")."""
    found: list[Candidate] = []
    done = -1  # the end of the last table read: a header found again inside it is skipped
    for m in _LABEL_WORD_RE.finditer(text):
        word = m.group()
        after = text[m.end() : m.end() + 1]
        if after in "\t\r\n \u3000":
            value = _cell_label_value(text, m)
            if value:
                found.append(value)
        if word in _NO_COLON_CUES:
            name = _name_without_colon(text, m.start())
            if name:
                found.append(name)
        if word in _HEADER_WORDS or word.endswith(lexicon.NAME_HEADERS):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if line_start >= done:
                done = max(done, _table_column_names(text, line_start, found))
    return found


# A name in the cell or clause just before an ID number ("张三\t110101…", "张三，身份证号：…"),
# as in relief lists and registers: the ID number is the label.
_NAME_BEFORE_ID_RE = re.compile(
    r"(?P<run>[" + HAN + r"·•]{2,16})(?P<sep>[\t |，,、（(]{1,3}|\r?\n)"
    r"(?:(?:公民)?身份(?:证|證)?(?:号码|號碼|号|號)?[：: ]?)?\Z"
)


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"


# An identity number already masked in a list ("340104********1234"): not a finding, but the
# name beside it still is one.
MASKED_ID_RE = re.compile(r"[1-8][0-9]{5}[*＊]{4,10}[0-9]{2,4}[0-9Xx]?(?![0-9A-Za-z*])")


def masked_id_starts(text: str) -> list[int]:
    if "*" not in text and "＊" not in text:  # one character: a memchr, not a substring search
        return []
    return [m.start() for m in MASKED_ID_RE.finditer(text)]


def names_before_ids(text: str, id_starts: list[int]) -> Iterator[Candidate]:
    for id_start in id_starts:
        m = _NAME_BEFORE_ID_RE.search(text, max(0, id_start - 24), id_start)
        if m is None:
            continue
        run = m.group("run")
        if "·" in run or "•" in run:  # a transliterated name: the whole run or nothing
            line_start = m.start("run")
            if _person_name(run) == run and (not line_start or not _is_han(text[line_start - 1])):
                yield line_start, m.end("run"), Kind.PERSON_NAME, LOW
            continue
        if "\n" in m.group("sep"):
            # across a line break (one table cell a line), only a name that fills its line
            line_start = m.start("run")
            if (line_start and text[line_start - 1] != "\n") or _person_name(run) != run:
                continue
        for size in (4, 3, 2):  # the longest tail of the run that reads as a name
            name = _person_name(run[-size:]) if len(run) >= size else None
            if name == run[-size:]:
                yield m.end("run") - size, m.end("run"), Kind.PERSON_NAME, LOW
                break


# Without a label an address is recognised by its tail: a street and a house number
# ("长江中路123号"), a village group ("幸福村3组"), or a building in a housing estate
# ("阳光小区5栋"). The regex finds a digit followed by 号/组/栋/幢 (cheap: one character class
# and a look back); the street, village or estate word before the number is checked in Python.
ADDRESS_TAIL_RE = re.compile(r"[号组栋幢](?<=[0-9].)")
_HOUSE_NUMBER = re.compile(r"[0-9]{1,5}(?:-[0-9]{1,4})?\Z")
_STREETS = "路街道巷弄同院"
_ESTATES = "区园寓村苑"
_TAIL_WORDS = {"号": _STREETS, "组": "村", "栋": _ESTATES, "幢": _ESTATES}
_NOT_HOUSE_NUMBER = ("线", "文", "令", "公告", "楼盘", "机", "车", "简报")
_ADDRESS_ROOM = re.compile(r"院?(?:[A-Za-z]?[0-9]{1,4}(?:栋|幢|号楼|单元|层|楼|室|号|户|座))*")
_ADDRESS_HEAD = re.compile(r"[" + HAN + r"0-9]{1,24}\Z")
# Words after which, going left, an address begins ("我局位于合肥市…").
_ADDRESS_OPENERS = re.compile(
    r".*(?:位于|坐落于|坐落在|地处|设在|住在|居住在|迁至|搬至|前往|来到|地点|在|于)"
)


def _street_start(text: str, tail: int) -> int | None:
    """Where the street (village, estate) word ends before the house number that ends at
    ``tail`` (the 号/组/栋/幢), or None when no such word precedes the number."""
    number = _HOUSE_NUMBER.search(text, max(0, tail - 11), tail)
    if number is None or number.start() == 0:
        return None
    word = text[number.start() - 1]
    words = _TAIL_WORDS[text[tail]]
    if text[tail] == "号" and text.startswith("楼", tail + 1):
        words += _ESTATES  # "阳光小区5号楼"
    return number.start() - 1 if word in words else None


def addresses(text: str) -> Iterator[Candidate]:
    for m in ADDRESS_TAIL_RE.finditer(text):
        tail = m.start()
        street = _street_start(text, tail)
        if street is None or text.startswith(_NOT_HOUSE_NUMBER, tail + 1):
            continue
        head = _ADDRESS_HEAD.search(text, max(0, street - 24), street)
        if head is None:
            continue
        start = head.start()
        opener = _ADDRESS_OPENERS.match(text, start, street)
        if opener:
            start = opener.end()
        while start < street and text[start].isdigit():
            start += 1  # "2024年3月在…": a year glued before the place is not part of it
        if street - start < 2:  # "路1号" alone: too little to call it an address
            continue
        end = _ADDRESS_ROOM.match(text, m.end()).end()
        if not _organisation_address(text, start, text[start:end]):
            yield start, end, Kind.ADDRESS, LOW
