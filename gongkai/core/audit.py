"""Audit trail: one function records every state change, in the caller's transaction."""

import hashlib
import json

from django.db import transaction

from .models import AuditEvent


def _digest(prev_hash: str, payload: dict) -> str:
    raw = prev_hash + json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def audit_record(*, actor, action: str, obj=None, before=None, after=None, outcome: str = "success") -> AuditEvent:
    """Append an audit event chained to the previous one. Call inside the service's transaction."""
    with transaction.atomic():
        last = AuditEvent.objects.select_for_update().order_by("-id").only("hash").first()
        prev_hash = last.hash if last else ""
        payload = {
            "actor": getattr(actor, "pk", None),
            "action": action,
            "object_type": obj._meta.label_lower if obj is not None else "",
            "object_id": str(obj.pk) if obj is not None else "",
            "outcome": outcome,
            "before": before,
            "after": after,
        }
        return AuditEvent.objects.create(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=getattr(actor, "get_username", lambda: "system")() if actor else "system",
            action=action,
            object_type=payload["object_type"],
            object_id=payload["object_id"],
            outcome=outcome,
            before=before,
            after=after,
            prev_hash=prev_hash,
            hash=_digest(prev_hash, payload),
        )


def audit_verify() -> list[int]:
    """Ids of events whose hash does not follow from their predecessor (empty when intact)."""
    broken, prev = [], ""
    for ev in AuditEvent.objects.order_by("id").iterator():
        payload = {
            "actor": ev.actor_id,
            "action": ev.action,
            "object_type": ev.object_type,
            "object_id": ev.object_id,
            "outcome": ev.outcome,
            "before": ev.before,
            "after": ev.after,
        }
        if ev.prev_hash != prev or ev.hash != _digest(prev, payload):
            broken.append(ev.id)
        prev = ev.hash
    return broken
