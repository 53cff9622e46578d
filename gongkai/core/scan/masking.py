"""Masked forms of what the pre-scan finds (security.md, "Personal information": ID and phone
numbers masked everywhere the full value is not needed). The full value never survives masking:
every form hides at least a third of it."""

import re

from .detectors import LANDLINE_RE
from .findings import Kind

_NOT_DIGIT = re.compile(r"[^0-9]+")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_AREA_CODE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9][0-9])")
# The last administrative level an address names; what follows it (street, number, room) is hidden.
_FIRST_DIGIT = re.compile(r"[0-9]")
_DIVISIONS = re.compile(r".*(?:省|自治区|特别行政区|市|自治州|州|盟|地区|区|县|旗)")


def _keep(value: str, head: int, tail: int) -> str:
    """``value`` with all but ``head`` leading and ``tail`` trailing characters starred; short
    values keep proportionally less so that at least a third is always hidden."""
    n = len(value)
    while head + tail > (2 * n) // 3 and (head or tail):
        if head >= tail and head:
            head -= 1
        else:
            tail -= 1
    return value[:head] + "*" * (n - head - tail) + (value[n - tail :] if tail else "")


def _mask_id(text: str) -> str:
    return _keep(_NOT_ALNUM.sub("", text.replace("×", "X")).upper(), 6, 4)


def _mask_mobile(text: str) -> str:
    digits = _NOT_DIGIT.sub("", text)
    return _keep(digits[-11:], 3, 4)


def _mask_landline(text: str) -> str:
    # Area code kept, local number starred but for its last four digits, extension left out.
    parts = LANDLINE_RE.fullmatch(text)
    if parts is None:  # written without separators, or a local number alone
        digits = _NOT_DIGIT.sub("", text)
        area = _AREA_CODE.match(digits) if len(digits) > 8 else None
        local = digits[area.end() :] if area else digits
    else:
        prefix = _NOT_DIGIT.sub("", text[: parts.start("local")])
        if prefix.startswith("0086"):
            prefix = prefix[4:]
        elif prefix.startswith("86") and text.lstrip()[:1] in "+＋8":
            prefix = prefix[2:]
        area = _AREA_CODE.match(prefix if prefix.startswith("0") else "0" + prefix)
        local = _NOT_DIGIT.sub("", parts.group("local"))
    masked = _keep(local, 0, 4)
    return f"{area.group()}-{masked}" if area else masked


def _mask_card(text: str) -> str:
    return _keep(_NOT_DIGIT.sub("", text), 0, 4)


def _mask_uscc(text: str) -> str:
    return _keep(text.upper(), 4, 4)


def _mask_passport(text: str) -> str:
    value = _NOT_ALNUM.sub("", text).upper()
    letters = len(value) - len(value.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    return _keep(value, max(letters, 1), 2)


def _mask_email(text: str) -> str:
    local, _, domain = text.rpartition("@")
    # A one-letter mailbox would be given away by its first letter.
    return f"{local[:1] if len(local) > 1 else ''}***@{domain}"


def _mask_address(text: str) -> str:
    # The divisions are named before the first number; a 市 after it is part of a building name.
    divisions = _DIVISIONS.match(text[: _FIRST_DIGIT.search(text + "0").start()])
    head = divisions.end() if divisions else 2
    return _keep(text, head, 0)


def _mask_name(text: str) -> str:
    return _keep(text, 1, 0)


_MASKERS = {
    Kind.ID_NUMBER: _mask_id,
    Kind.MOBILE: _mask_mobile,
    Kind.LANDLINE: _mask_landline,
    Kind.BANK_CARD: _mask_card,
    Kind.USCC: _mask_uscc,
    Kind.PASSPORT: _mask_passport,
    Kind.EMAIL: _mask_email,
    Kind.ADDRESS: _mask_address,
    Kind.PERSON_NAME: _mask_name,
}


def mask(kind: str, text: str) -> str:
    """``text`` (a value of ``kind``) with its identifying part starred: ``110101********1234``,
    ``138****5678``, ``a***@example.com``, ``***************1234``. Secrecy marks are not
    secret themselves and come back unchanged."""
    kind = Kind(kind)
    if kind is Kind.SECRECY_MARK:
        return text
    return _MASKERS[kind](text)
