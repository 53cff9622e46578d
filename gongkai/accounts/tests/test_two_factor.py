"""The second factor (TOTP): enrolment, the sign-in's code step, replay, lockout, turning it off,
the administrator's removal, and mandatory mode. Codes are computed here from the secret, as an
authenticator app does (totp.py), and checked by django-otp for real."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.urls import URLPattern, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.services import totp_secret_text
from gongkai.accounts.signals import LOGIN_AT_SESSION_KEY
from gongkai.core.models import AuditEvent
from gongkai.workbench import urls as workbench_urls

from .conftest import PASSWORD
from .totp import hotp, key_from_secret, totp, wait_for_a_fresh_step, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
CODE = "/staff/login/code/"
ENROL = "/staff/account/two-factor/"
DISABLE = "/staff/account/two-factor/disable/"
IP = "192.0.2.44"


def sign_in_password(client, username="clerk1", password=PASSWORD, next_url=""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=IP)


def send_code(client, code):
    return client.post(CODE, {"otp_token": code}, REMOTE_ADDR=IP)


def device_key(user) -> bytes:
    return TOTPDevice.objects.get(user=user).bin_key


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def enrol(client, user) -> bytes:
    """Goes through the enrolment page as a person would; returns the key behind the secret shown."""
    html = client.get(ENROL).content.decode()
    secret = re.search(r'<code class="otp-secret" id="otp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    key = key_from_secret(secret)
    response = client.post(ENROL, {"otp_token": totp(key)}, REMOTE_ADDR=IP)
    assert response.status_code == 302, response.content.decode()
    return key


# --- the code the tests compute ---


def test_the_code_helper_gives_the_rfc_6238_values():
    key = b"12345678901234567890"  # RFC 6238, appendix B (SHA-1)
    assert totp(key, at=59, digits=8) == "94287082"
    assert totp(key, at=1111111109, digits=8) == "07081804"
    assert hotp(key, 0) == "755224"  # RFC 4226, appendix D


# --- enrolment ---


def test_the_enrolment_page_shows_a_qr_code_and_the_secret_without_external_assets(client, staff):
    client.force_login(staff)
    response = client.get(ENROL)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # the secret is never cached
    html = response.content.decode()
    assert '<svg width="' in html and 'class="qr"' in html and "<path" in html
    device = TOTPDevice.objects.get(user=staff)
    assert not device.confirmed
    assert totp_secret_text(device).replace(" ", "") in html.replace(" ", "")
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert not re.search(r'(src|href)="https?://', html)
    # reloading shows the same secret: a code already scanned stays good
    assert client.get(ENROL).content.decode().count(totp_secret_text(device)) == 1
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_enrolment_is_confirmed_by_a_current_code_from_the_secret_shown(client, staff):
    client.force_login(staff)
    key = enrol(client, staff)
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.bin_key == key
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # this session is verified
    response = client.get("/staff/", follow=True)
    assert response.status_code == 200 and "两步验证已启用" in response.content.decode()
    [event] = AuditEvent.objects.filter(action="user_totp_enrol")
    assert event.actor == staff and event.outcome == "success"
    assert event.after == {"username": "clerk1", "device": device.persistent_id, "ip": IP}


def test_a_wrong_code_does_not_confirm_the_device(client, staff):
    client.force_login(staff)
    client.get(ENROL)
    key = device_key(staff)
    response = client.post(ENROL, {"otp_token": wrong_code(key)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "验证码不正确" in html and 'role="alert"' in html
    assert not TOTPDevice.objects.get(user=staff).confirmed
    response = client.post(ENROL, {"otp_token": "12ab56"})
    assert "请输入验证器应用显示的6位数字" in response.content.decode()
    assert 'value="12ab56"' in response.content.decode()  # what was typed is kept
    assert not AuditEvent.objects.filter(action="user_totp_enrol").exists()


def test_enrolment_is_for_staff_only(client, make_user):
    client.force_login(make_user("citizen", role=None))
    assert client.get(ENROL).status_code == 404
    assert not TOTPDevice.objects.exists()


# --- signing in with the code ---


def test_a_user_with_a_device_signs_in_with_password_then_code(client, enrolled):
    response = sign_in_password(client)
    assert response["Location"] == CODE
    assert not signed_in(client)  # the password alone signs nobody in
    assert client.get("/staff/")["Location"] == "/staff/login/?next=/staff/"
    page = client.get(CODE).content.decode()
    assert "动态验证码" in page and 'autocomplete="one-time-code"' in page
    response = send_code(client, totp(device_key(enrolled)))
    assert response["Location"] == "/staff/"
    assert int(client.session["_auth_user_id"]) == enrolled.pk
    assert client.session[DEVICE_ID_SESSION_KEY] == TOTPDevice.objects.get(user=enrolled).persistent_id
    assert LOGIN_AT_SESSION_KEY in client.session  # the re-authentication clock starts now
    assert client.get("/staff/").status_code == 200
    [event] = AuditEvent.objects.filter(action="user_login")  # one sign-in, after both factors
    assert event.actor == enrolled and event.after == {"username": "clerk1", "ip": IP}


def test_the_page_asked_for_is_kept_through_the_code_step(client, enrolled):
    sign_in_password(client, next_url="/staff/records/")
    assert send_code(client, totp(device_key(enrolled)))["Location"] == "/staff/records/"


def test_a_wrong_code_is_refused_and_audited_as_a_failed_sign_in(client, enrolled):
    sign_in_password(client)
    bad = wrong_code(device_key(enrolled))
    response = send_code(client, bad)
    assert response.status_code == 200
    assert "验证码不正确" in response.content.decode()
    assert not signed_in(client)
    [event] = AuditEvent.objects.filter(action="user_login_failed")
    assert event.outcome == "failure" and event.object_id == str(enrolled.pk)
    assert event.after == {"username": "clerk1", "ip": IP, "locked_out": False, "factor": "totp"}
    # axes counted it against (clerk1, address) without keeping the code
    attempt = AccessAttempt.objects.get(username="clerk1", ip_address=IP)
    assert attempt.failures_since_start == 1 and bad not in attempt.post_data


def test_a_retry_right_after_a_wrong_code_must_wait(client, enrolled):
    """django-otp's own throttle: each failure doubles the wait (here the first, one second)."""
    sign_in_password(client)
    key = device_key(enrolled)
    send_code(client, wrong_code(key))
    response = send_code(client, totp(key))
    assert "验证码错误次数过多，请1秒后再试" in response.content.decode()
    assert not signed_in(client)
    time.sleep(1.1)
    assert send_code(client, totp(key))["Location"] == "/staff/"


def test_a_code_cannot_be_used_twice(client, enrolled, no_throttle):
    wait_for_a_fresh_step()
    code = totp(device_key(enrolled))
    sign_in_password(client)
    assert send_code(client, code)["Location"] == "/staff/"
    client.post("/staff/logout/")
    sign_in_password(client)
    response = send_code(client, code)
    assert response.status_code == 200 and "已使用过" in response.content.decode()
    assert not signed_in(client)
    # the next code is fine (a phone a step ahead is tolerated)
    assert send_code(client, totp(device_key(enrolled), steps_ahead=1))["Location"] == "/staff/"


def test_wrong_codes_count_towards_the_same_lockout_as_wrong_passwords(client, enrolled, no_throttle):
    for _ in range(2):
        sign_in_password(client, password="wrong-password")
    sign_in_password(client)
    bad = wrong_code(device_key(enrolled))
    assert [send_code(client, bad).status_code for _ in range(2)] == [200, 200]
    fifth = send_code(client, bad)
    assert fifth.status_code == 429
    assert "登录失败次数过多" in fifth.content.decode()
    # the pending sign-in is gone, and the right password is refused from that address
    assert client.get(CODE)["Location"] == LOGIN
    assert sign_in_password(client).status_code == 429
    flags = [
        e.after["locked_out"] for e in AuditEvent.objects.filter(action="user_login_failed").order_by("id")
    ]
    assert flags[:5] == [False, False, False, False, True]


def test_a_second_pending_sign_in_cannot_go_on_guessing_after_the_lockout(client, enrolled, no_throttle):
    from django.test import Client

    other = Client()
    sign_in_password(other)  # opened before the lockout
    sign_in_password(client)
    bad = wrong_code(device_key(enrolled))
    for _ in range(5):
        send_code(client, bad)
    response = send_code(other, totp(device_key(enrolled)))
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_the_code_step_needs_the_password_step_first_and_expires(client, enrolled):
    assert client.get(CODE)["Location"] == LOGIN
    sign_in_password(client)
    session = client.session
    session["gongkai_pending_sign_in"]["at"] = time.time() - 6 * 60
    session.save()
    response = send_code(client, totp(device_key(enrolled)))
    assert response["Location"] == LOGIN and not signed_in(client)


def test_a_session_that_never_used_the_device_is_ended(client, enrolled):
    """E.g. signed in before the device was enrolled elsewhere, or without the sign-in pages."""
    client.force_login(enrolled)
    response = client.get("/staff/records/", follow=True)
    assert response.redirect_chain[0][0] == "/staff/login/?next=/staff/records/"
    assert "请重新登录并输入动态验证码" in response.content.decode()
    assert not signed_in(client)
    [event] = AuditEvent.objects.filter(action="user_logout")
    assert event.after["reason"] == "second_factor"


def test_a_verified_session_is_still_ended_after_twelve_hours(client, enrolled):
    sign_in_password(client)
    send_code(client, totp(device_key(enrolled)))
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 3600 - 1
    session.save()
    assert client.get("/staff/")["Location"] == "/staff/login/?next=/staff/"


def test_the_admin_needs_the_code_too(client, make_user):
    root = make_user("root", superuser=True)
    TOTPDevice.objects.create(user=root, name="TOTP", confirmed=True)
    client.force_login(root)  # a session without the code
    assert client.get("/admin/")["Location"] == "/staff/login/?next=/admin/"
    sign_in_password(client, username="root", next_url="/admin/")
    assert send_code(client, totp(device_key(root)))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- turning it off, and the administrator's removal ---


def test_turning_it_off_needs_a_current_code_and_the_password(client, staff, no_throttle):
    client.force_login(staff)
    wait_for_a_fresh_step()
    key = enrol(client, staff)
    page = client.get(ENROL).content.decode()
    assert "两步验证已启用" in page and "关闭两步验证" in page
    assert totp_secret_text(TOTPDevice.objects.get(user=staff)) not in page  # never shown again

    response = client.post(DISABLE, {"password": PASSWORD, "otp_token": wrong_code(key)})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    response = client.post(DISABLE, {"password": "Not-the-Password-1", "otp_token": totp(key, steps_ahead=1)})
    assert response.status_code == 200 and "密码不正确" in response.content.decode()
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()

    response = client.post(DISABLE, {"password": PASSWORD, "otp_token": totp(key, steps_ahead=1)})
    assert "已使用过" in response.content.decode()  # the code of the refused attempt is spent
    # the step after: django-otp has learnt that this phone runs a step ahead (clock drift)
    response = client.post(DISABLE, {"password": PASSWORD, "otp_token": totp(key, steps_ahead=2)})
    assert response["Location"] == ENROL
    assert not TOTPDevice.objects.filter(user=staff).exists()
    events = AuditEvent.objects.filter(action="user_totp_disable").order_by("id")
    outcomes = [(e.outcome, e.after.get("reason")) for e in events]
    assert outcomes == [("failure", "code"), ("failure", "password"), ("failure", "code"), ("success", None)]
    # from now on the password alone signs in
    client.post("/staff/logout/")
    assert sign_in_password(client)["Location"] == "/staff/"


def test_an_administrator_removes_a_lost_device_and_it_is_audited(client, enrolled, make_user):
    root = make_user("root", superuser=True)
    client.force_login(root)
    device = TOTPDevice.objects.get(user=enrolled)
    change = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode()  # the secret is not shown
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    [event] = AuditEvent.objects.filter(action="user_totp_remove")
    assert event.actor == root and event.object_id == str(enrolled.pk)
    assert event.after == {
        "username": "clerk1",
        "device": device.persistent_id,
        "confirmed": True,
        "ip": "127.0.0.1",
    }
    # the staff member signs in with the password again
    client.post("/staff/logout/")
    assert sign_in_password(client)["Location"] == "/staff/"


def test_no_audit_record_holds_the_secret_or_a_code(client, staff, no_throttle):
    client.force_login(staff)
    wait_for_a_fresh_step()
    key = enrol(client, staff)
    client.post("/staff/logout/")
    sign_in_password(client)
    send_code(client, wrong_code(key))
    used = totp(key, steps_ahead=1)
    send_code(client, used)
    device = TOTPDevice.objects.get(user=staff)
    trail = str(list(AuditEvent.objects.values()))
    for secret in (device.key, totp_secret_text(device).replace(" ", ""), used, wrong_code(key)):
        assert secret not in trail


# --- mandatory mode ---


def walk(pattern: URLPattern) -> str:
    """A URL for any workbench pattern (the gate answers before the view looks at the ids)."""
    sample = {"int": 1, "str": "x", "slug": "x", "path": "x"}
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.replace("Converter", "").lower()
        kwargs[name] = sample.get(kind, "2025")
    return reverse(f"workbench:{pattern.name}", kwargs=kwargs)


def test_mandatory_mode_sends_staff_to_enrolment_and_nowhere_else(client, staff, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    response = sign_in_password(client, next_url="/staff/records/")
    assert response["Location"] == "/staff/records/"
    response = client.get("/staff/records/", follow=True)
    assert response.redirect_chain == [(ENROL, 302)]
    assert "本平台要求工作人员启用两步验证" in response.content.decode()
    urls = [walk(p) for p in workbench_urls.urlpatterns if isinstance(p, URLPattern)]
    assert len(urls) > 20
    for url in [*urls, "/staff/password/", "/staff/password/done/"]:
        assert client.get(url)["Location"] == ENROL, url
        assert client.post(url)["Location"] == ENROL, url
    assert client.get("/").status_code == 200  # the public site is not the workbench
    enrol(client, staff)
    assert client.get("/staff/records/").status_code == 200


def test_mandatory_mode_covers_the_admin(client, make_user, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    client.force_login(make_user("root", superuser=True))
    assert client.get("/admin/")["Location"] == ENROL
    assert client.get("/admin/auth/user/")["Location"] == ENROL


def test_mandatory_mode_covers_admin_only_accounts_too(client, make_user, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    keeper = make_user("keeper", role=None)
    keeper.is_staff = True  # may use the Django admin, holds no workbench role
    keeper.save()
    client.force_login(keeper)
    assert client.get("/admin/")["Location"] == ENROL
    enrol(client, keeper)
    assert client.get("/admin/").status_code == 200
    assert client.get("/staff/").status_code == 404  # still no workbench for them


def test_mandatory_mode_ignores_users_without_a_staff_role(client, make_user, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    client.force_login(make_user("citizen", role=None))
    assert client.get("/staff/").status_code == 404


def test_in_mandatory_mode_a_staff_member_with_a_device_signs_in_as_usual(client, enrolled, settings):
    settings.GONGKAI_STAFF_2FA_REQUIRED = True
    sign_in_password(client)
    send_code(client, totp(device_key(enrolled)))
    assert client.get("/staff/").status_code == 200


def test_the_workbench_links_to_the_two_factor_page(client, staff):
    client.force_login(staff)
    html = client.get("/staff/").content.decode()
    assert f'href="{ENROL}"' in html and "两步验证" in html
