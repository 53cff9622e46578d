"""Properties of scan_text and mask on any text: offsets that point at the finding, no
overlaps, order, no exception, and masks that never return the value."""

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gongkai.core.scan import Kind, mask, scan_text  # noqa: E402

# Text made of what the detectors react to, so that findings, near misses and overlaps arise.
PIECES = st.sampled_from(
    [
        "0", "1", "3", "6", "8", "9", "X", "E", "@", ".", "-", " ", "\t", "\n", "+86", "(", "）",
        "：", "号", "路", "村", "组", "栋", "★", "机密", "秘密", "内部", "资料", "5年", "长期",
        "申请人：", "住址：", "电话", "卡号", "护照", "身份证", "张", "王", "三", "市", "区",
        "11010519491231002X", "6222021234567890128", "13912345678", "0551-65123456",
        "913401001234567890", "zs@example.com", "０", "１", "３",
    ]
)  # fmt: skip
texts = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_findings_point_at_their_text_in_order_without_overlap(text):
    findings = scan_text(text)
    for f in findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.kind in Kind
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_no_excerpt_contains_a_finding_of_personal_data(text):
    for f in scan_text(text):
        if f.kind is not Kind.SECRECY_MARK:
            assert f.text not in f.excerpt


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([k for k in Kind if k is not Kind.SECRECY_MARK]), st.text(min_size=3, max_size=40))
def test_mask_never_returns_its_input(kind, value):
    assert mask(kind, value) != value or "*" in value
