"""`gongkai import-documents FILE.jsonl --agency CODE`: import and publish documents
(interfaces.md)."""

import hashlib
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.catalogue.importing import BATCH, DOCUMENT_FIELDS, import_documents
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand

CHUNK = 1 << 20


def _digest_and_lines(fh) -> tuple[str, int]:
    """The file's SHA-256 and its number of lines (the progress bar's total), in one pass."""
    digest, lines, last = hashlib.sha256(), 0, b"\n"
    while chunk := fh.read(CHUNK):
        digest.update(chunk)
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    return digest.hexdigest(), lines + (last != b"\n")


class Command(GongkaiCommand):
    help = (
        "Import documents for an agency from a JSON-lines file and publish them, all or nothing "
        "(one transaction; written in batches, each one bulk insert and one audit event). "
        f"One object a line: {', '.join(DOCUMENT_FIELDS)} (title and content required). "
        "A document with the same url, or the same title and date, is updated instead of duplicated. "
        'With --json prints {"imported": N, "updated": M}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument("--agency", required=True, metavar="CODE", help="code of the publishing agency")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON on stdout")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH,
            metavar="N",
            help=f"documents per bulk insert and audit event (default {BATCH})",
        )

    def handle(self, *args, file, agency, dry_run, json, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        code = normalize_code(agency)
        target = Agency.objects.filter(code=code).first()
        if target is None:
            raise CommandError(
                f"no agency with code {agency!r}; load the directory first with `gongkai import-agencies FILE.jsonl`"
            )
        # The file is streamed, never held whole (a province's back catalogue is gigabytes):
        # one pass for its SHA-256 (the run is recorded with it, docs/security.md, section 1)
        # and the line count of the progress bar, then the import's own pass.
        try:
            with open(file, "rb") as fh:
                sha256, total = _digest_and_lines(fh)
                fh.seek(0)
                with self.progress(total=total, desc="import") as advance:
                    result = import_documents(
                        fh,
                        agency=target,
                        dry_run=dry_run,
                        progress=advance,
                        file_name=str(Path(file).resolve()),
                        sha256=sha256,
                        batch_size=batch_size,
                    )
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc
        except ImportFailed as exc:
            self.fail_import(exc, file)
        if json:
            self.emit_json({"imported": result.imported, "updated": result.updated})
        else:
            verb = ("would import", "would update") if dry_run else ("imported", "updated")
            self.stdout.write(
                f"{target.name}: {verb[0]} {result.imported} new documents, {verb[1]} {result.updated} "
                f"({result.unchanged} of them unchanged)."
            )
