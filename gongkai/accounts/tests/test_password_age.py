"""Periodic password change for staff (GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS, off by default)."""

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.accounts.models import PasswordRecord
from gongkai.accounts.policy import password_changed_at, password_expired
from gongkai.core.models import AuditEvent
from gongkai.workbench import urls as workbench_urls

from .conftest import PASSWORD
from .test_two_factor import ENROL, enrol, walk

CHANGE = "/staff/password/"
NEW_PASSWORD = "Lushan-Pubinfo-2025"
SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "changed_at, now, expired",
    [
        (at(2025, 1, 1, 9), at(2025, 3, 31, 9), False),  # 89 days
        (at(2025, 1, 1, 9), at(2025, 4, 1, 9), False),  # exactly 90 days: still good that day
        (at(2025, 1, 1, 9), at(2025, 4, 1, 9, 0, 1), True),
        (at(2024, 1, 1, 9), at(2024, 3, 31, 9, 0, 1), True),  # across 29 February
    ],
)
def test_a_password_expires_after_the_limit(changed_at, now, expired):
    assert password_expired(changed_at=changed_at, max_age_days=90, now=now) is expired


def test_a_limit_of_zero_means_no_expiry():
    assert not password_expired(changed_at=at(2000, 1, 1), max_age_days=0, now=at(2025, 1, 1))


@pytest.mark.django_db
def test_setting_a_password_records_when(staff):
    first = PasswordRecord.objects.get(user=staff).changed_at
    assert timezone.now() - first < timedelta(minutes=1)
    PasswordRecord.objects.filter(user=staff).update(changed_at=first - timedelta(days=100))
    staff.first_name = "李"
    staff.save()  # other changes to the account leave it alone
    assert password_changed_at(staff) == first - timedelta(days=100)
    staff.set_password(NEW_PASSWORD)
    staff.save()
    assert timezone.now() - password_changed_at(staff) < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_hash_upgrade_at_sign_in_is_not_a_change(client, staff, settings):
    old = timezone.now() - timedelta(days=100)
    PasswordRecord.objects.filter(user=staff).update(changed_at=old)
    # the stored hash is MD5 (conftest); a stronger first hasher makes Django re-hash at sign-in
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert client.post("/staff/login/", {"username": "clerk1", "password": PASSWORD}).status_code == 302
    staff.refresh_from_db()
    assert staff.password.startswith("pbkdf2_sha256$")
    assert password_changed_at(staff) == old


@pytest.mark.django_db
def test_an_account_without_a_record_counts_from_its_creation(staff):
    PasswordRecord.objects.filter(user=staff).delete()
    assert password_changed_at(staff) == staff.date_joined


@pytest.mark.django_db
def test_the_migration_counts_existing_accounts_from_the_day_it_ran(staff):
    get_user_model().objects.filter(pk=staff.pk).update(date_joined=timezone.now() - timedelta(days=3000))
    PasswordRecord.objects.all().delete()
    migration = importlib.import_module("gongkai.accounts.migrations.0001_password_record")
    migration.stamp_existing_users(apps, None)
    assert timezone.now() - PasswordRecord.objects.get(user=staff).changed_at < timedelta(minutes=1)


# --- the forced change ---


@pytest.fixture
def expired(staff, settings):
    settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = 90
    PasswordRecord.objects.filter(user=staff).update(changed_at=timezone.now() - timedelta(days=91))
    return staff


def sign_in(client):
    return client.post("/staff/login/", {"username": "clerk1", "password": PASSWORD})


@pytest.mark.django_db
def test_an_old_password_must_be_changed_before_anything_else(client, expired):
    assert sign_in(client)["Location"] == "/staff/"
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain == [(CHANGE, 302)]
    html = response.content.decode()
    assert "工作人员密码每90天须修改一次" in html and "您的密码已到期" in html
    for url in [walk(p) for p in workbench_urls.urlpatterns] + [ENROL, "/staff/password/done/", "/admin/"]:
        assert client.get(url)["Location"] == CHANGE, url
    assert client.get("/").status_code == 200  # the public site is not blocked
    assert client.post("/staff/logout/")["Location"] == "/staff/login/"  # signing out is


@pytest.mark.django_db
def test_the_new_password_must_differ_from_the_current_one(client, expired):
    sign_in(client)
    same = {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    response = client.post(CHANGE, same)
    assert response.status_code == 200
    assert "新密码不能与当前密码相同" in response.content.decode()
    assert client.get("/staff/")["Location"] == CHANGE
    new = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(CHANGE, new)["Location"] == "/staff/password/done/"
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/password/done/").status_code == 200
    assert timezone.now() - password_changed_at(expired) < timedelta(minutes=1)
    [event] = AuditEvent.objects.filter(action="user_password_change")
    assert event.actor == expired


@pytest.mark.django_db
def test_a_password_within_the_limit_is_left_alone(client, staff, settings):
    settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = 90
    PasswordRecord.objects.filter(user=staff).update(changed_at=timezone.now() - timedelta(days=89))
    sign_in(client)
    assert client.get("/staff/").status_code == 200
    assert "您的密码已到期" not in client.get(CHANGE).content.decode()


@pytest.mark.django_db
def test_it_is_off_by_default(client, staff, settings):
    assert settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS == 0 and settings.GONGKAI_STAFF_2FA_REQUIRED is False
    PasswordRecord.objects.filter(user=staff).update(changed_at=timezone.now() - timedelta(days=3650))
    sign_in(client)
    assert client.get("/staff/").status_code == 200


@pytest.mark.django_db
def test_accounts_without_a_staff_role_are_not_asked(client, make_user, settings):
    settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS = 90
    citizen = make_user("citizen", role=None)
    PasswordRecord.objects.filter(user=citizen).update(changed_at=timezone.now() - timedelta(days=365))
    client.force_login(citizen)
    assert client.get("/staff/").status_code == 404  # as before: not a staff page for them
    assert client.get(CHANGE).status_code == 200


@pytest.mark.django_db
def test_an_old_password_comes_first_then_the_mandatory_enrolment(client, expired, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    sign_in(client)
    assert client.get("/staff/")["Location"] == CHANGE
    new = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client.post(CHANGE, new)
    assert client.get("/staff/")["Location"] == ENROL
    enrol(client, expired)
    assert client.get("/staff/").status_code == 200
