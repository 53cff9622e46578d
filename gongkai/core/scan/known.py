"""Values known to be public, and the key under which findings of one value are the same.

An agency's own telephone, fax, e-mail and address are printed on every notice it issues; they
are not personal data, and flagging them buried the real findings (issue 17: 82% of findings on
realistic notices). The caller passes the values it knows (the agency directory's contact
details: ``gongkai.agencies.selectors.public_contact_values``; core does not read the
directory itself) and a finding of one of them is not reported.

Values are compared by key, not by spelling: a telephone by its area code and local number
("0551-65123456", "(0551)65123456", "0551 6512 3456" and, without an area code, "65123456" are
one number; an extension is ignored), a mobile by its eleven digits, an e-mail without case,
an address by its street and house number ("长江西路100号" in any longer spelling of the same
place, but not with a room or a unit after it: "长江西路100号3栋201室" is somebody's home).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .detectors import LANDLINE_RE, MOBILE_RE
from .findings import Finding, Kind

_FULLWIDTH = {
    cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULLWIDTH.update({0xFF20: ord("@"), 0xFF0B: ord("+"), 0xFF0D: ord("-"), 0xD7: ord("X")})
_SPACES = re.compile(r"\s+")
_NOT_DIGIT = re.compile(r"[^0-9]+")
_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_AREA_CODE = re.compile(r"0(?:10|2[0-9]|[3-9][0-9][0-9])")
# A telephone-like run in a directory value ("0551-65123456、65123457", "(0551) 6512 3456").
_PHONE_RUN = re.compile(r"(?:[+＋]?86[ \-]?)?[(（]?[0-9][0-9 \-()（）.]{5,}[0-9]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,24}")
_DIVISIONS = re.compile(r".*(?:省|自治区|特别行政区|市|自治州|州|盟|地区|区|县|旗|镇|乡|街道)")
_HOUSE = re.compile(r"[0-9]+(?:-[0-9]+)?[号栋幢]")
_HOME_AFTER = re.compile(r"室|户|单元|[0-9]+(?:栋|幢|号楼)")
_DIVISION_NAME = re.compile(r"[^省市区县旗镇乡]{1,10}?(?:省|自治区|市|自治州|州|区|县|旗|镇|乡)")


def _plain(value: str) -> str:
    return _SPACES.sub("", value.translate(_FULLWIDTH))


def _landline_key(value: str) -> str | None:
    """The key of a landline as written in a text: "area-local", or "-local" without an area code."""
    value = value.translate(_FULLWIDTH)
    parts = LANDLINE_RE.fullmatch(value)
    if parts is not None:
        prefix = _NOT_DIGIT.sub("", value[: parts.start("local")])
        local = _NOT_DIGIT.sub("", parts.group("local"))
        if prefix.startswith("0086"):
            prefix = prefix[4:]
        elif prefix.startswith("86") and value.lstrip()[:1] in "+8":
            prefix = prefix[2:]
        area = _AREA_CODE.match(prefix if prefix.startswith("0") else "0" + prefix)
        return f"{area.group() if area else ''}-{local}"
    return _digits_landline_key(_NOT_DIGIT.sub("", value.split("转")[0]))


def _digits_landline_key(digits: str) -> str | None:
    if digits.startswith("0086"):
        digits = "0" + digits[4:] if not digits[4:].startswith("0") else digits[4:]
    area = _AREA_CODE.match(digits) if len(digits) > 8 else None
    local = digits[area.end() :] if area else digits
    if not 7 <= len(local) <= 8:
        return None
    return f"{area.group() if area else ''}-{local}"


def _mobile_key(value: str) -> str:
    return _NOT_DIGIT.sub("", value.translate(_FULLWIDTH))[-11:]


def finding_key(kind: str, value: str) -> str:
    """The key under which two spellings of one value of ``kind`` are the same: what a
    reviewer settles at once ("settle every finding of this value") and what ``known``
    values are compared by."""
    kind = Kind(kind)
    if kind is Kind.MOBILE:
        return _mobile_key(value)
    if kind is Kind.LANDLINE:
        return _landline_key(value) or _NOT_DIGIT.sub("", value)
    if kind in (Kind.ID_NUMBER, Kind.PASSPORT, Kind.USCC):
        return _NOT_ALNUM.sub("", value.translate(_FULLWIDTH)).upper()
    if kind is Kind.BANK_CARD:
        return _NOT_DIGIT.sub("", value)
    if kind is Kind.EMAIL:
        return _plain(value).lower()
    return _plain(value)


@dataclass(frozen=True)
class KnownValues:
    """Known public values, prepared for matching (see ``prepare``)."""

    phones: frozenset[str]  # landline keys "area-local" and "-local"; mobile keys (11 digits)
    emails: frozenset[str]
    plain: frozenset[str]  # every value without spaces: exact matches of any other kind
    addresses: tuple[str, ...]  # whole addresses without spaces
    streets: re.Pattern | None  # street-and-number cores of the addresses
    places: dict = field(default_factory=dict)  # core -> the whole addresses that have it

    def __contains__(self, finding: Finding) -> bool:
        return finding.kind is not Kind.SECRECY_MARK and self.holds(finding.kind, finding.text)

    def holds(self, kind: str, value: str) -> bool:
        """True when ``value`` (a finding of ``kind``) is one of the known values. Only
        telephones, e-mails and addresses can be: the directory publishes nothing else that the
        scan looks for (a person's name or number is never a known public value)."""
        kind = Kind(kind)
        if kind not in _KNOWABLE:
            return False
        if kind is Kind.MOBILE:
            return _mobile_key(value) in self.phones
        if kind is Kind.LANDLINE:
            key = _landline_key(value)
            return key is not None and key in self.phones
        if kind is Kind.EMAIL:
            return _plain(value).lower() in self.emails
        plain = _plain(value)
        if plain in self.plain:
            return True
        if kind is Kind.ADDRESS:
            if len(plain) >= 6 and any(plain in address for address in self.addresses):
                return True
            if self.streets is not None:
                for m in self.streets.finditer(plain):
                    if _HOME_AFTER.search(plain, m.end()):
                        continue
                    # The same street and number in another city is another place: every
                    # division the finding names before the street must be in the known address.
                    named = _DIVISION_NAME.findall(plain, 0, m.start())
                    if any(all(d in known for d in named) for known in self.places[m.group()]):
                        return True
        return False


_KNOWABLE = frozenset({Kind.MOBILE, Kind.LANDLINE, Kind.EMAIL, Kind.ADDRESS})
NOTHING_KNOWN = KnownValues(frozenset(), frozenset(), frozenset(), (), None)


def _street_core(address: str) -> str | None:
    """What is left of an address without its administrative divisions, up to its first house
    number: "长江西路100号" of "安徽省合肥市蜀山区长江西路100号（政务中心）"."""
    first_digit = re.search(r"[0-9]", address)
    if first_digit is None:
        return None
    divisions = _DIVISIONS.match(address[: first_digit.start()])
    head = divisions.end() if divisions else 0
    house = _HOUSE.search(address, first_digit.start())
    if house is None:
        return None
    core = address[head : house.end()]
    # A core must name a street (or estate) and a number: "100号" alone says nothing.
    return core if len(core) >= 5 and not core[0].isdigit() else None


@lru_cache(maxsize=8)
def _prepare(values: frozenset[str]) -> KnownValues:
    phones: set[str] = set()
    emails: set[str] = set()
    plain: set[str] = set()
    addresses: list[str] = []
    places: dict[str, list[str]] = {}
    for raw in values:
        value = raw.translate(_FULLWIDTH).strip()
        if not value:
            continue
        plain.add(_SPACES.sub("", value))
        emails.update(m.group().lower() for m in _EMAIL.finditer(value))
        if "@" not in value:
            for m in _PHONE_RUN.finditer(value):
                run = m.group()
                if MOBILE_RE.fullmatch(run.replace(".", "-")) or (
                    len(digits := _NOT_DIGIT.sub("", run)) == 11 and digits[:1] == "1"
                ):
                    phones.add(_mobile_key(run))
                    continue
                key = _landline_key(run)
                if key is not None:
                    phones.add(key)
                    phones.add("-" + key.split("-", 1)[1])
        if re.search("[\u4e00-\u9fff]", value):
            address = _SPACES.sub("", value)
            addresses.append(address)
            core = _street_core(address)
            if core:
                places.setdefault(core, []).append(address)
    streets = re.compile("|".join(map(re.escape, sorted(places, key=len, reverse=True)))) if places else None
    return KnownValues(
        frozenset(phones), frozenset(emails), frozenset(plain), tuple(addresses), streets, places
    )


def prepare(values: "Iterable[str] | KnownValues | None") -> KnownValues:
    """``values`` (telephones, e-mails, addresses as written anywhere) ready for matching. The
    result of the same set of values is kept, so that passing the directory's values to every
    scan of a submission prepares them once."""
    if values is None:
        return NOTHING_KNOWN
    if isinstance(values, KnownValues):
        return values
    values = values if isinstance(values, frozenset) else frozenset(values)
    return _prepare(values) if values else NOTHING_KNOWN


def drop_known(findings: list, known: "Iterable[str] | KnownValues | None") -> list:
    """``findings`` without those of a known public value (for findings that did not come from
    ``scan_text(..., known=...)``, e.g. a file's). Items are findings, or carry one as
    ``.finding`` (a file part's finding)."""
    prepared = prepare(known)
    if prepared is NOTHING_KNOWN:
        return list(findings)
    return [f for f in findings if getattr(f, "finding", f) not in prepared]
