"""`gongkai audit-anchor`: write the audit chain's head outside the database (docs/security.md,
section 2), so that `gongkai audit-verify` detects deleted newest events. Meant for cron."""

from gongkai.core.audit import anchor_file, audit_anchor_write
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Append the audit chain's head (newest event id and hash, event count) as one JSON line to "
        "GONGKAI_AUDIT_ANCHOR_FILE (default: audit-anchors.jsonl in the data directory). Run it from "
        "cron, e.g. hourly; keep the file append-only or ship it to another host."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the line written on stdout")

    def handle(self, *args, json, **options):
        line = audit_anchor_write(reason="audit-anchor")
        if json:
            self.emit_json(line)
        else:
            self.stdout.write(
                f"Anchored event {line['event_id']} ({line['events']} event(s)) in {anchor_file()}."
            )
