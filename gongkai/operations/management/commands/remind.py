"""`gongkai remind [--dry-run] [--json]`: e-mail staff about records due soon or overdue.
Run daily (cron or a systemd timer). Composed in gongkai/operations/reminders.py."""

from gongkai.applications.reminders import lapsed_close
from gongkai.core.joblock import exclusive
from gongkai.core.management.base import GongkaiCommand
from gongkai.operations.reminders import reminders_collect, reminders_send


class Command(GongkaiCommand):
    help = (
        "Daily: close applications the applicant let lapse, and e-mail staff about records and "
        "replies due soon or overdue."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list who would be reminded, send nothing")
        parser.add_argument("--json", action="store_true", help="print the reminders as JSON on stdout")

    @exclusive("remind")  # one node at a time (core/joblock.py)
    def handle(self, *args, dry_run, json, **options):
        closed = [] if dry_run else lapsed_close()  # applicants' time ran out: close as abandoned
        reminders = reminders_collect()
        sent = 0 if dry_run else reminders_send(reminders)
        if json:
            self.emit_json(
                {
                    "sent": sent,
                    "applications_closed_as_abandoned": closed,
                    "reminders": [
                        {
                            "email": r.email,
                            "overdue": [s.pk for s in r.overdue],
                            "due_soon": [s.pk for s in r.due_soon],
                        }
                        for r in reminders
                    ],
                }
            )
        else:
            self.say(f"{len(reminders)} reminder(s), {sent} sent; {len(closed)} lapsed application(s) closed")
