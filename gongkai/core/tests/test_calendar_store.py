"""The calendar in the database: seeding, loading and correcting notices, audited; deadlines
computed from the stored notices, and the per-process cache that follows every change."""

import uuid
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model

from gongkai.core.calendar_notice import NoticeInvalid
from gongkai.core.calendar_seed import package_notices, seed_notices
from gongkai.core.calendar_store import (
    CalendarChangeError,
    calendar_day_delete,
    calendar_day_save,
    calendar_for,
    calendar_load,
    calendar_notice_delete,
    workday_add,
)
from gongkai.core.models import AuditEvent, CalendarDay, DayKind, HolidayNotice

pytestmark = pytest.mark.django_db

# A made-up notice for a year the package does not carry.
NOTICE_2027 = {
    "year": 2027,
    "source": "测试用通知（非真实数据）",
    "holidays": [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]}],
    "workdays": [],
}


@pytest.fixture(autouse=True)
def package_calendar():
    """The seeded notices, as the migration leaves them (a transactional test elsewhere may
    have flushed them)."""
    seed_notices(HolidayNotice, CalendarDay, package_notices())


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("cal-admin", "admin@example.gov.cn", "pw-cal-admin")


@pytest.fixture
def clerk(db):
    return get_user_model().objects.create_user("cal-clerk", "clerk@example.gov.cn", "pw-cal-clerk")


# --- seeding ----------------------------------------------------------------------------------


def test_the_migration_seeds_every_year_the_package_carries():
    HolidayNotice.objects.all().delete()
    migration = __import__("gongkai.core.migrations.0003_seed_holiday_notices", fromlist=["forwards"])
    migration.forwards(django_apps, None)
    assert list(HolidayNotice.objects.order_by("year").values_list("year", flat=True)) == list(
        range(2004, 2027)
    )
    assert CalendarDay.objects.get(date=date(2024, 2, 18)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=date(2018, 12, 31)).notice.year == 2019
    assert "chinese-calendar 1.11.0" in HolidayNotice.objects.get(year=2024).source


def test_seeding_again_keeps_what_is_stored():
    calendar_load(
        notice={**NOTICE_2027, "year": 2026, "holidays": [{"name": "元旦", "dates": ["2026-01-01"]}]},
        actor=None,
    )
    assert seed_notices(HolidayNotice, CalendarDay, package_notices()) == []
    assert HolidayNotice.objects.get(year=2026).days.count() == 1


def test_the_stored_calendar_agrees_with_the_package():
    stored = calendar_for()
    expected = {n.year: n for n in package_notices()}
    assert stored.years == frozenset(expected)
    assert stored.holidays == {d: name for n in expected.values() for d, name in n.holidays.items()}
    assert stored.workdays == {d: name for n in expected.values() for d, name in n.workdays.items()}


# --- deadlines from the database --------------------------------------------------------------


def test_a_deadline_follows_the_stored_notices():
    result = workday_add(date(2024, 9, 25), 20)
    assert (result.date, result.provisional) == (date(2024, 10, 28), False)


def test_a_deadline_into_a_year_without_a_notice_is_provisional_until_it_is_loaded():
    # 12/11 (1), 12/14-18 (6), 12/21-25 (11), 12/28-31 (15); 1 January is 元旦 by law even before
    # the 2027 notice is loaded; 1/4-8 (20). Only the 调休 is unknown, so the date is provisional.
    assert workday_add(date(2026, 12, 10), 20).date == date(2027, 1, 8)
    assert workday_add(date(2026, 12, 10), 20).provisional
    calendar_load(notice=NOTICE_2027, actor=None)
    result = workday_add(date(2026, 12, 10), 20)
    assert (result.date, result.provisional) == (date(2027, 1, 8), False)


def test_deleting_a_notice_makes_its_year_provisional_again(admin):
    calendar_notice_delete(notice=HolidayNotice.objects.get(year=2024), actor=admin)
    result = workday_add(date(2024, 9, 25), 20)
    assert result.provisional and result.missing_years == (2024,)
    event = AuditEvent.objects.get(action="calendar_notice_delete")
    assert event.before["year"] == 2024 and event.actor == admin


def test_calendar_for_some_years_holds_only_their_notices():
    calendar = calendar_for([2024])
    assert calendar.years == frozenset({2024})
    assert date(2024, 10, 1) in calendar.holidays and date(2025, 10, 1) not in calendar.holidays


def test_a_repeated_deadline_reads_only_the_notice_versions(django_assert_num_queries):
    workday_add(date(2024, 9, 25), 20)
    with django_assert_num_queries(1):
        workday_add(date(2024, 9, 25), 20)


def test_a_change_made_by_another_process_is_seen():
    workday_add(date(2024, 9, 25), 20)
    # As another process would: rows changed and the notice's version renewed.
    CalendarDay.objects.filter(date__range=(date(2024, 10, 1), date(2024, 10, 7))).delete()
    HolidayNotice.objects.filter(year=2024).update(version=uuid.uuid4())
    assert workday_add(date(2024, 9, 25), 20).date == date(2024, 10, 21)


# --- loading ----------------------------------------------------------------------------------


def test_loading_a_notice_stores_its_days_and_audits_it(admin):
    row = calendar_load(notice=NOTICE_2027, actor=admin)
    assert row.loaded_by == admin and row.source == "测试用通知（非真实数据）"
    assert sorted(row.days.values_list("date", flat=True)) == [date(2027, 1, d) for d in (1, 2, 3)]
    event = AuditEvent.objects.get(action="calendar_notice_load", object_id=str(row.pk))
    assert event.before is None
    assert event.after["holidays"] == [{"name": "元旦", "dates": ["2027-01-01", "2027-01-02", "2027-01-03"]}]


def test_loading_a_year_again_replaces_its_notice():
    first = calendar_load(notice=NOTICE_2027, actor=None)
    replacement = {**NOTICE_2027, "source": "更正后", "holidays": [{"name": "元旦", "dates": ["2027-01-01"]}]}
    second = calendar_load(notice=replacement, actor=None)
    assert second.pk == first.pk and second.source == "更正后"
    assert list(second.days.values_list("date", flat=True)) == [date(2027, 1, 1)]
    event = AuditEvent.objects.filter(action="calendar_notice_load").latest("id")
    assert len(event.before["holidays"][0]["dates"]) == 3 and event.actor_label == "system"


def test_an_invalid_notice_stores_nothing():
    with pytest.raises(NoticeInvalid, match="workdays: missing"):
        calendar_load(notice={k: v for k, v in NOTICE_2027.items() if k != "workdays"}, actor=None)
    assert not HolidayNotice.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action="calendar_notice_load").exists()


def test_a_date_another_notice_lists_is_refused():
    calendar_load(
        notice={**NOTICE_2027, "holidays": [{"name": "元旦", "dates": ["2026-12-31", "2027-01-01"]}]},
        actor=None,
    )
    clash = {**NOTICE_2027, "year": 2026, "holidays": [{"name": "元旦", "dates": ["2026-12-31"]}]}
    with pytest.raises(NoticeInvalid, match=r"^2026-12-31 is already listed in the 2027 notice$"):
        calendar_load(notice=clash, actor=None)
    assert HolidayNotice.objects.get(year=2026).days.count() > 1


def test_only_a_platform_administrator_loads_notices(clerk):
    with pytest.raises(CalendarChangeError):
        calendar_load(notice=NOTICE_2027, actor=clerk)
    assert not HolidayNotice.objects.filter(year=2027).exists()


# --- corrections one day at a time ------------------------------------------------------------


def test_an_extended_holiday_is_added_and_counted(admin):
    # As in 2020, when the Spring Festival holiday was extended by a State Council notice.
    notice = HolidayNotice.objects.get(year=2024)
    assert workday_add(date(2024, 2, 18), 1).date == date(2024, 2, 19)
    day = calendar_day_save(
        day=CalendarDay(notice=notice, date=date(2024, 2, 19), kind="holiday", name="春节"), actor=admin
    )
    assert workday_add(date(2024, 2, 18), 1).date == date(2024, 2, 20)
    event = AuditEvent.objects.get(action="calendar_day_save")
    assert (event.object_id, event.before, event.after) == (
        str(day.pk),
        None,
        {"notice": 2024, "date": "2024-02-19", "kind": "holiday", "name": "春节"},
    )


def test_a_corrected_day_is_audited_with_its_previous_value(admin):
    day = CalendarDay.objects.get(date=date(2024, 10, 12))
    day.kind, day.date = DayKind.HOLIDAY, date(2024, 10, 13)
    calendar_day_save(day=day, actor=admin)
    event = AuditEvent.objects.get(action="calendar_day_save")
    assert event.before["date"] == "2024-10-12" and event.before["kind"] == "workday"
    assert event.after["date"] == "2024-10-13"


def test_a_weekday_cannot_be_made_a_working_day(admin):
    notice = HolidayNotice.objects.get(year=2024)
    with pytest.raises(CalendarChangeError, match="只有星期六或星期日可以调休上班"):
        calendar_day_save(day=CalendarDay(notice=notice, date=date(2024, 3, 4), kind="workday"), actor=admin)


def test_a_day_outside_the_notice_year_is_refused(admin):
    notice = HolidayNotice.objects.get(year=2024)
    with pytest.raises(CalendarChangeError, match="不在2024年节假日安排的范围内"):
        calendar_day_save(day=CalendarDay(notice=notice, date=date(2025, 3, 4), kind="holiday"), actor=admin)


def test_a_date_cannot_be_entered_twice(admin):
    notice = HolidayNotice.objects.get(year=2024)
    with pytest.raises(CalendarChangeError):
        calendar_day_save(day=CalendarDay(notice=notice, date=date(2024, 10, 1), kind="holiday"), actor=admin)


def test_a_removed_day_is_an_ordinary_day_again(admin):
    calendar_day_delete(day=CalendarDay.objects.get(date=date(2024, 9, 29)), actor=admin)
    assert workday_add(date(2024, 9, 28), 1).date == date(2024, 9, 30)
    assert AuditEvent.objects.get(action="calendar_day_delete").before["date"] == "2024-09-29"


def test_only_a_platform_administrator_corrects_days(clerk):
    day = CalendarDay.objects.get(date=date(2024, 9, 29))
    with pytest.raises(CalendarChangeError):
        calendar_day_delete(day=day, actor=clerk)
    with pytest.raises(CalendarChangeError):
        calendar_notice_delete(notice=day.notice, actor=clerk)
    assert CalendarDay.objects.filter(pk=day.pk).exists()
