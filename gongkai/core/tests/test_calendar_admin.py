"""The back office for the holiday calendar: superusers only, every change through the
calendar services (checked, audited, seen by every process)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from gongkai.core.calendar_store import workday_add
from gongkai.core.models import AuditEvent, CalendarDay, HolidayNotice

pytestmark = pytest.mark.django_db


def url(model, view: str, *args) -> str:
    return reverse(f"admin:core_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def notice_2024():
    notice = HolidayNotice.objects.filter(year=2024).first()
    if notice is None:  # flushed by a transactional test elsewhere
        notice = HolidayNotice.objects.create(year=2024, source="测试用通知")
    return notice


def test_a_day_added_in_the_admin_is_audited_and_counted(admin_client, admin_user, notice_2024):
    before = workday_add(date(2024, 2, 18), 1).date
    response = admin_client.post(
        url(CalendarDay, "add"),
        {"notice": notice_2024.pk, "date": "2024-02-19", "kind": "holiday", "name": "春节", "_save": "保存"},
    )
    assert response.status_code == 302
    assert before == date(2024, 2, 19)
    assert workday_add(date(2024, 2, 18), 1).date == date(2024, 2, 20)
    event = AuditEvent.objects.get(action="calendar_day_save")
    assert event.actor == admin_user and event.after["date"] == "2024-02-19"


def test_the_admin_refuses_a_weekday_as_an_adjusted_working_day(admin_client, notice_2024):
    response = admin_client.post(
        url(CalendarDay, "add"),
        {"notice": notice_2024.pk, "date": "2024-03-04", "kind": "workday", "name": "", "_save": "保存"},
    )
    assert response.status_code == 200
    assert "只有星期六或星期日可以调休上班" in response.content.decode()
    assert not CalendarDay.objects.filter(date=date(2024, 3, 4)).exists()


def test_a_notice_deleted_in_the_admin_is_audited(admin_client, notice_2024):
    response = admin_client.post(url(HolidayNotice, "delete", notice_2024.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not HolidayNotice.objects.filter(year=2024).exists()
    assert AuditEvent.objects.get(action="calendar_notice_delete").before["year"] == 2024


def test_a_notice_is_read_only_in_the_admin(admin_client, notice_2024):
    assert admin_client.get(url(HolidayNotice, "add")).status_code == 403
    page = admin_client.get(url(HolidayNotice, "change", notice_2024.pk)).content.decode()
    assert 'name="source"' not in page


def test_staff_without_superuser_rights_cannot_reach_the_calendar(client, notice_2024):
    staff = User.objects.create_user("cal-staff", password="x-unused-password", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__endswith="calendarday"))
    client.force_login(staff)
    assert client.get(url(CalendarDay, "changelist")).status_code == 403
    assert client.get(url(HolidayNotice, "changelist")).status_code == 403
