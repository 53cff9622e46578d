import random
import sys
import unicodedata

from gongkai.search.tokenize import (
    index_text,
    match_view,
    normalize,
    query_terms,
    term_patterns,
    to_simplified,
)

# Characters that NFKC changes or that interact with their neighbours: full-width forms,
# compatibility ideographs, combining marks, Hangul jamo, half-width kana and voicing marks.
TRICKY = "，。（）〔〕［］：；ＡＢＣ１２３①Ⅻ㈱ﬁ豈更\u0301\u0323\u0308\u1100\u1161\u11a8ｶﾞﾟ゛e"
PLAIN = "中国政府信息公开行政审批abcXYZ0123 -_/"


def test_normalize_is_nfkc_of_the_whole_text_then_simplified_then_lower_case():
    rng = random.Random(7)
    pool = TRICKY + PLAIN
    samples = [
        "中\u0301",
        "e\u0301中",
        "中e\u0301",
        "\u1100\u1161中\u11a8",
        "ｶﾞ中ﾟ",
        "豈中ﬁ",
        "国办发〔2019〕14号",
    ]
    samples += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(5000)]
    for text in samples:
        assert normalize(text) == to_simplified(unicodedata.normalize("NFKC", text)).lower(), text


def test_cjk_unified_ideographs_are_stable_under_nfkc():
    # The premise of normalising only the text between ideographs.
    for cp in range(0x4E00, 0xA000):
        c = chr(cp)
        assert unicodedata.normalize("NFKC", c) == c and unicodedata.combining(c) == 0
    for cp in range(sys.maxunicode + 1):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = [int(p, 16) for p in decomposition.split()]
            assert len(parts) == 1 or not any(0x4E00 <= p < 0xA000 for p in parts), hex(cp)


def test_index_text_is_bigrams_of_runs_with_separators():
    assert index_text("行政审批，改革", "Ａ") == "行政 政审 审批 | 改革 | a"


def _found(query: str, text: str) -> bool:
    """Whether every phrase of the query occurs in the text's token stream."""
    stream = f" {index_text(text)} "
    phrases, _ = query_terms(query)
    return bool(phrases) and all(f" {' '.join(p)} " in stream for p in phrases)


def test_traditional_and_simplified_characters_are_the_same_for_search():
    # Issue 11 §4: the examples as reported.
    assert _found("政府信息公开信息处理费", "关于政府信息公開信息處理費的通知")
    assert _found("国办函〔2020〕109号", "國務院辦公廳（國辦函〔2020〕109號）")
    assert _found("國辦函〔2020〕109號", "国办函〔2020〕109号")
    assert not _found("信息处理费", "信息公开")


def test_document_number_variants_are_found_by_the_canonical_number():
    assert _found("镇政发2023年16号", "镇政发〔2023〕16号")
    assert _found("镇政发〔2023〕第16号", "镇政发〔2023〕16号")
    assert _found("镇政发[2023]16号", "镇政发〔2023〕16号")
    assert _found("镇政发（2023）16号", "镇政发〔2023〕16号")
    assert not _found("镇政发2023年17号", "镇政发〔2023〕16号")


def test_highlight_patterns_match_the_original_traditional_text_position_for_position():
    text = "依據《政府信息公開條例》收取信息處理費"
    view = match_view(text)
    assert len(view) == len(text)
    (pattern,) = term_patterns("信息处理费")
    m = pattern.search(view)
    assert text[m.start() : m.end()] == "信息處理費"
