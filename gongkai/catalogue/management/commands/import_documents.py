"""`gongkai import-documents FILE.jsonl --agency CODE`: import and publish documents
(interfaces.md)."""

import hashlib
from pathlib import Path

from django.core.management.base import CommandError

from gongkai.agencies.importing import normalize_code
from gongkai.agencies.models import Agency
from gongkai.catalogue.importing import DOCUMENT_FIELDS, import_documents
from gongkai.core.jsonl import ImportFailed
from gongkai.core.management.base import GongkaiCommand


class Command(GongkaiCommand):
    help = (
        "Import documents for an agency from a JSON-lines file and publish them, all or nothing. "
        f"One object a line: {', '.join(DOCUMENT_FIELDS)} (title and content required). "
        "A document with the same url, or the same title and date, is updated instead of duplicated. "
        'With --json prints {"imported": N, "updated": M}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument("--agency", required=True, metavar="CODE", help="code of the publishing agency")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON on stdout")

    def handle(self, *args, file, agency, dry_run, json, **options):
        code = normalize_code(agency)
        target = Agency.objects.filter(code=code).first()
        if target is None:
            raise CommandError(
                f"no agency with code {agency!r}; load the directory first with `gongkai import-agencies FILE.jsonl`"
            )
        lines = self.read_jsonl(file)
        # The run is recorded with the file's name and SHA-256 (docs/security.md, section 1).
        with open(file, "rb") as fh:
            sha256 = hashlib.file_digest(fh, "sha256").hexdigest()
        total = sum(1 for raw in lines if raw.strip())
        try:
            with self.progress(total=total, desc="import") as advance:
                result = import_documents(
                    lines,
                    agency=target,
                    dry_run=dry_run,
                    progress=advance,
                    file_name=str(Path(file).resolve()),
                    sha256=sha256,
                )
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
