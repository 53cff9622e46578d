"""`gongkai scan FILE... [--json]`: the confidentiality and privacy pre-scan (interfaces.md)."""

import logging

from django.core.management.base import CommandError
from django.db import DatabaseError

from gongkai.agencies.selectors import public_contact_values
from gongkai.core.management.base import GongkaiCommand
from gongkai.core.scan import Confidence, ScanError, drop_known, scan_file


class Command(GongkaiCommand):
    help = (
        "Scan text, DOCX or PDF files for secrecy marks (机密★5年, 内部资料…) and personal data "
        "(ID, phone and bank card numbers, credit codes, passports, e-mail addresses, names and "
        "addresses). Excerpts are masked. Exit 0 even when something is found; 1 when a file is "
        "missing, unreadable, encrypted or corrupt. --json prints "
        '{"findings": [{"file", "kind", "start", "end", "excerpt", "confidence"}]}; offsets are '
        "character offsets into the file's extracted text. The agency directory's own "
        "telephones, faxes, e-mails and addresses are not reported (when the platform's database "
        "is set up; --all reports them too), nor are companies' credit codes (not personal data)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="a .txt, .docx or .pdf file")
        parser.add_argument("--json", action="store_true", help="print the findings as JSON on stdout")
        parser.add_argument(
            "--all",
            action="store_true",
            dest="report_known",
            help="also report the agency directory's own contact details",
        )

    def handle(self, *args, files, json, report_known=False, **options):
        # Every file is scanned before anything is printed: a failure leaves no partial report.
        # pypdf logs its repairs of damaged files; the one-line error below is what counts.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        known = frozenset() if report_known else _directory_values()
        results = []
        for path in files:
            try:
                results.append((path, drop_known(scan_file(path), known)))
            except ScanError as exc:
                raise CommandError(str(exc)) from exc
        if json:
            self.emit_json(
                {
                    "findings": [
                        {
                            "file": path,
                            "kind": f.kind.value,
                            "start": f.start,
                            "end": f.end,
                            "excerpt": f.excerpt,
                            "confidence": f.confidence.value,
                        }
                        for path, findings in results
                        for f in findings
                    ]
                }
            )
            return
        total = 0
        for path, findings in results:
            for f in findings:
                low = "  (low confidence)" if f.confidence is Confidence.LOW else ""
                self.stdout.write(f"{path}:{f.kind.value}:{f.start}-{f.end} {f.excerpt}{low}")
            total += len(findings)
        self.say(f"{total} finding(s) in {len(results)} file(s)")


def _directory_values() -> frozenset[str]:
    """The directory's public contact values; none where the command runs without the
    platform's database (the scan itself needs none)."""
    try:
        return public_contact_values()
    except DatabaseError:
        return frozenset()
