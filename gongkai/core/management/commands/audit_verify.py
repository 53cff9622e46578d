"""`gongkai audit-verify`: check the audit trail's hash chain (security.md, "Audit")."""

from django.core.management.base import CommandError

from gongkai.core.audit import audit_verify
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.models import AuditEvent


class Command(GongkaiCommand):
    help = "Check that no audit event was changed or removed; exit 1 listing the broken event ids."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help='print {"events": N, "broken": [ids]} on stdout'
        )

    def handle(self, *args, json, **options):
        broken = audit_verify()
        if json:
            self.emit_json({"events": AuditEvent.objects.count(), "broken": broken})
        if broken:
            shown = ", ".join(str(i) for i in broken[:50]) + (" …" if len(broken) > 50 else "")
            raise CommandError(f"the audit trail is broken at {len(broken)} event(s): {shown}")
        if not json:
            self.stdout.write(f"Audit trail intact: {AuditEvent.objects.count()} event(s) verified.")
