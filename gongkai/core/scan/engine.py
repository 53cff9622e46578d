"""scan_text: run the detectors, keep the best of overlapping candidates, mask the excerpts."""

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from . import detectors, lexicon
from .findings import KIND_RANK, Confidence, Finding, Kind
from .known import NOTHING_KNOWN, KnownValues, prepare
from .masking import mask

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Characters of context shown on each side of a secrecy mark.
CONTEXT = 12

# Full-width digits and Latin letters (and ＠ ＋ －) are read as their ASCII twins. The mapping
# is one character to one, so offsets into the normalised text are offsets into the original.
_FULLWIDTH_RE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff20\uff0b\uff0d]+")
_FULLWIDTH = {
    cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_FULLWIDTH.update({0xFF20: ord("@"), 0xFF0B: ord("+"), 0xFF0D: ord("-")})
_WHITESPACE_RE = re.compile(r"\s+")


def _normalise(text: str) -> str:
    # str.translate on a whole Chinese text runs at ~15 MB/s (a dict lookup per character);
    # translating only the full-width runs costs a regex pass.
    return _FULLWIDTH_RE.sub(lambda m: m.group().translate(_FULLWIDTH), text)


# A line break (and the blanks around it) just before a digit or an X: where a text extractor
# or a narrow table cell wrapped a number ("11010119900307\n123X", "1391234\n5678"). The regex
# starts with a literal, so it costs one quick pass; the digit before is checked in Python.
_BREAK_RE = re.compile(r"\n[ \t\u3000]*(?=[0-9Xx×])")
_BLANKS_BEFORE_BREAK = " \t\r\u3000"
# Characters of context joined on each side of a line break inside a number.
JOIN_SPAN = 24
# The kinds looked for across a line break: those with a checksum or a fixed form.
_WRAPPED_KINDS = (Kind.ID_NUMBER, Kind.MOBILE)


# Digits on the two sides of a break, together, that can be part of a wrapped number: fewer are
# the row numbers and counts of a table extracted one cell a line ("2\n537\n").
_WRAPPED_MIN_DIGITS = 8
_DIGITS_BEFORE = re.compile(r"[0-9]{1,18}\Z")
_DIGITS_AFTER = re.compile(r"[0-9]{0,17}[0-9Xx×]")


def _line_breaks_in_numbers(norm: str) -> list[tuple[int, int]]:
    """(start, end) of each line break, with its blanks, between a digit and a digit or X,
    where the digits on both sides could be parts of one number."""
    breaks = []
    for m in _BREAK_RE.finditer(norm):
        start = m.start()
        while start > 0 and norm[start - 1] in _BLANKS_BEFORE_BREAK:
            start -= 1
        if start == 0 or not norm[start - 1].isdigit():
            continue
        before = _DIGITS_BEFORE.search(norm, max(0, start - 18), start)
        after = _DIGITS_AFTER.match(norm, m.end())
        if len(before.group()) + len(after.group()) >= _WRAPPED_MIN_DIGITS:
            breaks.append((start, m.end()))
    return breaks


def _wrapped_numbers(norm: str, *, today) -> Iterator[detectors.Candidate]:
    """ID numbers and mobiles broken over lines: the text around each cluster of breaks is
    joined (breaks removed), scanned, and what spans a break is mapped back to ``norm``. An
    identity number is believed across any number of breaks (its check character vouches for
    it), a mobile across one; a 15-digit number only after its label."""
    breaks = _line_breaks_in_numbers(norm)
    i = 0
    while i < len(breaks):
        j = i
        while j + 1 < len(breaks) and breaks[j + 1][0] - breaks[j][1] <= JOIN_SPAN:
            j += 1
        lo, hi = max(0, breaks[i][0] - JOIN_SPAN), min(len(norm), breaks[j][1] + JOIN_SPAN)
        while lo > 0 and norm[lo - 1].isascii() and norm[lo - 1].isalnum():
            lo -= 1  # never start inside a number: it would read as a shorter one
        while hi < len(norm) and norm[hi].isascii() and norm[hi].isalnum():
            hi += 1
        pieces: list[str] = []
        where: list[int] = []  # offset in norm of each character of the joined text
        pos = lo
        for b_start, b_end in breaks[i : j + 1]:
            pieces.append(norm[pos:b_start])
            where.extend(range(pos, b_start))
            pos = b_end
        pieces.append(norm[pos:hi])
        where.extend(range(pos, hi))
        joined = "".join(pieces)
        for start, end, kind, confidence in detectors.numbers(joined, today=today):
            if kind not in _WRAPPED_KINDS:
                continue
            o_start, o_end = where[start], where[end - 1] + 1
            crossed = sum(1 for b_start, _ in breaks[i : j + 1] if o_start < b_start < o_end)
            if not crossed or (kind is Kind.MOBILE and crossed > 1):
                continue
            if confidence is Confidence.LOW and not detectors._cue_before(joined, start, lexicon.ID_CUES):
                continue
            yield o_start, o_end, kind, confidence
        i = j + 1


def _rank(candidate: detectors.Candidate) -> tuple:
    start, end, kind, confidence = candidate
    return (start - end, KIND_RANK[kind], confidence != "high", start)


def _resolve(candidates: list[detectors.Candidate]) -> list[detectors.Candidate]:
    """Non-overlapping candidates, sorted by position: of two that overlap, the longer wins,
    then the more specific kind (an ID number is not also a bank card), then high confidence.
    Candidates are swept in order of position into clusters of mutually reachable overlaps;
    only within a cluster (rarely more than two) is the ranking applied."""
    kept: list[detectors.Candidate] = []
    cluster: list[detectors.Candidate] = []
    reach = -1
    for cand in sorted(candidates):
        if cand[0] >= reach and cluster:
            kept.extend(_best_of(cluster))
            cluster = []
        cluster.append(cand)
        reach = max(reach, cand[1]) if len(cluster) > 1 else cand[1]
    if cluster:
        kept.extend(_best_of(cluster))
    return kept


def _best_of(cluster: list[detectors.Candidate]) -> list[detectors.Candidate]:
    if len(cluster) == 1:
        return cluster
    chosen: list[detectors.Candidate] = []
    for cand in sorted(cluster, key=_rank):
        if all(cand[1] <= c[0] or c[1] <= cand[0] for c in chosen):
            chosen.append(cand)
    return sorted(chosen)


def _context(text: str, norm: str, kept: list[detectors.Candidate], starts: list[int], index: int) -> str:
    """A secrecy mark with CONTEXT characters either side, every other finding in that
    window masked, whitespace folded to single spaces."""
    start, end = kept[index][0], kept[index][1]
    lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    first = bisect_left(starts, lo)
    while first > 0 and kept[first - 1][1] > lo:
        first -= 1
    neighbours = kept[first : bisect_left(starts, hi)]
    # A neighbour cut by the window is shown whole, masked: never a part of a value.
    lo, hi = min(lo, neighbours[0][0]), max(hi, neighbours[-1][1])
    parts: list[str] = []
    pos = lo
    for c_start, c_end, kind, _ in neighbours:
        parts.append(text[pos:c_start])
        parts.append(text[c_start:c_end] if kind is Kind.SECRECY_MARK else mask(kind, norm[c_start:c_end]))
        pos = c_end
    parts.append(text[pos:hi])
    excerpt = _WHITESPACE_RE.sub(" ", "".join(parts)).strip()
    return ("…" if lo > 0 else "") + excerpt + ("…" if hi < len(text) else "")


def scan_text(
    text: str, *, known: "Iterable[str] | KnownValues | None" = None, public: bool = False
) -> list[Finding]:
    """Secrecy marks and personal data in ``text``, in order of position, without overlaps.
    Offsets are character offsets into ``text``; excerpts are masked.

    ``known``: values known to be public (an agency's telephone, fax, e-mail, address, as
    written anywhere); findings of them are not reported (see ``known.py``). A company's
    credit code (USCC) is not personal data and is not reported either, unless ``public`` is
    true: then it comes with the confidence PUBLIC. It is still detected, so that a credit
    code is never misread as a card or an identity number."""
    norm = _normalise(text)
    today = datetime.now(SHANGHAI).date()
    found: list[detectors.Candidate] = list(detectors.numbers(norm, today=today))
    if "\n" in norm:
        found += _wrapped_numbers(norm, today=today)
    id_starts = sorted([c[0] for c in found if c[2] is Kind.ID_NUMBER] + detectors.masked_id_starts(norm))
    found += [
        *detectors.names_before_ids(norm, id_starts),
        *detectors.emails(norm),
        *detectors.secrecy_marks(norm),
        *detectors.labelled_fields(norm),
        *detectors.addresses(norm),
    ]
    if not found:
        return []
    kept = _resolve(found)
    starts = [c[0] for c in kept]
    known_values = prepare(known)
    findings = []
    for i, (start, end, kind, confidence) in enumerate(kept):
        if kind is Kind.USCC:
            if not public:
                continue
            confidence = Confidence.PUBLIC
        if kind is Kind.SECRECY_MARK:
            excerpt = _context(text, norm, kept, starts, i)
        else:
            excerpt = mask(kind, norm[start:end])
            if known_values is not NOTHING_KNOWN and known_values.holds(kind, norm[start:end]):
                continue
        findings.append(Finding(kind, start, end, text[start:end], excerpt, confidence))
    return findings
