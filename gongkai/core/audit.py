"""Audit trail: one function records every state change, in the caller's transaction.

The events form one hash chain (security.md, "Audit"; docs/security.md, section 2):

- Appends are serialised, so no two events chain to the same predecessor: a transaction-level
  advisory lock on PostgreSQL, the database write lock on SQLite (IMMEDIATE transactions take
  it at BEGIN). The lock is held until the caller's transaction ends.
- Each event's hash (chain version 2) is an HMAC-SHA256, keyed with ``GONGKAI_AUDIT_KEY`` (kept
  out of the database), over every field: time, actor, actor label, action, object, outcome,
  before/after and the previous hash. Write access to the database alone cannot recompute it.
- Events written before version 2 keep their version 1 hash (SHA-256 of the payload without
  time and label) and still verify; a version 1 event after a version 2 one is a break.
- The chain head is anchored outside the database (`gongkai audit-anchor`, every backup):
  ``audit_anchor_check`` finds an anchored event missing or changed (newest events deleted).
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

CHAIN_VERSION = 2
# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
_PG_LOCK_KEY = 0x476F6E674B6169  # "GongKai"


def _key() -> bytes:
    return settings.GONGKAI_AUDIT_KEY.encode()


def _v1_digest(prev_hash: str, payload: dict) -> str:
    raw = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _v1_payload(ev: AuditEvent) -> dict:
    return {
        "actor": ev.actor_id,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "outcome": ev.outcome,
        "before": ev.before,
        "after": ev.after,
    }


def _numbers_as_stored(value):
    """PostgreSQL's jsonb gives a large integral float (1e+20) back as an integer; make both
    databases hash the same text for it."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e16:
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers_as_stored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_stored(v) for v in value]
    return value


def _canonical(ev: AuditEvent) -> bytes:
    """Every field of the event, as one canonical JSON text (the HMAC's message)."""
    return json.dumps(
        {
            "v": CHAIN_VERSION,
            "prev": ev.prev_hash,
            "at": ev.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": ev.actor_id,
            "actor_label": ev.actor_label,
            "action": ev.action,
            "object_type": ev.object_type,
            "object_id": ev.object_id,
            "outcome": ev.outcome,
            "before": _numbers_as_stored(ev.before),
            "after": _numbers_as_stored(ev.after),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _v2_digest(ev: AuditEvent) -> str:
    return hmac.new(_key(), _canonical(ev), hashlib.sha256).hexdigest()


def _as_stored(value):
    """The value as the JSON column gives it back, so that the hash computed now is the one
    recomputed from the row later (tuples become lists, dates strings, keys strings)."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False, default=str))


def audit_chain_lock() -> None:
    """Take the chain's append lock now, in the current transaction (held until it ends).
    Services that also lock a shared row (a number sequence) call this first, so that every
    transaction takes the two locks in the same order."""
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def audit_record(
    *, actor, action: str, obj=None, before=None, after=None, outcome: str = "success"
) -> AuditEvent:
    """Append an audit event chained to the previous one. Call inside the service's transaction."""
    with transaction.atomic():
        audit_chain_lock()
        last = AuditEvent.objects.order_by("-id").only("hash").first()
        has_pk = getattr(actor, "pk", None) is not None
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if has_pk else None,
            actor_label=getattr(actor, "get_username", lambda: "system")() if actor else "system",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            outcome=outcome,
            before=_as_stored(before),
            after=_as_stored(after),
            prev_hash=last.hash if last else "",
            chain_version=CHAIN_VERSION,
        )
        event.hash = _v2_digest(event)
        event.save(force_insert=True)
        return event


def _event_broken(ev: AuditEvent, prev: str) -> bool:
    if ev.prev_hash != prev:
        return True
    if ev.chain_version == 1:
        return ev.hash != _v1_digest(prev, _v1_payload(ev))
    if ev.chain_version == CHAIN_VERSION:
        return not hmac.compare_digest(ev.hash, _v2_digest(ev))
    return True


def audit_verify() -> list[int]:
    """Ids of events whose hash does not follow from their predecessor (empty when intact).
    A version 1 event after a version 2 one is broken too (a downgrade to the unkeyed hash)."""
    broken, prev, seen_v2 = [], "", False
    for ev in AuditEvent.objects.order_by("id").iterator():
        if _event_broken(ev, prev) or (seen_v2 and ev.chain_version == 1):
            broken.append(ev.id)
        seen_v2 = seen_v2 or ev.chain_version == CHAIN_VERSION
        prev = ev.hash
    return broken


# --- anchors outside the database ------------------------------------------------------------


@dataclass(frozen=True)
class ChainHead:
    event_id: int | None
    hash: str
    events: int
    v1_last_id: int | None  # the newest event with the unkeyed version 1 hash

    def as_json(self) -> dict:
        return {
            "event_id": self.event_id,
            "hash": self.hash,
            "events": self.events,
            "v1_last_id": self.v1_last_id,
        }


def audit_chain_head() -> ChainHead:
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    v1 = AuditEvent.objects.filter(chain_version=1).order_by("-id").values_list("id", flat=True).first()
    return ChainHead(
        event_id=last.id if last else None,
        hash=last.hash if last else "",
        events=AuditEvent.objects.count(),
        v1_last_id=v1,
    )


def anchor_file() -> Path:
    return Path(settings.GONGKAI_AUDIT_ANCHOR_FILE)


def _anchor_mac(fields: dict) -> str:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_key(), b"anchor:" + text, hashlib.sha256).hexdigest()


def audit_anchor_write(*, reason: str, head: ChainHead | None = None) -> dict:
    """Append the chain head to the anchor file (created owner-only; only ever appended to,
    see docs/security.md for making it append-only), and return the line written."""
    head = head or audit_chain_head()
    fields = {"at": timezone.now().isoformat(timespec="seconds"), "reason": reason, **head.as_json()}
    line = {**fields, "mac": _anchor_mac(fields)}
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (json.dumps(line, ensure_ascii=False) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return line


def audit_anchors() -> tuple[list[dict], list[str]]:
    """The anchor file's lines, and what is wrong with it (a line that is not JSON, or whose
    MAC does not match: written or changed by someone without the audit key)."""
    path = anchor_file()
    if not path.exists():
        return [], []
    anchors, problems = [], []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            fields = {k: v for k, v in line.items() if k != "mac"}
            valid = hmac.compare_digest(str(line.get("mac", "")), _anchor_mac(fields))
        except (ValueError, AttributeError, TypeError):
            valid = False
        if valid:
            anchors.append(line)
        else:
            problems.append(
                f"anchor file line {number} is not a valid anchor (changed or not written by Gongkai)"
            )
    return anchors, problems


def audit_anchor_problems(anchor: dict) -> list[str]:
    """How the database disagrees with one anchor: the anchored event is gone (the newest
    events were deleted) or changed, or version 1 hashes appear after the anchored ones."""
    problems = []
    event_id = anchor.get("event_id")
    when = f"anchored {anchor['at']}" if anchor.get("at") else "anchored in the backup"
    if event_id is not None:
        ev = AuditEvent.objects.filter(pk=event_id).only("hash").first()
        newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        if ev is None:
            problems.append(
                f"the anchored event {event_id} ({when}) is missing: the newest "
                f"event is {newest}; events were deleted (truncation)"
            )
        elif ev.hash != anchor.get("hash"):
            problems.append(f"event {event_id} does not have the hash {when}")
    v1_last = anchor.get("v1_last_id")
    later_v1 = AuditEvent.objects.filter(chain_version=1)
    if v1_last is not None:
        later_v1 = later_v1.filter(id__gt=v1_last)
    if (v1_last is not None or event_id is not None) and later_v1.exists():
        problems.append("events with the unkeyed version 1 hash appear after those anchored")
    return problems


def audit_anchor_check() -> list[str]:
    """Problems found by comparing the database with the latest valid anchor (empty: none,
    or no anchor yet)."""
    anchors, problems = audit_anchors()
    if anchors:
        problems += audit_anchor_problems(anchors[-1])
    return problems
