"""The one base of the `gongkai import-*` commands (interfaces.md): the FILE argument, ``--dry-run``
and ``--json`` (and ``--agency CODE`` for a file of one agency's records), the file read whole,
every error by line on stderr and exit 1 with nothing written, then the summary: one JSON
object on stdout with ``--json``, else one line (and any warnings on stderr).

A command says only what is its own: how to run its import (``run_import``, usually the owning
app's ``import_*`` service on the file's lines), the JSON keys of its result (``summary``) and
the sentence for the terminal (``describe``). The domain side shares ``core/jsonl.py``: reading
JSON lines with line-numbered errors, ``ImportFailed`` and the all-or-nothing transaction.
"""

from abc import ABCMeta, abstractmethod
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand


class ImportCommand(GongkaiCommand, metaclass=ABCMeta):
    file_metavar = "FILE.jsonl"
    file_help: str | None = None  # set with a default file: FILE may then be left out
    offers_dry_run = True
    json_help = "print the counts as JSON on stdout"
    agency_help: str | None = None  # set: the file is one agency's, named by --agency CODE

    def add_arguments(self, parser):
        if self.file_help:
            parser.add_argument("file", metavar=self.file_metavar, nargs="?", help=self.file_help)
        else:
            parser.add_argument("file", metavar=self.file_metavar)
        if self.agency_help:
            parser.add_argument("--agency", required=True, metavar="CODE", help=self.agency_help)
        if self.offers_dry_run:
            parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help=self.json_help)

    def handle(self, *args, file, json, dry_run=False, agency=None, **options):
        target = self.find_agency(agency) if self.agency_help else None
        try:
            outcome = self.run_import(file, agency=target, dry_run=dry_run, **options)
        except ImportFailed as exc:
            self.fail_import(exc, file)
        if json:
            self.emit_json(self.summary(outcome))
            return
        self.stdout.write(self.describe(outcome, agency=target, dry_run=dry_run))
        for warning in self.warnings(outcome):
            self.say(warning)

    def read_file(self, path: str | Path) -> bytes:
        """A whole import file (JSON documents rather than lines: the key-area catalogue)."""
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None

    # What each command says for itself.

    def find_agency(self, code: str):
        """The agency named by --agency; only the commands that take one (agencies/management/
        base.py: AgencyImportCommand, core may not import agencies) can find it."""
        raise CommandError("this command takes no --agency")

    @abstractmethod
    def run_import(self, file: str, *, agency, dry_run: bool, **options):
        """Import ``file``, all or nothing; raise ImportFailed with every error, by line."""

    @abstractmethod
    def summary(self, outcome) -> dict:
        """The JSON object of --json, with the keys interfaces.md gives the command."""

    @abstractmethod
    def describe(self, outcome, *, agency, dry_run: bool) -> str:
        """The line for the person at the terminal."""

    def warnings(self, outcome) -> list[str]:
        """Lines for stderr after the summary (none by default)."""
        return []
