import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from gongkai.accounts.signals import LOGIN_AT_SESSION_KEY
from gongkai.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("gongkai.accounts.tests.urls")]

GATED = "/staff/gated/"
HOUR = 3600


@pytest.fixture
def signed_in(client, staff):
    client.post("/staff/login/", {"username": "clerk1", "password": PASSWORD})
    assert client.get(GATED).status_code == 200
    return client


def set_login_at(client, seconds_ago):
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - seconds_ago
    session.save()


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.GONGKAI_REAUTH_HOURS == 12


def test_each_request_pushes_the_idle_deadline_back(signed_in):
    key = signed_in.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
    signed_in.get(GATED)
    left = Session.objects.get(pk=key).expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)


def test_after_thirty_idle_minutes_the_session_is_gone(signed_in):
    key = signed_in.session.session_key
    # what thirty minutes without a request leave behind: a session past its expiry
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = signed_in.get(GATED)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/login/?next={GATED}"


def test_an_active_user_is_signed_out_twelve_hours_after_signing_in(signed_in, staff):
    set_login_at(signed_in, 11 * HOUR + 59 * 60)
    assert signed_in.get(GATED).status_code == 200
    set_login_at(signed_in, 12 * HOUR + 1)
    response = signed_in.get(GATED, follow=True)
    assert response.redirect_chain[0][0] == f"/staff/login/?next={GATED}"
    assert "登录已超过12小时，请重新登录" in response.content.decode()
    event = AuditEvent.objects.get(action="user_logout")
    assert event.actor == staff and event.after["reason"] == "reauthenticate"
    # signing in again starts a new twelve hours
    signed_in.post("/staff/login/", {"username": "clerk1", "password": PASSWORD})
    assert signed_in.get(GATED).status_code == 200


def test_a_session_without_a_sign_in_time_is_not_trusted(signed_in):
    session = signed_in.session
    del session[LOGIN_AT_SESSION_KEY]
    session.save()
    assert signed_in.get(GATED).status_code == 302


def test_force_login_stamps_the_session_too(client, staff):
    """Other apps' tests sign in with force_login(); they must not be signed out at once."""
    client.force_login(staff)
    assert client.get(GATED).status_code == 200


def test_the_reauthentication_period_is_a_setting(signed_in, settings):
    settings.GONGKAI_REAUTH_HOURS = 1
    set_login_at(signed_in, HOUR + 1)
    assert signed_in.get(GATED).status_code == 302
