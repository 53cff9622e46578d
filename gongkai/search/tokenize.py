"""Overlapping character bigrams: the tokeniser behind "contains" search (catalogue.md).

Measured on 200k real-sentence documents: word segmenters (jieba) miss substrings that cross
word boundaries (行政审) and SQLite's trigram tokenizer cannot find 2-character words, while
bigrams had recall and precision 1.00. A query of n characters becomes the phrase of its n-1
bigrams, so any substring of two or more characters is found, whatever the segmentation.

Text is NFKC-normalised, converted from traditional to simplified characters (OpenCC's ``t2s``
tables, at index and at query time, so 政府信息公開 and 政府信息公开 are the same for search) and
lower-cased, then cut into runs of letters and digits; punctuation and spaces separate runs and
become a separator token, so a phrase never matches across them and a document number matches
whether typed with 〔〕, [] or () (the brackets are separators). In a query, a document number
typed as 国发2023年16号 or 国发〔2023〕第16号 is searched as its canonical form 国发〔2023〕16号.
Highlights are placed on the original text (``match_view``).
"""

import operator
import re
import unicodedata

import opencc

from gongkai.catalogue.derive import canonicalise_doc_numbers

SEPARATOR = "|"
_RUN_RE = re.compile(r"[^\W_]+")
MIN_TERM_CHARS = 2
# CJK Unified Ideographs are stable under NFKC (unchanged, combining class 0, part of no
# composition), so normalising only the stretches between them gives the NFKC of the whole
# text, three times faster on Chinese text (bench/README.md; test_tokenize.py checks it).
_NOT_CJK_RE = re.compile(r"[^\u4e00-\u9fff]+")


def _nfkc(match: re.Match) -> str:
    return unicodedata.normalize("NFKC", match.group())


# OpenCC's traditional-to-simplified conversion (characters and phrases). The converter is
# immutable once loaded, so one instance serves every thread.
_T2S = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _T2S.convert(text)


def normalize(text: str) -> str:
    return to_simplified(_NOT_CJK_RE.sub(_nfkc, text)).lower()


def match_view(text: str) -> str:
    """``text`` in simplified characters, position for position, to find query terms in and
    mark them on the original; the original itself when the conversion changes its length."""
    view = to_simplified(text)
    return view if len(view) == len(text) else text


def normalize_query(query: str) -> str:
    return canonicalise_doc_numbers(normalize(query))


def runs(text: str) -> list[str]:
    """Maximal runs of letters and digits of the normalised text."""
    return _RUN_RE.findall(normalize(text))


def _run_tokens(run: str) -> str:
    if len(run) == 1:
        return run
    return " ".join(map(operator.add, run, run[1:]))


def index_text(*parts: str) -> str:
    """Whitespace-separated token stream for the index (tantivy's whitespace tokenizer)."""
    out = []
    for part in parts:
        if part:
            out.extend(_run_tokens(r) for r in runs(part))
    return f" {SEPARATOR} ".join(out)


def query_terms(query: str) -> tuple[list[list[str]], list[str]]:
    """Parse a user query into phrases of tokens, one phrase per whitespace-separated term
    (terms are ANDed). Returns (phrases, ignored terms shorter than two characters)."""
    phrases, ignored = [], []
    for term in normalize_query(query).split():
        term_runs = runs(term)
        # A one-character run at the edge of a term may sit inside a longer run in the text,
        # where only its bigrams exist: drop it rather than miss the document.
        while len(term_runs) > 1 and len(term_runs[0]) == 1:
            term_runs.pop(0)
        while len(term_runs) > 1 and len(term_runs[-1]) == 1:
            term_runs.pop()
        if not term_runs or (len(term_runs) == 1 and len(term_runs[0]) < MIN_TERM_CHARS):
            if term.strip():
                ignored.append(term)
            continue
        tokens: list[str] = []
        for i, r in enumerate(term_runs):
            if i:
                tokens.append(SEPARATOR)
            tokens.extend(_run_tokens(r).split(" "))
        phrases.append(tokens)
    return phrases, ignored


def term_patterns(query: str) -> list[re.Pattern]:
    """Regular expressions that find each query term in the match_view of the original text,
    allowing any punctuation between its runs: used for highlighting."""
    patterns = []
    for term in normalize_query(query).split():
        term_runs = runs(term)
        if not term_runs or sum(len(r) for r in term_runs) < MIN_TERM_CHARS:
            continue
        patterns.append(re.compile(r"[\W_]*".join(re.escape(r) for r in term_runs), re.IGNORECASE))
    return patterns
