"""Index numbers (索引号) in an agency's own format. Pure functions: no database.

A format is a template such as ``{code}/{year}-{seq:5}`` (the 2008 catalogue-system guide,
``000014349/2024-00012``), ``{code}/{year}{month}-{seq:5}`` (``11341702486344515H/202110-00013``),
``{region}/{year}-{seq:6}`` (``6107280000/2024-001005``) or ``{prefix}/{year}-{seq:5}``
(``dqxs/2021-00016``). ``{seq:05d}``, Python's spelling, is accepted too. The same template
parses a number back into its period and sequence, so numbers an agency published before it
used the platform (kept verbatim on import) move its sequence on: new numbers continue after
the highest one of the period.
"""

import re
from dataclasses import dataclass

PLACEHOLDER_RE = re.compile(r"\{(code|region|prefix|year|month|seq)(?::0?(\d{1,2})d?)?\}")
# What an imported index number may contain: letters, digits and the separators seen on
# government sites; it is part of the document's URL, so nothing else.
INDEX_NO_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z/\-_.]{2,63}")
DEFAULT_SEQ_DIGITS = 5


@dataclass(frozen=True)
class Scheme:
    pattern: str
    code: str
    region: str = ""
    prefix: str = ""

    @property
    def monthly(self) -> bool:
        return "{month}" in self.pattern

    def format(self, *, year: int, month: int, seq: int) -> str:
        def one(m: re.Match) -> str:
            name, digits = m[1], m[2]
            if name == "seq":
                return f"{seq:0{int(digits or DEFAULT_SEQ_DIGITS)}d}"
            if name == "year":
                return f"{year:04d}"
            if name == "month":
                return f"{month:02d}"
            return getattr(self, name)

        return PLACEHOLDER_RE.sub(one, self.pattern)

    def regex(self) -> re.Pattern:
        out, pos = [], 0
        for m in PLACEHOLDER_RE.finditer(self.pattern):
            out.append(re.escape(self.pattern[pos : m.start()]))
            name, digits = m[1], m[2]
            if name == "seq":
                out.append(rf"(?P<seq>\d{{{int(digits or DEFAULT_SEQ_DIGITS)},}})")
            elif name == "year":
                out.append(r"(?P<year>\d{4})")
            elif name == "month":
                out.append(r"(?P<month>0[1-9]|1[0-2])")
            else:
                out.append(re.escape(getattr(self, name)))
            pos = m.end()
        out.append(re.escape(self.pattern[pos:]))
        return re.compile("".join(out))

    def parse(self, index_no: str) -> tuple[int, int, int] | None:
        """(year, month or 0, sequence) of a number written in this format, else None."""
        m = self.regex().fullmatch(index_no)
        if not m:
            return None
        month = int(m["month"]) if self.monthly else 0
        return int(m["year"]), month, int(m["seq"])

    def period(self, *, year: int, month: int) -> tuple[int, int]:
        """The sequence's period: the month when the format shows it, else the whole year."""
        return year, (month if self.monthly else 0)


def pattern_problem(pattern: str, *, region: str = "", prefix: str = "") -> str | None:
    """What is wrong with a format, or None: it needs ``{year}`` and ``{seq:N}``, knows no
    other placeholders, needs the region or prefix it names, and yields a valid number."""
    names = [m[1] for m in PLACEHOLDER_RE.finditer(pattern)]
    leftover = PLACEHOLDER_RE.sub("", pattern)
    if "{" in leftover or "}" in leftover:
        return "未知的占位符：只能使用 {code} {region} {prefix} {year} {month} {seq:N}。"
    if "year" not in names or "seq" not in names:
        return "格式必须包含 {year} 和 {seq:N}。"
    if "region" in names and not region:
        return "格式使用了 {region}，请填写区划代码。"
    if "prefix" in names and not prefix:
        return "格式使用了 {prefix}，请填写前缀。"
    sample = Scheme(pattern, code="11341702486344515H", region=region, prefix=prefix)
    if not INDEX_NO_RE.fullmatch(sample.format(year=2024, month=1, seq=1)):
        return "索引号只能由字母、数字和 / - _ . 组成，长度不超过64。"
    return None


def index_no_problem(index_no: str) -> str | None:
    """Why an imported index number cannot be kept, or None."""
    if not INDEX_NO_RE.fullmatch(index_no) or ".." in index_no or "//" in index_no or index_no.endswith("/"):
        return (
            f"index number {index_no!r} is not valid: letters, digits and / - _ . only, "
            "3 to 64 characters, starting with a letter or digit, no empty or '..' part"
        )
    return None
