"""The audit trail cannot fork and cannot be quietly rewritten (issue 10, section 2;
docs/security.md, section 2): appends are serialised, the hash is an HMAC over every field,
the head is anchored outside the database, and events from before version 2 still verify."""

import hashlib
import hmac
import io
import json
import threading
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from gongkai.catalogue.tests.factories import make_agency
from gongkai.core import audit
from gongkai.core.audit import audit_anchor_write, audit_record, audit_verify
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def record(n: int = 3, **kw):
    agency = make_agency()
    return [audit_record(actor=None, action=f"test_{i}", obj=agency, after={"n": i}, **kw) for i in range(n)]


@pytest.mark.parametrize(
    "change",
    [
        {"at_shift": True},
        {"actor_label": "someone-else"},
        {"action": "test_other"},
        {"object_type": "agencies.other"},
        {"object_id": "999"},
        {"outcome": "failure"},
        {"before": {"n": -1}},
        {"after": {"n": 99}},
    ],
    ids=lambda c: next(iter(c)),
)
def test_every_field_is_covered_by_the_hash(change):
    events = record()
    target = AuditEvent.objects.filter(pk=events[1].pk)
    if change.pop("at_shift", False):
        target.update(at=events[1].at - timedelta(seconds=1))
    else:
        target.update(**change)
    assert audit_verify() == [events[1].pk]


def test_the_actor_is_covered_by_the_hash(django_user_model):
    user = django_user_model.objects.create_user("auditor-a", password="Pw-Example-2026")
    other = django_user_model.objects.create_user("auditor-b", password="Pw-Example-2026")
    event = audit_record(actor=user, action="test_actor")
    AuditEvent.objects.filter(pk=event.pk).update(actor=other)
    assert audit_verify() == [event.pk]


def test_any_json_value_verifies_after_its_round_trip_through_the_database():
    nested = {
        "big": 1e20,
        "half": 1.5,
        "tenth": 0.1,
        "tiny": 1e-7,
        "wide": 2**62,
        "text": '中文\t"引号"',
        "day": date(2024, 1, 1),
        "list": [1, [2, {"x": None}]],
        "tuple": (1, 2),
        3: "an integer key",
    }
    for value in (nested, "plain", 12, -0.5, [True, False], {}):
        audit_record(actor=None, action="values", before=value, after=value)
    assert audit_verify() == []


def _rechain(events, start: int, key: bytes) -> None:
    """What someone with write access to the database could do: recompute every hash from
    ``start`` on, knowing the algorithm but with ``key`` (not the platform's)."""
    prev = AuditEvent.objects.get(pk=events[start - 1].pk).hash if start else ""
    for ev in events[start:]:
        ev = AuditEvent.objects.get(pk=ev.pk)
        ev.prev_hash = prev
        ev.hash = hmac.new(key, audit._canonical(ev), hashlib.sha256).hexdigest()
        AuditEvent.objects.filter(pk=ev.pk).update(prev_hash=ev.prev_hash, hash=ev.hash)
        prev = ev.hash


def test_rewriting_the_chain_needs_the_key_which_is_not_in_the_database():
    events = record(4)
    AuditEvent.objects.filter(pk=events[1].pk).update(after={"n": 42})
    _rechain(events, 1, key=b"guessed-key")
    assert audit_verify() == [e.pk for e in events[1:]]
    # The same rewrite with the real key would pass: it is the key, not luck, that refuses it.
    _rechain(events, 1, key=settings.GONGKAI_AUDIT_KEY.encode())
    assert audit_verify() == []


def _v1_event(prev: str, **fields) -> AuditEvent:
    payload = {
        "actor": None,
        "action": fields["action"],
        "object_type": "",
        "object_id": "",
        "outcome": "success",
        "before": None,
        "after": fields.get("after"),
    }
    digest = audit._v1_digest(prev, payload)
    return AuditEvent.objects.create(
        actor_label="system",
        action=fields["action"],
        after=fields.get("after"),
        prev_hash=prev,
        hash=digest,
        chain_version=1,
    )


def test_events_written_before_version_2_still_verify_and_the_chain_continues():
    first = _v1_event("", action="old_1", after={"n": 1})
    second = _v1_event(first.hash, action="old_2", after={"n": 2})
    new = audit_record(actor=None, action="new_after_upgrade")
    assert (first.chain_version, new.chain_version) == (1, 2)
    assert new.prev_hash == second.hash
    assert audit_verify() == []
    AuditEvent.objects.filter(pk=first.pk).update(after={"n": 7})
    assert audit_verify() == [first.pk]


def test_a_downgrade_to_the_unkeyed_hash_is_detected():
    events = record(3)
    ev = AuditEvent.objects.get(pk=events[2].pk)
    payload = audit._v1_payload(ev) | {"after": {"n": 1000}}
    AuditEvent.objects.filter(pk=ev.pk).update(
        after={"n": 1000}, chain_version=1, hash=audit._v1_digest(ev.prev_hash, payload)
    )
    assert audit_verify() == [ev.pk]


def verify_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit_verify", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_deleting_the_newest_events_is_detected_through_the_anchor():
    events = record(5)
    call_command("audit_anchor", stdout=io.StringIO())
    out, _err = verify_command()
    assert "matches the latest anchor" in out
    AuditEvent.objects.filter(pk__in=[events[3].pk, events[4].pk]).delete()
    assert audit_verify() == []  # the chain alone cannot tell
    with pytest.raises(CommandError, match=f"anchored event {events[4].pk} .* is missing.*truncation"):
        verify_command()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", "--json", stdout=out, stderr=io.StringIO())
    report = json.loads(out.getvalue())
    assert report["broken"] == [] and report["anchor"]["event_id"] == events[4].pk
    assert "truncation" in report["anchor_problems"][0]


def test_the_anchor_file_is_append_only_and_its_lines_are_keyed():
    record(2)
    first = audit_anchor_write(reason="test")
    record(1)
    second = audit_anchor_write(reason="test")
    path = settings.GONGKAI_AUDIT_ANCHOR_FILE
    lines = [json.loads(raw) for raw in path.read_text().splitlines()]
    assert lines == [first, second] and second["events"] == first["events"] + 1
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    # A forged line (someone who can write the file but has no key) is reported, not believed.
    forged = {**second, "event_id": 1, "hash": "0" * 64}
    with open(path, "a") as fh:
        fh.write(json.dumps(forged) + "\n")
    problem = "anchor file line 3 is not a valid anchor (changed or not written by Gongkai)"
    assert audit.audit_anchors() == ([first, second], [problem])
    # Reported; and the database is compared with the latest valid anchor, which it matches.
    assert audit.audit_anchor_check() == [problem]


def test_check_deploy_refuses_the_demo_audit_key(settings, monkeypatch):
    from gongkai.core.checks import DEMO_AUDIT_KEY, check_audit_key

    monkeypatch.setenv("GONGKAI_PRODUCTION", "1")
    settings.GONGKAI_AUDIT_KEY = DEMO_AUDIT_KEY
    assert [e.id for e in check_audit_key()] == ["gongkai.E510"]
    settings.GONGKAI_AUDIT_KEY = settings.SECRET_KEY
    assert [e.id for e in check_audit_key()] == ["gongkai.E510"]
    settings.GONGKAI_AUDIT_KEY = "k" * 48
    assert check_audit_key() == []
    assert DEMO_AUDIT_KEY == "gongkai-demo-audit-key-not-for-production"  # the settings default


WRITERS, APPENDS_EACH = 8, 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    """Writers in several connections, each appending inside a transaction that stays open a
    moment after the append (as a service's does): every event chains to a distinct predecessor."""
    agency = make_agency()
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(APPENDS_EACH):
                with transaction.atomic():
                    audit_record(actor=None, action="concurrent", obj=agency, after={"writer": n, "i": i})
                    threading.Event().wait(0.002)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    events = list(AuditEvent.objects.filter(action="concurrent").order_by("id"))
    assert len(events) == WRITERS * APPENDS_EACH >= 40
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prevs) == len(set(prevs)), "two events chain to the same predecessor (a fork)"
    assert audit_verify() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
)
def test_concurrent_writers_never_fork_the_chain_on_postgresql():
    assert connection.vendor == "postgresql"
    test_concurrent_writers_never_fork_the_chain()


@pytest.mark.django_db(transaction=True)
def test_a_backup_anchors_the_chain_head_in_its_manifest_and_the_anchor_file(tmp_path):
    import tarfile

    from gongkai.core.backup import backup_create

    events = record(3)
    backup_create(output=tmp_path / "backup.tar")
    with tarfile.open(tmp_path / "backup.tar") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["audit"]["event_id"] == events[-1].pk
    assert manifest["audit"]["hash"] == events[-1].hash and manifest["audit"]["events"] == 3
    anchors, problems = audit.audit_anchors()
    assert problems == [] and anchors[-1]["reason"] == "backup backup.tar"
    # The anchor is taken after the backup's own event, which it covers.
    assert anchors[-1]["event_id"] == AuditEvent.objects.get(action="backup_create").pk
    assert audit.audit_anchor_problems(manifest["audit"]) == []
    AuditEvent.objects.filter(pk=events[-1].pk).update(hash="f" * 64)
    assert audit.audit_anchor_problems(manifest["audit"]) == [
        f"event {events[-1].pk} does not have the hash anchored in the backup"
    ]
