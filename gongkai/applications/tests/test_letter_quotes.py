"""Quoting the applicant's request in a letter (issue 15 §3): GB/T 15834-2011. The letter's own
sentence ends after the closing quote, so the request's full stop goes (no “…计划。”。); a
question mark stays; quotation marks inside become the inner pair."""

from dataclasses import replace

import pytest

from gongkai.applications.letters import LetterKind, quotable, render_letter, sample_context


@pytest.mark.parametrize(
    "typed, quoted",
    [
        ("2025年招生计划。", "2025年招生计划"),
        ("2025年招生计划.", "2025年招生计划"),
        ("招生计划；", "招生计划"),
        ("招生计划。 ", "招生计划"),
        ("是否已经公开？", "是否已经公开？"),
        ("关于“双减”的通知。", "关于‘双减’的通知"),
        ("招生计划", "招生计划"),
    ],
)
def test_quotable(typed, quoted):
    assert quotable(typed) == quoted


@pytest.mark.parametrize("kind", list(LetterKind))
def test_no_letter_doubles_the_full_stop_after_the_quoted_request(kind):
    ctx = replace(sample_context(), description="江州市2025年义务教育阶段学校招生计划。")
    text = render_letter(kind, ctx).text()
    assert "。”。" not in text and "。”" not in text
    if "“江州市2025年" in text:  # quoted in a sentence: the quote closes right after the request
        assert "招生计划”" in text
