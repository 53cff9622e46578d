from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def attempt(client, username, password, ip=ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail_until_locked(client, username="clerk1", ip=ATTACKER):
    responses = [attempt(client, username, "wrong-password", ip) for _ in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    return responses[-1]


def test_the_fifth_failure_locks_the_pair_with_a_chinese_message(client, staff):
    fifth = fail_until_locked(client)
    assert fifth.status_code == 429
    html = fifth.content.decode()
    assert "登录失败次数过多" in html and "15分钟" in html
    assert 'value="clerk1"' in html  # still the login page, username kept
    # even the right password is refused from that address now
    locked = attempt(client, "clerk1", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_same_user_elsewhere_is_not_locked_out(client, staff):
    fail_until_locked(client)
    response = attempt(client, "clerk1", PASSWORD, ip=ELSEWHERE)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk


def test_another_user_at_the_same_address_is_not_locked_out(client, staff, make_user):
    other = make_user("reviewer1")
    fail_until_locked(client)
    response = attempt(client, "reviewer1", PASSWORD)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk


def test_four_failures_then_success_do_not_lock(client, staff):
    for _ in range(4):
        attempt(client, "clerk1", "wrong-password")
    assert attempt(client, "clerk1", PASSWORD).status_code == 302
    client.logout()
    # the success cleared the count: four more failures still leave the account usable
    for _ in range(4):
        attempt(client, "clerk1", "wrong-password")
    assert attempt(client, "clerk1", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, staff):
    fail_until_locked(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, "clerk1", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "clerk1", PASSWORD).status_code == 302


def test_unknown_usernames_are_counted_too(client):
    """Otherwise the lockout message would tell which usernames exist."""
    fifth = fail_until_locked(client, username="nobody")
    assert fifth.status_code == 429


def test_the_limit_and_cool_off_are_settings(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    attempt(client, "clerk1", "wrong-password")
    second = attempt(client, "clerk1", "wrong-password")
    assert second.status_code == 429 and "30分钟" in second.content.decode()


def test_the_admin_login_is_the_staff_sign_in_with_its_lockout(client, make_user):
    """The admin's own form would sign in with the password alone (no second factor)."""
    make_user("root", superuser=True)
    response = client.post("/admin/login/?next=/admin/auth/user/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/login/?next=/admin/auth/user/"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/staff/login/?next=/admin/"
    fifth = fail_until_locked(client, username="root")
    assert fifth.status_code == 429
    response = client.post(
        LOGIN + "?next=/admin/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR=ELSEWHERE
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, staff, settings):
    settings.GONGKAI_TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "clerk1", "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}",  # the left entry is the client's to forge
        )
    response = client.post(
        LOGIN, {"username": "clerk1", "password": PASSWORD}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE
    )
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


def test_the_test_client_login_still_works(client, staff):
    """Axes wants a request; client.login() has none (the backend lets it through)."""
    assert client.login(username="clerk1", password=PASSWORD)
    assert not client.login(username="clerk1", password="wrong-password")
