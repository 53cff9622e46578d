"""`gongkai import-documents FILE.jsonl --agency CODE`: import and publish documents
(interfaces.md)."""

import hashlib
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.agencies.management.base import AgencyImportCommand
from gongkai.catalogue.importing import BATCH, DOCUMENT_FIELDS, import_documents

CHUNK = 1 << 20


def _digest_and_lines(fh) -> tuple[str, int]:
    """The file's SHA-256 and its number of lines (the progress bar's total), in one pass."""
    digest, lines, last = hashlib.sha256(), 0, b"\n"
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return digest.hexdigest(), lines + (last != b"\n")


class Command(AgencyImportCommand):
    help = (
        "Import documents for an agency from a JSON-lines file and publish them, all or nothing "
        "(one transaction; written in batches, each one bulk insert and one audit event). "
        f"One object a line: {', '.join(DOCUMENT_FIELDS)} (title and content required). "
        "A document with the same url, or the same title and date, is updated instead of duplicated. "
        'With --json prints {"imported": N, "updated": M}.'
    )
    agency_help = "code of the publishing agency"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            metavar="N",
            help=f"documents per bulk insert and audit event (default {BATCH})",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        super().handle(*args, batch_size=batch_size, **options)

    def run_import(self, file, *, agency, dry_run, batch_size, **options):
        # The file is streamed, never held whole (a province's back catalogue is gigabytes):
        # one pass for its SHA-256 (the run is recorded with it, docs/security.md, section 1)
        # and the line count of the progress bar, then the import's own pass.
        try:
            with open(file, "rb") as fh:
                sha256, total = _digest_and_lines(fh)
                fh.seek(0)
                with self.progress(total=total, desc="import") as advance:
                    return import_documents(
                        fh,
                        agency=agency,
                        dry_run=dry_run,
                        progress=advance,
                        file_name=str(Path(file).resolve()),
                        sha256=sha256,
                        batch_size=batch_size,
                        expected=total,
                    )
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc

    def summary(self, result) -> dict:
        return {"imported": result.imported, "updated": result.updated}

    def describe(self, result, *, agency, dry_run) -> str:
        verb = ("would import", "would update") if dry_run else ("imported", "updated")
        return (
            f"{agency.name}: {verb[0]} {result.imported} new documents, {verb[1]} {result.updated} "
            f"({result.unchanged} of them unchanged)."
        )
