"""scan_text: run the detectors, keep the best of overlapping candidates, mask the excerpts."""

import re
from bisect import bisect_left
from datetime import datetime
from zoneinfo import ZoneInfo

from . import detectors
from .findings import KIND_RANK, Finding, Kind
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


def scan_text(text: str) -> list[Finding]:
    """Secrecy marks and personal data in ``text``, in order of position, without overlaps.
    Offsets are character offsets into ``text``; excerpts are masked."""
    norm = _normalise(text)
    found: list[detectors.Candidate] = list(detectors.numbers(norm, today=datetime.now(SHANGHAI).date()))
    id_starts = [c[0] for c in found if c[2] is Kind.ID_NUMBER]
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
    findings = []
    for i, (start, end, kind, confidence) in enumerate(kept):
        if kind is Kind.SECRECY_MARK:
            excerpt = _context(text, norm, kept, starts, i)
        else:
            excerpt = mask(kind, norm[start:end])
        findings.append(Finding(kind, start, end, text[start:end], excerpt, confidence))
    return findings
