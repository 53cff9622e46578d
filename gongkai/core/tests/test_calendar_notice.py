"""The holiday notice file format: what loads, and errors that name the field to fix."""

import copy
import json
from datetime import date

import pytest

from gongkai.core.calendar_notice import NoticeInvalid, notice_to_dict, parse_notice, parse_notice_text
from gongkai.core.calendar_seed import package_notice_dicts, package_notices

# The 2025 notice as the package carries it, in the file format (a real notice).
NOTICE_2025 = {
    "year": 2025,
    "source": "国务院办公厅关于2025年部分节假日安排的通知",
    "holidays": [
        {"name": "元旦", "dates": ["2025-01-01"]},
        {
            "name": "春节",
            "dates": [f"2025-01-{d}" for d in (28, 29, 30, 31)] + [f"2025-02-0{d}" for d in (1, 2, 3, 4)],
        },
        {"name": "清明", "dates": ["2025-04-04", "2025-04-05", "2025-04-06"]},
        {"name": "劳动节", "dates": [f"2025-05-0{d}" for d in range(1, 6)]},
        {"name": "端午", "dates": ["2025-05-31", "2025-06-01", "2025-06-02"]},
        {"name": "国庆节", "dates": [f"2025-10-0{d}" for d in (1, 2, 3, 4, 5, 7, 8)]},
        {"name": "中秋", "dates": ["2025-10-06"]},
    ],
    "workdays": [
        {"name": "春节", "dates": ["2025-01-26", "2025-02-08"]},
        {"name": "劳动节", "dates": ["2025-04-27"]},
        {"name": "国庆节", "dates": ["2025-09-28", "2025-10-11"]},
    ],
}


def notice(**changes) -> dict:
    data = copy.deepcopy(NOTICE_2025)
    data.update(changes)
    return data


def errors_of(data) -> list[str]:
    with pytest.raises(NoticeInvalid) as caught:
        parse_notice(data)
    return caught.value.errors


def test_a_real_notice_loads_with_its_holidays_and_adjusted_working_days():
    parsed = parse_notice(NOTICE_2025)
    assert parsed.year == 2025
    assert len(parsed.holidays) == 28
    assert parsed.holidays[date(2025, 10, 6)] == "中秋"
    assert parsed.workdays == {
        date(2025, 1, 26): "春节",
        date(2025, 2, 8): "春节",
        date(2025, 4, 27): "劳动节",
        date(2025, 9, 28): "国庆节",
        date(2025, 10, 11): "国庆节",
    }


def test_the_example_agrees_with_the_package():
    (packaged,) = [n for n in package_notices() if n.year == 2025]
    parsed = parse_notice(NOTICE_2025)
    assert (parsed.holidays, parsed.workdays) == (packaged.holidays, packaged.workdays)


def test_workdays_may_be_plain_dates_without_a_name():
    parsed = parse_notice(notice(workdays=["2025-01-26", {"name": "春节", "dates": ["2025-02-08"]}]))
    assert parsed.workdays == {date(2025, 1, 26): "", date(2025, 2, 8): "春节"}


def test_a_notice_without_adjusted_working_days_says_so_with_an_empty_list():
    assert parse_notice(notice(workdays=[])).workdays == {}


def test_the_file_format_round_trips():
    parsed = parse_notice(notice(workdays=["2025-01-26", {"name": "劳动节", "dates": ["2025-04-27"]}]))
    assert parse_notice(notice_to_dict(parsed)) == parsed


def test_every_packaged_notice_round_trips_through_the_file_format():
    for data in package_notice_dicts():
        parsed = parse_notice(data)
        assert parse_notice(json.loads(json.dumps(notice_to_dict(parsed)))) == parsed


def test_broken_json_is_reported_with_line_and_column():
    text = '{\n  "year": 2025,\n  "source" "x"\n}'
    with pytest.raises(
        NoticeInvalid, match=r"^not valid JSON: Expecting ':' delimiter at line 3, column 12$"
    ):
        parse_notice_text(text)


def test_a_byte_order_mark_is_ignored():
    assert parse_notice_text("\ufeff" + json.dumps(NOTICE_2025)).year == 2025


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(NoticeInvalid, match="not UTF-8"):
        parse_notice_text(json.dumps(NOTICE_2025, ensure_ascii=False).encode("gbk"))


def test_the_notice_must_be_an_object():
    assert errors_of([NOTICE_2025]) == ["the notice must be a JSON object ({...})"]


def test_missing_and_unknown_fields_are_named():
    data = notice(workday=[])
    del data["workdays"], data["source"]
    assert errors_of(data) == [
        "unknown field 'workday' (expected year, source, holidays, workdays)",
        "source: missing",
        "workdays: missing",
    ]


@pytest.mark.parametrize("year", ["2025", 2025.0, True, 1899, 9999])
def test_the_year_must_be_a_plausible_whole_number(year):
    assert errors_of(notice(year=year))[0].startswith("year: must be a whole number between 1900 and 9998")


def test_the_source_is_required():
    assert errors_of(notice(source="  ")) == ["source: must be a non-empty text of at most 200 characters"]


def test_a_notice_needs_holidays():
    assert errors_of(notice(holidays=[])) == [
        'holidays: must be a non-empty list of {"name": ..., "dates": [...]} groups'
    ]


def test_a_holiday_group_needs_a_name_and_dates():
    data = notice(holidays=[{"dates": ["2025-01-01"]}, {"name": "春节", "dates": []}, "元旦"])
    assert errors_of(data) == [
        "holidays[0].name: must be a non-empty text of at most 100 characters",
        "holidays[1].dates: must be a non-empty list of dates (YYYY-MM-DD)",
        'holidays[2]: must be an object {"name": ..., "dates": [...]}',
    ]


@pytest.mark.parametrize("value", ["2025-02-30", "20250101", "2025-1-1", 20250101, None])
def test_a_date_that_is_not_yyyy_mm_dd_is_named(value):
    data = notice(holidays=[{"name": "元旦", "dates": ["2025-01-01", value]}])
    assert errors_of(data) == [f"holidays[0].dates[1]: {value!r} is not a date (YYYY-MM-DD)"]


def test_a_date_outside_the_year_is_refused():
    data = notice(holidays=[{"name": "元旦", "dates": ["2025-01-01", "2026-01-01"]}])
    assert errors_of(data) == [
        "holidays[0].dates[1]: 2026-01-01 is outside the 2025 notice (2025-01-01 to 2025-12-31, "
        "or from 2024-12-25 for the New Year's Day holiday)"
    ]


def test_the_new_year_holiday_may_start_in_the_last_week_of_december():
    data = notice(year=2019, holidays=[{"name": "元旦", "dates": ["2018-12-30", "2018-12-31", "2019-01-01"]}])
    data["workdays"] = ["2018-12-29"]
    parsed = parse_notice(data)
    assert date(2018, 12, 30) in parsed.holidays and date(2018, 12, 29) in parsed.workdays


def test_earlier_december_days_are_outside_the_next_years_notice():
    data = notice(year=2019, holidays=[{"name": "元旦", "dates": ["2018-12-24"]}], workdays=[])
    assert errors_of(data)[0].startswith("holidays[0].dates[0]: 2018-12-24 is outside the 2019 notice")


def test_a_date_cannot_be_both_a_holiday_and_a_working_day():
    data = notice(workdays=["2025-02-01"])
    assert errors_of(data) == [
        "workdays[0]: 2025-02-01 is both a holiday and a working day (also at holidays[1].dates[4])"
    ]


def test_a_date_cannot_be_listed_twice():
    data = notice(
        holidays=[{"name": "元旦", "dates": ["2025-01-01"]}, {"name": "春节", "dates": ["2025-01-01"]}]
    )
    assert errors_of(data) == [
        "holidays[1].dates[0]: 2025-01-01 is listed twice (also at holidays[0].dates[0])"
    ]


def test_only_a_weekend_day_can_be_made_a_working_day():
    assert errors_of(notice(workdays=["2025-01-27"])) == [
        "workdays[0]: 2025-01-27 is a Monday; only a Saturday or Sunday can be made a working day"
    ]


def test_every_problem_is_reported_at_once():
    data = notice(source="", workdays=["2025-01-27", "2026-01-03"])
    assert len(errors_of(data)) == 3


def test_the_documented_example_is_the_real_2025_notice():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[3] / "docs" / "calendar.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    assert parse_notice_text(example) == parse_notice(NOTICE_2025)
