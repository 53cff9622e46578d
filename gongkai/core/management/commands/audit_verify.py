"""`gongkai audit-verify`: check the audit trail's hash chain (security.md, "Audit") and compare
it with the latest anchor written outside the database (docs/security.md, section 2)."""

from django.core.management.base import CommandError

from gongkai.core.audit import anchor_file, audit_anchor_check, audit_anchors, audit_verify
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.models import AuditEvent


class Command(GongkaiCommand):
    help = (
        "Check that no audit event was changed or removed: the hash chain, and the latest anchor "
        "(`gongkai audit-anchor`, `gongkai backup`) for deleted newest events. Exit 1 saying what is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            action="store_true",
            help='print {"events": N, "broken": [ids], "anchor": {...} or null, "anchor_problems": [...]}',
        )

    def handle(self, *args, json, **options):
        broken = audit_verify()
        anchors, _problems = audit_anchors()
        anchor_problems = audit_anchor_check()
        if json:
            self.emit_json(
                {
                    "events": AuditEvent.objects.count(),
                    "broken": broken,
                    "anchor": anchors[-1] if anchors else None,
                    "anchor_problems": anchor_problems,
                }
            )
        for problem in anchor_problems:
            self.stderr.write(problem)
        if broken:
            shown = ", ".join(str(i) for i in broken[:50]) + (" …" if len(broken) > 50 else "")
            raise CommandError(f"the audit trail is broken at {len(broken)} event(s): {shown}")
        if anchor_problems:
            raise CommandError(
                f"the audit trail does not match the anchors in {anchor_file()}: {anchor_problems[0]}"
            )
        if not json:
            self.stdout.write(f"Audit trail intact: {AuditEvent.objects.count()} event(s) verified.")
            if anchors:
                self.stdout.write(
                    f"It matches the latest anchor ({anchors[-1]['at']}, event {anchors[-1]['event_id']})."
                )
            else:
                self.stdout.write(f"No anchor in {anchor_file()} yet: run `gongkai audit-anchor` from cron.")
