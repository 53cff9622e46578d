"""Masked excerpts: what a reviewer sees of each finding, never the full value."""

import re
import unicodedata

import pytest

from gongkai.core.scan import Kind, mask, scan_text
from gongkai.core.tests.make_scan_sample import load_sample


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        ("id_number", "11010519491231002X", "110105********002X"),
        ("id_number", "110105 19491231 002X", "110105********002X"),
        ("id_number", "34010419850101002x", "340104********002X"),
        ("mobile", "13812345678", "138****5678"),
        ("mobile", "+86 138 1234 5678", "138****5678"),
        ("landline", "0551-65123456", "0551-****3456"),
        ("landline", "（010）62345678", "010-****5678"),
        ("landline", "+86-551-6512345", "0551-***2345"),
        ("landline", "0551-65123456转801", "0551-****3456"),
        ("landline", "6512345", "***2345"),
        ("bank_card", "6222021234567890123", "***************0123"),
        ("bank_card", "6222 0212 3456 7890", "************7890"),
        ("uscc", "913401001234567890", "9134**********7890"),
        ("email", "zhangwei@example.com", "z***@example.com"),
        ("email", "a@example.com", "***@example.com"),
        ("passport", "E12345678", "E******78"),
        ("passport", "EA1234567", "EA*****67"),
        ("person_name", "张三丰", "张**"),
        ("person_name", "欧阳娜娜", "欧***"),
        ("address", "安徽省合肥市蜀山区长江西路100号3栋201室", "安徽省合肥市蜀山区**************"),
        ("address", "江州市浔阳区长虹大道88号市政府大楼2楼205室", "江州市浔阳区" + "*" * 18),
        ("secrecy_mark", "机密★5年", "机密★5年"),
    ],
)
def test_each_kind_is_masked_as_documented(kind, value, masked):
    assert mask(kind, value) == masked


def test_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        mask("credit_score", "123")


def _digits_and_letters(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z\u4e00-\u9fff]", "", unicodedata.normalize("NFKC", value))


def test_no_excerpt_in_the_labelled_sample_shows_a_full_value():
    """Over every finding of the sample: the excerpt never contains the value, with or without
    its separators, and at least a third of the value's characters are starred (of an e-mail
    address, all of the mailbox but its first letter; of a telephone, the local number but its
    last four digits)."""
    checked = 0
    for case in load_sample():
        for f in scan_text(case["text"]):
            if f.kind is Kind.SECRECY_MARK:
                continue
            compact = _digits_and_letters(f.text)
            assert f.text not in f.excerpt and compact not in _digits_and_letters(f.excerpt), f.kind
            if f.kind is Kind.EMAIL:  # the domain is shown, of the mailbox one letter at most
                assert len(f.excerpt.rpartition("@")[0].replace("*", "")) <= 1
            elif f.kind is Kind.LANDLINE:  # the area code is shown (a city, not a person)
                assert f.excerpt.count("*") >= 3
            else:
                assert f.excerpt.count("*") >= len(compact) // 3, f.kind
            checked += 1
    assert checked > 1000


def test_the_context_of_a_secrecy_mark_masks_its_neighbours():
    text = "机密★5年 申请人：张三，手机：13912345678"
    mark = scan_text(text)[0]
    assert mark.kind is Kind.SECRECY_MARK
    assert "13912345678" not in mark.excerpt and "139****5678" in mark.excerpt
    assert "张三" not in mark.excerpt and mark.excerpt.startswith("机密★5年")


def test_a_neighbour_cut_by_the_context_window_is_shown_whole_and_masked():
    text = "内部资料　注意保存　身份证号码11010519491231002X"
    excerpt = scan_text(text)[0].excerpt
    assert "110105********002X" in excerpt
    assert not re.search(r"\d{7}", excerpt)


def test_the_context_of_a_mark_is_marked_as_cut_where_the_text_goes_on():
    text = "前" * 40 + "秘密★1年" + "后" * 40
    assert scan_text(text)[0].excerpt == "…" + "前" * 12 + "秘密★1年" + "后" * 12 + "…"
