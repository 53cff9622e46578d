"""One run at a time of a scheduled job, whichever node's cron starts it (docs/deployment.md,
"Several nodes").

PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection of its own, held
for the whole run and released when the run ends or its process dies. SQLite serves one node:
an exclusive ``flock`` on a file beside the database does the same between its processes.
A run that finds the lock taken does nothing and says so; its command exits 0.
"""

import fcntl
import functools
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections


def _pg_key(job: str) -> int:
    """A signed 64-bit advisory-lock key for the job, the same on every node."""
    return int.from_bytes(
        hashlib.blake2b(f"gongkai-job:{job}".encode(), digest_size=8).digest(), "big", signed=True
    )


def _lock_file(job: str) -> Path:
    name = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:":
        return Path(settings.DATA_DIR) / f"job-{job}.lock"
    return Path(f"{name}.job-{job}.lock")


@contextmanager
def job_lock(job: str) -> Iterator[bool]:
    """Hold the lock of ``job`` for the block if no other process holds it: yields True, or
    False (at once, without waiting) when another run of the job holds it."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        conn = connections[DEFAULT_DB_ALIAS].copy()  # a session of its own
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [_pg_key(job)])
                got = bool(cursor.fetchone()[0])
            yield got
        finally:
            conn.close()  # ends the session, and with it the lock
        return
    path = _lock_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # releases the flock


def busy_message(job: str) -> str:
    return f"{job}: another node (or process) is running this job now; nothing to do here."


def exclusive(job: str):
    """Decorate a command's ``handle`` so that only one run of ``job`` happens at a time across
    all nodes; a second run says so in one line (stderr) and returns, so the command exits 0."""

    def decorate(handle):
        @functools.wraps(handle)
        def wrapper(self, *args, **options):
            with job_lock(job) as got:
                if not got:
                    self.stderr.write(busy_message(job))
                    return None
                return handle(self, *args, **options)

        return wrapper

    return decorate
