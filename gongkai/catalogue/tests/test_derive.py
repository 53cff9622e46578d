"""The pure rules behind the import's metadata (derive.py, dates.py, index_numbers.py)."""

from datetime import date

import pytest

from gongkai.catalogue.dates import DateProblem, parse_partial_date, precise_cn, precise_iso
from gongkai.catalogue.derive import canonical_doc_no, derive_doc_no, derive_signature_date
from gongkai.catalogue.index_numbers import Scheme, index_no_problem, pattern_problem


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("镇政发[2024]7号", "镇政发〔2024〕7号"),
        ("镇政发(2024)7号", "镇政发〔2024〕7号"),
        ("镇政发（2024）第07号", "镇政发〔2024〕7号"),
        ("镇政发2024年16号", "镇政发〔2024〕16号"),
        ("国办函〔2020〕109号", "国办函〔2020〕109号"),
        ("国务院令第722号", "国务院令第722号"),  # no year: kept as typed
    ],
)
def test_document_numbers_are_normalised_to_the_canonical_form(typed, canonical):
    assert canonical_doc_no(typed) == canonical


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("关于……的通知\n浙政办发〔2022〕59号\n各市、县人民政府：\n正文。", "浙政办发〔2022〕59号"),
        ("关于……的通知\n文号：浙政办发[2022]59号\n各市、县人民政府：", "浙政办发〔2022〕59号"),
        ("国办发〔2019〕14号    签发人：某某\n关于……的请示\n国务院：", "国办发〔2019〕14号"),
        # Cited in the body, after the addressees: never the document's own number.
        ("关于转发的通知\n各市、县人民政府：\n浙政办发〔2022〕59号\n", None),
        ("现将《通知》（浙政办发〔2022〕59号）转发给你们。", None),
    ],
)
def test_the_document_number_comes_from_the_header_only(header, expected):
    assert derive_doc_no(header) == expected


def test_the_signature_date_is_the_dated_line_under_the_issuing_body():
    assert derive_signature_date("正文。\n\n江州市人民政府\n2024年3月5日\n（此件公开发布）") == date(
        2024, 3, 5
    )
    assert derive_signature_date("正文。\n\n江州市人民政府办公室\n二〇二四年三月五日") == date(2024, 3, 5)
    # A date in a sentence is not a signature.
    assert derive_signature_date("本办法自2024年3月5日起施行。") is None
    assert derive_signature_date("自下列日期起施行，请遵照执行。\n2024年3月5日") is None


@pytest.mark.parametrize(
    ("text", "value", "precision", "iso", "cn"),
    [
        ("2023", date(2023, 1, 1), "year", "2023", "2023年"),
        ("2023-05", date(2023, 5, 1), "month", "2023-05", "2023年5月"),
        ("2023-05-17", date(2023, 5, 17), "day", "2023-05-17", "2023年5月17日"),
        ("2023年5月", date(2023, 5, 1), "month", "2023-05", "2023年5月"),
        ("二〇二三年五月十七日", date(2023, 5, 17), "day", "2023-05-17", "2023年5月17日"),
    ],
)
def test_dates_keep_their_precision(text, value, precision, iso, cn):
    assert parse_partial_date(text) == (value, precision)
    assert precise_iso(value, precision) == iso
    assert precise_cn(value, precision) == cn


@pytest.mark.parametrize("text", ["2023-02-30", "2023-13", "23", "1899", "明年"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(DateProblem):
        parse_partial_date(text)


def test_index_number_formats_format_and_parse_back():
    monthly = Scheme("{code}/{year}{month}-{seq:5}", code="11341702486344515H")
    assert monthly.format(year=2021, month=10, seq=13) == "11341702486344515H/202110-00013"
    assert monthly.parse("11341702486344515H/202110-00013") == (2021, 10, 13)
    assert monthly.parse("000014349/2021-00013") is None
    region = Scheme("{region}/{year}-{seq:6}", code="x", region="6107280000")
    assert region.parse("6107280000/2024-001005") == (2024, 0, 1005)
    legacy = Scheme("{code}/{year}-{seq:05d}", code="000014349")  # the settings' spelling
    assert legacy.format(year=2024, month=3, seq=12) == "000014349/2024-00012"
    assert pattern_problem("{code}/{year}") and pattern_problem("{foo}/{year}-{seq:5}")
    assert pattern_problem("{prefix}/{year}-{seq:5}") and not pattern_problem(
        "{prefix}/{year}-{seq:5}", prefix="dqxs"
    )
    for number in ("11341702486344515H/202110-00013", "6107280000/2024-001005", "dqxs/2021-00016"):
        assert index_no_problem(number) is None
    for bad in ("含 空格", "../x", "a/../b", "a//b", "a/"):  # part of the document's URL
        assert index_no_problem(bad), bad
