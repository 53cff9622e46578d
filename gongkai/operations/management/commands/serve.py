"""`gongkai serve`: run the platform. Under gunicorn (several worker processes) where it is
installed, else on Django's threaded server; static files come from whitenoise either way."""

import importlib.util
import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from gongkai.core.management.base import GongkaiCommand
from gongkai.search import engine, follower, indexer


def default_workers() -> int:
    """2-4 workers: requests are short and SQLite allows one writer at a time."""
    return min(4, max(2, os.cpu_count() or 2))


def _gunicorn_version() -> tuple[int, ...]:
    import gunicorn  # optional: imported only where find_spec found it (see handle)

    return tuple(getattr(gunicorn, "version_info", (0,)))


def gunicorn_security_args() -> list[str]:
    """Query codes out of the access log; X-Forwarded-Proto believed from the trusted proxies
    only (settings.GONGKAI_TRUSTED_PROXY_ADDRESSES; docs/deployment.md)."""
    args = ["--logger-class", "gongkai.core.gunicorn_logging.RedactingGunicornLogger"]
    if settings.GONGKAI_TRUSTED_PROXY_ADDRESSES:
        args += ["--forwarded-allow-ips", ",".join(settings.GONGKAI_TRUSTED_PROXY_ADDRESSES)]
    return args


def per_process_throttle_warning(workers: int) -> str:
    """One line: without a shared cache each worker counts throttles on its own (settings)."""
    return (
        f"Note: GONGKAI_REDIS_URL is not set, so throttle limits (lookups, submissions, ratings) "
        f"count per worker process: up to {workers} times the configured limit in all."
    )


def serve(*, host: str, port: int, workers: int | None = None, say=print) -> None:
    """Bring the search index up to date, then serve until interrupted. Under gunicorn this
    process is replaced by the server and does not return."""
    try:
        # Catch up with the changes made through other nodes (or lost by a crash) while down.
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
        if workers > 1 and not os.environ.get("GONGKAI_REDIS_URL"):
            say(per_process_throttle_warning(workers))
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
        argv += gunicorn_security_args()
        if _gunicorn_version() >= (27, 0):
            # Its control socket would live in the home directory, shared by every instance.
            argv.append("--no-control-socket")
        # Each worker follows the search change log (search/follower.py; docs/search.md).
        argv += ["--env", "GONGKAI_SEARCH_FOLLOW=1"]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)
    say(f"Serving on http://{shown_host}:{port}/ (gunicorn is not installed: Django's threaded server).")
    follower.start()  # this process serves: it follows the search change log
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
