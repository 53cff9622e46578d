"""`gongkai demo`: create or migrate the database, load the demo data, print the staff
logins and serve the platform (interfaces.md). Running it again duplicates nothing."""

from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand
from gongkai.operations.demo import find_corpus, load_demo

from .serve import serve


class Command(GongkaiCommand):
    help = (
        "Create or migrate the database, load the demo agencies, reading points, documents (with the "
        "real corpus when found: $GONGKAI_CORPUS_DIR or ../shared/corpus) and staff logins, then serve. "
        "Passwords are random on each run unless GONGKAI_DEMO_PASSWORD is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", metavar="H", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000)")
        parser.add_argument("--no-serve", action="store_true", help="load the demo data and exit")

    def handle(self, *args, host, port, no_serve, **options):
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        self.say("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        corpus = find_corpus()
        if corpus is None:
            self.say(
                "No corpus found (set GONGKAI_CORPUS_DIR to the folder of gov_work_reports.jsonl); skipping it."
            )
        try:
            summary = load_demo(corpus=corpus, say=self.say)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError("the demo data could not be loaded; nothing was changed") from exc
        except ValueError as exc:  # a GONGKAI_DEMO_PASSWORD that the password validators refuse
            raise CommandError(str(exc)) from exc
        imported = sum(r.imported for r in summary.documents.values())
        updated = sum(r.updated for r in summary.documents.values())
        self.say(
            f"Demo data ready: {summary.agencies.created} agencies created, "
            f"{summary.agencies.updated + summary.agencies.unchanged} already present; "
            f"{imported} documents imported, {updated} already present."
        )
        added = summary.supervision
        self.say(
            f"Supervision demo: {added.complaints} complaints, {added.powers} powers, "
            f"{added.applications} historical applications, {added.reports} annual reports and "
            f"{added.assessment_results} assessment results added (0 when already loaded)."
        )
        self.stdout.write("\nStaff logins (workbench: /staff/login/, back office: /admin/):")
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.password}  {login.role} · {login.agency}")
        self.stdout.write("")
        if not no_serve:
            serve(host=host, port=port, say=self.say)
