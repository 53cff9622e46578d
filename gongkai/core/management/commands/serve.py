"""`gongkai serve`: run the platform. Under gunicorn (several worker processes) where it is
installed, else on Django's threaded server; static files come from whitenoise either way."""

import importlib.util
import os
import sys

from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.search import engine, indexer


def default_workers() -> int:
    """2-4 workers: requests are short and SQLite allows one writer at a time."""
    return min(4, max(2, os.cpu_count() or 2))


def _gunicorn_version() -> tuple[int, ...]:
    import gunicorn

    return tuple(getattr(gunicorn, "version_info", (0,)))


def serve(*, host: str, port: int, workers: int | None = None, say=print) -> None:
    """Bring the search index up to date, then serve until interrupted. Under gunicorn this
    process is replaced by the server and does not return."""
    try:
        # A process that died between a commit and its index write left the change queued.
        applied = indexer.sync_pending()
        if applied:
            say(f"Applied {applied} pending search index change(s).")
    except engine.IndexBusy:
        say("The search index is busy; queued changes will be applied with the next write.")
    workers = workers or default_workers()
    shown_host = f"[{host}]" if ":" in host else host
    if importlib.util.find_spec("gunicorn") is not None:
        say(
            f"Serving on http://{shown_host}:{port}/ with gunicorn ({workers} workers); press Ctrl+C to stop."
        )
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "gongkai.wsgi:application",
            "--bind",
            f"{shown_host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        if _gunicorn_version() >= (27, 0):
            # Its control socket would live in the home directory, shared by every instance.
            argv.append("--no-control-socket")
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)
    say(f"Serving on http://{shown_host}:{port}/ (gunicorn is not installed: Django's threaded server).")
    call_command(
        "runserver", f"{shown_host}:{port}", use_reloader=False, use_threading=True, skip_checks=True
    )


class Command(GongkaiCommand):
    help = "Serve the platform (gunicorn with 2-4 workers when installed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1", metavar="H", help="address to listen on (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, metavar="N", help="port (default 8000)")
        parser.add_argument(
            "--workers", type=int, metavar="W", help="gunicorn worker processes (default 2-4)"
        )

    def handle(self, *args, host, port, workers, **options):
        if not 1 <= port <= 65535:
            raise CommandError("--port must be between 1 and 65535")
        if workers is not None and not 1 <= workers <= 32:
            raise CommandError("--workers must be between 1 and 32")
        serve(host=host, port=port, workers=workers, say=self.say)
