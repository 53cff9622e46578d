"""`gongkai publish-scheduled [--json]`: carry out approved publications whose scheduled time
has come. Run every few minutes (cron or a systemd timer); each publication commits on its
own, so a crash leaves it either published or still scheduled."""

from gongkai.core.joblock import exclusive
from gongkai.core.management.base import GongkaiCommand
from gongkai.publishing.services import publish_scheduled


class Command(GongkaiCommand):
    help = "Publish the approved records whose scheduled time has come."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help='print {"published": [submission ids]}')

    @exclusive("publish-scheduled")  # one node at a time (core/joblock.py)
    def handle(self, *args, json, **options):
        done = publish_scheduled()
        if json:
            self.emit_json({"published": done})
        else:
            self.say(f"published {len(done)} scheduled record(s)")
