"""`gongkai calendar add-workdays DATE N [--json]` and `gongkai calendar load FILE`
(interfaces.md), through call_command and, for exit statuses and stderr, as a process."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.calendar_seed import package_notices, seed_notices
from gongkai.core.models import AuditEvent, CalendarDay, HolidayNotice

NOTICE_2027 = {
    "year": 2027,
    "source": "测试用通知（非真实数据）",
    "holidays": [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]}],
    "workdays": [],
}


def calendar(*args) -> str:
    out = io.StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def write(path, data) -> str:
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def seeded(db):
    seed_notices(HolidayNotice, CalendarDay, package_notices())


# --- add-workdays -----------------------------------------------------------------------------


def test_add_workdays_prints_the_json_of_interfaces_md(seeded):
    assert json.loads(calendar("add-workdays", "2024-09-25", "20", "--json")) == {
        "date": "2024-10-28",
        "provisional": False,
    }


def test_add_workdays_into_a_year_without_a_notice_is_provisional(seeded):
    assert json.loads(calendar("add-workdays", "2026-12-10", "20", "--json")) == {
        "date": "2027-01-08",  # 1 January is 元旦 by law, notice or not
        "provisional": True,
    }


def test_add_workdays_prints_the_date_and_how_it_was_computed(seeded):
    lines = calendar("add-workdays", "2024-09-25", "20").splitlines()
    assert lines[0] == "2024-10-28"
    assert "国庆节（2024年10月1日至10月7日）" in lines[1]


def test_add_workdays_says_why_a_date_is_provisional(seeded):
    first = calendar("add-workdays", "2026-12-10", "20").splitlines()[0]
    assert first == "2027-01-08 (provisional: no holiday notice loaded for 2027)"


@pytest.mark.parametrize("n", ["0", "-3"])
def test_n_below_one_is_a_user_error(seeded, n):
    with pytest.raises(CommandError, match=f"N must be at least 1 .*, not {n}$"):
        calendar("add-workdays", "2024-09-25", n)


def test_a_malformed_date_is_a_usage_error(seeded):
    with pytest.raises(CommandError, match="'2024-9-25' is not a date"):
        calendar("add-workdays", "2024-9-25", "20")


def test_a_period_past_9999_is_a_user_error(seeded):
    with pytest.raises(CommandError, match="after 9999-12-31"):
        calendar("add-workdays", "9999-12-30", "5")


# --- load -------------------------------------------------------------------------------------


def test_load_stores_a_notice_and_reports_it(seeded, tmp_path):
    out = calendar("load", write(tmp_path / "2027.json", NOTICE_2027))
    assert (
        out
        == "Loaded the 2027 holiday notice (测试用通知（非真实数据）): 3 holidays, 0 adjusted working days.\n"
    )
    assert HolidayNotice.objects.get(year=2027).days.count() == 3
    assert AuditEvent.objects.filter(action="calendar_notice_load", actor_label="system").count() == 1
    assert json.loads(calendar("add-workdays", "2026-12-10", "20", "--json")) == {
        "date": "2027-01-08",
        "provisional": False,
    }


def test_loading_a_year_again_says_it_replaced_the_notice(seeded, tmp_path):
    path = write(tmp_path / "2027.json", NOTICE_2027)
    calendar("load", path)
    assert calendar("load", path).startswith("Replaced the 2027 holiday notice")
    assert HolidayNotice.objects.filter(year=2027).count() == 1


def test_load_reports_broken_json_by_line(seeded, tmp_path):
    path = write(tmp_path / "bad.json", '{\n  "year": 2027,\n  "source": "x",,\n}')
    with pytest.raises(CommandError, match=r"bad\.json: not valid JSON: .* at line 3, column 17$"):
        calendar("load", path)


def test_load_names_the_field_of_a_date_outside_the_year(seeded, tmp_path):
    data = {**NOTICE_2027, "holidays": [{"name": "元旦", "dates": ["2027-01-01", "2028-01-01"]}]}
    with pytest.raises(
        CommandError, match=r"holidays\[0\]\.dates\[1\]: 2028-01-01 is outside the 2027 notice"
    ):
        calendar("load", write(tmp_path / "2027.json", data))
    assert not HolidayNotice.objects.filter(year=2027).exists()


def test_load_refuses_a_day_that_is_both_a_holiday_and_a_working_day(seeded, tmp_path):
    data = {**NOTICE_2027, "workdays": ["2027-01-02"]}
    with pytest.raises(CommandError, match=r"workdays\[0\]: 2027-01-02 is both a holiday and a working day"):
        calendar("load", write(tmp_path / "2027.json", data))


def test_load_of_a_missing_file_says_so(seeded, tmp_path):
    with pytest.raises(CommandError, match="cannot read .*nope.json: No such file"):
        calendar("load", str(tmp_path / "nope.json"))


# --- as a process: exit statuses and one-line errors ------------------------------------------


def django_admin(data_dir, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GONGKAI_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="gongkai.settings")
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cal-data")
    assert django_admin(data_dir, "migrate", "-v", "0").returncode == 0
    return data_dir


def test_the_command_prints_json_on_stdout(migrated):
    run = django_admin(migrated, "calendar", "add-workdays", "2025-01-24", "3", "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"date": "2025-02-05", "provisional": False}


def test_n_zero_exits_1_with_one_line(migrated):
    run = django_admin(migrated, "calendar", "add-workdays", "2025-01-24", "0")
    assert run.returncode == 1 and run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and "N must be at least 1" in run.stderr


def test_a_bad_file_exits_1_with_one_line(migrated, tmp_path):
    run = django_admin(migrated, "calendar", "load", write(tmp_path / "bad.json", "{"))
    assert run.returncode == 1
    assert len(run.stderr.splitlines()) == 1 and "not valid JSON" in run.stderr


def test_a_malformed_date_exits_2(migrated):
    assert django_admin(migrated, "calendar", "add-workdays", "tomorrow", "3").returncode == 2
