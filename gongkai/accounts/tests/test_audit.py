import pytest

from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/staff/login/"
IP = "192.0.2.10"


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_a_sign_in_is_recorded_with_user_and_address(client, staff):
    client.post(LOGIN, {"username": "clerk1", "password": PASSWORD}, REMOTE_ADDR=IP)
    [event] = events("user_login")
    assert event.actor == staff and event.outcome == "success"
    assert (event.object_type, event.object_id) == ("auth.user", str(staff.pk))
    assert event.after == {"username": "clerk1", "ip": IP}


def test_a_failed_sign_in_is_recorded_without_the_password(client, staff):
    client.post(LOGIN, {"username": "clerk1", "password": "Secret-guess-1"}, REMOTE_ADDR=IP)
    client.post(LOGIN, {"username": "ghost", "password": "Secret-guess-2"}, REMOTE_ADDR=IP)
    known, unknown = events("user_login_failed")
    assert known.outcome == unknown.outcome == "failure"
    assert known.actor is None and known.object_id == str(staff.pk)
    assert known.after == {"username": "clerk1", "ip": IP, "locked_out": False}
    assert unknown.object_id == "" and unknown.after["username"] == "ghost"
    everything = str(list(AuditEvent.objects.values()))
    assert "Secret-guess" not in everything


def test_the_lockout_shows_in_the_trail(client, staff):
    for _ in range(6):
        client.post(LOGIN, {"username": "clerk1", "password": "wrong-password"}, REMOTE_ADDR=IP)
    flags = [e.after["locked_out"] for e in events("user_login_failed")]
    assert flags == [False] * 4 + [True, True]


def test_a_sign_out_is_recorded(client, staff):
    client.post(LOGIN, {"username": "clerk1", "password": PASSWORD}, REMOTE_ADDR=IP)
    client.post("/staff/logout/", REMOTE_ADDR=IP)
    [event] = events("user_logout")
    assert event.actor == staff
    assert event.after == {"username": "clerk1", "ip": IP, "reason": "user"}
    assert audit_verify() == []  # the sign-in events are part of the hash chain


def test_signing_out_when_not_signed_in_records_nothing(client):
    client.post("/staff/logout/")
    assert not events("user_logout")
