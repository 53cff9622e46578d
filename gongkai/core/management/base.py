"""What every `gongkai` command shares: one-line user errors, JSON on stdout, progress bars
on a terminal only (interfaces.md: `--json` to stdout, messages to stderr, exit 1 on a user
error with a line saying what to fix, 2 on a usage error)."""

import contextlib
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gongkai.core.jsonl import ImportFailed, open_jsonl


class GongkaiCommand(BaseCommand):
    """A management command that reports user errors as ``gongkai NAME: message``."""

    _prog = "gongkai"

    def run_from_argv(self, argv):
        self._prog = " ".join(argv[:2])
        super().run_from_argv(argv)

    def execute(self, *args, **options):
        if not self._called_from_command_line or options.get("traceback"):
            return super().execute(*args, **options)
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            self.stderr.write(f"{self._prog}: {exc}")
            sys.exit(exc.returncode)

    def emit_json(self, data) -> None:
        """Machine-readable output: one JSON document on stdout."""
        self.stdout.write(json.dumps(data, ensure_ascii=False, sort_keys=False))

    def say(self, message: str) -> None:
        """A message for the person at the terminal (stderr, so stdout stays parseable)."""
        self.stderr.write(message)

    def read_jsonl(self, path: str) -> list[bytes]:
        try:
            return open_jsonl(Path(path))
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def fail_import(self, exc: ImportFailed, path: str) -> None:
        """Every error of a failed import, one line each, then exit 1."""
        for error in exc.errors:
            self.stderr.write(str(error))
        raise CommandError(f"{len(exc.errors)} error(s) in {path}; nothing was imported")

    @contextlib.contextmanager
    def progress(self, *, total: int, desc: str):
        """A tqdm bar on stderr when it is a terminal; otherwise a silent counter. Yields a
        callable taking the number of items done."""
        if not self.stderr.isatty():
            yield lambda n=1: None
            return
        with tqdm(total=total, desc=desc, unit="doc", file=self.stderr._out, leave=False) as bar:
            yield bar.update
