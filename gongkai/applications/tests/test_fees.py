"""Information-processing fees (国办函〔2020〕109号): bands, progressive charging, exemptions, waivers."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.fees import (
    PER_COUNT_BANDS,
    PER_VOLUME_BANDS,
    FeeExemption,
    FeeMethod,
    FeeNotAllowed,
    fee_check,
    pages_from_electronic,
    per_count_band,
    quote_per_count,
    quote_per_volume,
    waiver_apply,
)

D = Decimal


# --- the bands are data -----------------------------------------------------------------------


@pytest.mark.parametrize("bands", [PER_COUNT_BANDS, PER_VOLUME_BANDS])
def test_bands_start_at_one_and_are_contiguous(bands):
    assert bands[0].first == 1 and bands[0].yuan == 0
    for before, after in zip(bands, bands[1:], strict=False):
        assert after.first == before.last + 1


def test_only_the_last_volume_band_is_open_ended():
    assert PER_VOLUME_BANDS[-1].last is None
    assert all(b.last is not None for b in PER_VOLUME_BANDS[:-1] + PER_COUNT_BANDS)


# --- per count (按件): the nth application of the month pays its band's rate --------------------


@pytest.mark.parametrize(
    ("nth", "yuan"),
    [
        (1, "0"),
        (10, "0"),  # 1-10 free
        (11, "100"),
        (30, "100"),  # 11-30: 100 each
        (31, "200"),
        (40, "200"),
        (41, "300"),
        (50, "300"),
        (51, "400"),  # 51-60: 300 + 100
        (60, "400"),
        (61, "500"),  # 61-70: 400 + 100
        (100, "800"),  # 91-100, the 5th band past 50: 300 + 5 × 100
        (101, "900"),  # 101-110, the 6th: 300 + 6 × 100
    ],
)
def test_per_count_fee_at_each_band_boundary(nth, yuan):
    assert quote_per_count(nth_in_month=nth).amount == D(yuan).quantize(D("0.01"))


def test_per_count_further_bands_are_generated_in_tens():
    band = per_count_band(1234)  # 1231-1240: 300 + ((1231 - 51) / 10 + 1) × 100 = 300 + 119 × 100
    assert (band.first, band.last, band.yuan) == (1231, 1240, D(12200))


def test_per_count_quote_cites_the_measures_and_the_band():
    quote = quote_per_count(nth_in_month=12)
    assert quote.method == FeeMethod.PER_COUNT
    assert "国办函〔2020〕109号" in quote.basis and "第11-30件" in quote.basis
    assert quote.lines == ("本月第12件申请，适用第11-30件档（每件100.00元）：100.00元",)


def test_per_count_refuses_a_zeroth_application():
    with pytest.raises(FeeNotAllowed):
        quote_per_count(nth_in_month=0)


# --- per volume (按量): progressive over the pages of one application --------------------------


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [
        (0, "0"),
        (30, "0"),  # 1-30 free
        (31, "10"),  # 1 × 10
        (100, "700"),  # 70 × 10
        (101, "720"),  # 70 × 10 + 1 × 20
        (200, "2700"),  # 70 × 10 + 100 × 20
        (201, "2740"),  # 70 × 10 + 100 × 20 + 1 × 40
        (250, "4700"),  # 70 × 10 + 100 × 20 + 50 × 40
    ],
)
def test_per_volume_fee_at_each_band_boundary(pages, yuan):
    assert quote_per_volume(pages=pages).amount == D(yuan).quantize(D("0.01"))


def test_per_volume_quote_shows_the_computation_band_by_band():
    quote = quote_per_volume(pages=250)
    assert quote.method == FeeMethod.PER_VOLUME
    assert quote.lines == (
        "第1-30页：30页 × 0.00元 = 0.00元",
        "第31-100页：70页 × 10.00元 = 700.00元",
        "第101-200页：100页 × 20.00元 = 2000.00元",
        "第201-250页：50页 × 40.00元 = 2000.00元",
        "合计：4700.00元",
    )
    assert "国办函〔2020〕109号" in quote.basis and "超额累进" in quote.basis
    assert "第201页及以上每页40.00元" in quote.basis


def test_per_volume_basis_records_the_electronic_conversion_rule():
    rule = "电子数据每MB折合100页，向上取整"
    assert rule in quote_per_volume(pages=120, conversion_rule=rule).basis


@pytest.mark.parametrize(
    ("megabytes", "per_mb", "pages"),
    [("0", "100", 0), ("1", "100", 100), ("1.001", "100", 101), ("0.3", "3.5", 2)],  # 1.05 → 2
)
def test_electronic_volume_is_converted_to_pages_rounding_up(megabytes, per_mb, pages):
    assert pages_from_electronic(megabytes=D(megabytes), pages_per_mb=D(per_mb)) == pages


@pytest.mark.parametrize(("megabytes", "per_mb"), [("-1", "100"), ("1", "0"), ("1", "-2")])
def test_electronic_conversion_refuses_nonsense(megabytes, per_mb):
    with pytest.raises(FeeNotAllowed):
        pages_from_electronic(megabytes=D(megabytes), pages_per_mb=D(per_mb))


# --- fee_check: the platform never records a fee the law does not allow -----------------------


def test_fee_check_accepts_the_exact_standard_amount():
    assert fee_check(method="per_volume", amount=D("4700.00"), pages=250).amount == D("4700.00")
    assert fee_check(method="per_count", amount=D("200"), nth_in_month=35).amount == D("200.00")


@pytest.mark.parametrize("amount", ["4699.99", "4700.01", "0"])
def test_fee_check_refuses_an_amount_other_than_the_standard(amount):
    with pytest.raises(FeeNotAllowed, match="4700.00元"):
        fee_check(method="per_volume", amount=D(amount), pages=250)


@pytest.mark.parametrize(
    ("method", "kw"), [("per_count", {"nth_in_month": 10}), ("per_volume", {"pages": 30})]
)
def test_fee_check_refuses_any_fee_in_the_free_band(method, kw):
    assert fee_check(method=method, amount=D("0"), **kw).amount == 0
    with pytest.raises(FeeNotAllowed, match="免费"):
        fee_check(method=method, amount=D("0.01"), **kw)


@pytest.mark.parametrize("exemption", list(FeeExemption))
def test_exempt_applications_are_never_charged(exemption):
    with pytest.raises(FeeNotAllowed, match="不收取"):
        fee_check(method="per_volume", amount=D("4700"), pages=250, exemption=exemption)
    quote = fee_check(method="per_count", amount=D("0"), nth_in_month=99, exemption=exemption)
    assert quote.amount == 0 and "不收取信息处理费" in quote.basis


@pytest.mark.parametrize(
    "kw",
    [
        {"method": "per_count", "nth_in_month": 12, "pages": 40},  # both methods at once
        {"method": "per_count"},  # neither input
        {"method": "per_count", "pages": 40},  # input of the other method
        {"method": "per_volume", "nth_in_month": 12},
        {"method": "by_weight", "pages": 40},
        {"method": "per_count", "nth_in_month": 12, "exemption": "poverty"},
        {"method": "per_count", "nth_in_month": 0},
        {"method": "per_volume", "pages": -1},
    ],
)
def test_fee_check_refuses_malformed_requests(kw):
    with pytest.raises(FeeNotAllowed):
        fee_check(amount=D("100"), **kw)


@pytest.mark.parametrize("amount", [D("-100"), D("100.001"), D("NaN"), 100])
def test_fee_check_refuses_negative_fractional_or_non_decimal_amounts(amount):
    with pytest.raises(FeeNotAllowed):
        fee_check(method="per_count", amount=amount, nth_in_month=12)


# --- waivers (减免) ----------------------------------------------------------------------------


def test_waiver_with_office_head_approval_reduces_and_records_it():
    quote = waiver_apply(
        quote=quote_per_volume(pages=250), reduced_to=D("1000"), approved_by_office_head=True
    )
    assert quote.amount == D("1000.00")
    assert "负责人批准" in quote.basis and quote.lines[-1].endswith("由4700.00元减免至1000.00元")


def test_waiver_may_waive_the_whole_fee():
    quote = waiver_apply(
        quote=quote_per_count(nth_in_month=31), reduced_to=D("0"), approved_by_office_head=True
    )
    assert quote.amount == 0


@pytest.mark.parametrize(
    ("reduced_to", "approved"),
    [("100", False), ("4700", True), ("5000", True), ("-1", True), ("0.001", True)],
)
def test_waiver_refuses_without_approval_or_without_a_real_reduction(reduced_to, approved):
    with pytest.raises(FeeNotAllowed):
        waiver_apply(
            quote=quote_per_volume(pages=250), reduced_to=D(reduced_to), approved_by_office_head=approved
        )


# --- properties -------------------------------------------------------------------------------

pages_st = st.integers(min_value=1, max_value=5000)


def _page_rate(page: int) -> Decimal:
    return next(b.yuan for b in PER_VOLUME_BANDS if b.first <= page and (b.last is None or page <= b.last))


@given(pages_st)
def test_page_n_costs_exactly_its_bands_rate(n):
    marginal = quote_per_volume(pages=n).amount - quote_per_volume(pages=n - 1).amount
    assert marginal == _page_rate(n)


@given(pages_st, pages_st)
def test_per_volume_fee_never_falls_as_pages_grow(a, b):
    low, high = sorted((a, b))
    assert quote_per_volume(pages=low).amount <= quote_per_volume(pages=high).amount


@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_per_count_fee_never_falls_as_the_month_goes_on(a, b):
    low, high = sorted((a, b))
    assert quote_per_count(nth_in_month=low).amount <= quote_per_count(nth_in_month=high).amount


@given(st.integers(min_value=51, max_value=10_000))
def test_per_count_each_further_ten_costs_100_more(n):
    assert quote_per_count(nth_in_month=n + 10).amount - quote_per_count(nth_in_month=n).amount == 100


@given(st.integers(min_value=0, max_value=5000))
def test_fee_check_accepts_exactly_the_quote(pages):
    quote = quote_per_volume(pages=pages)
    assert fee_check(method="per_volume", amount=quote.amount, pages=pages) == quote
