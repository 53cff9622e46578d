"""`gongkai search QUERY`: the portal's search from the shell (interfaces.md)."""

import re
from html import unescape

from django.core.management.base import CommandError

from gongkai.agencies.models import Agency
from gongkai.catalogue.importing import VALIDITY_NAMES
from gongkai.catalogue.models import Validity
from gongkai.core.management.base import GongkaiCommand
from gongkai.search.serialize import results_to_dict, written_on_value
from gongkai.search.services import MAX_PAGE_SIZE, SearchQuery, search_documents

MARK_RE = re.compile(r"<mark>(.*?)</mark>")
TAG_RE = re.compile(r"<[^>]+>")


def plain_highlight(html: str) -> str:
    """The highlight for a terminal: matches in 【】, tags dropped, entities decoded."""
    return unescape(TAG_RE.sub("", MARK_RE.sub(r"【\1】", html)))


class Command(GongkaiCommand):
    help = (
        "Search the public catalogue as the portal does. --json prints "
        '{"count", "results": [...], "facets": {...}}, the shape of GET /api/v1/documents; '
        "each result's highlight is an HTML fragment (escaped text, matches in <mark>)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="+", metavar="QUERY", help="words to find (all must occur)")
        parser.add_argument("--agency", metavar="CODE", help="only documents of this agency")
        parser.add_argument("--subject", metavar="S", help="subject name (first or second level)")
        parser.add_argument("--genre", metavar="G", help="genre name, e.g. 通知")
        parser.add_argument("--year", metavar="Y", type=int, help="year of creation")
        parser.add_argument(
            "--validity", metavar="V", help="in_force, expired, repealed or amended (or 有效…)"
        )
        parser.add_argument("--sort", choices=("relevance", "date"), default="relevance")
        parser.add_argument(
            "--limit", metavar="N", type=int, default=20, help=f"results to show (1-{MAX_PAGE_SIZE})"
        )
        parser.add_argument("--page", metavar="P", type=int, default=1, help="page of results (from 1)")
        parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")

    def handle(
        self, *args, query, agency, subject, genre, year, validity, sort, limit, page, json, **options
    ):
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise CommandError(f"--limit must be between 1 and {MAX_PAGE_SIZE}")
        if page < 1:
            raise CommandError("--page must be 1 or more")
        if agency and not Agency.objects.filter(code=agency.strip().upper()).exists():
            raise CommandError(f"no agency with code {agency!r}")
        if validity and validity not in VALIDITY_NAMES:
            raise CommandError(
                f"unknown validity {validity!r} (expected one of: {', '.join(Validity.values)})"
            )
        results = search_documents(
            SearchQuery(
                q=" ".join(query),
                agency=agency.strip().upper() if agency else None,
                subject=subject or None,
                genre=genre or None,
                year=year,
                validity=VALIDITY_NAMES[validity] if validity else None,
                sort=sort,
                page=page,
                page_size=limit,
            )
        )
        for message in results.messages:
            self.say(message)
        if json:
            self.emit_json(results_to_dict(results))
            return
        self._print_listing(results)

    def _print_listing(self, results) -> None:
        first = (results.query.page - 1) * results.query.page_size
        shown = f"{first + 1}-{first + len(results.hits)}" if results.hits else "0"
        self.stdout.write(f"{results.count} documents found (showing {shown})")
        validity = dict(Validity.choices)
        for n, hit in enumerate(results.hits, start=first + 1):
            doc = hit.document
            meta = [doc.agency.name, doc.doc_no, str(written_on_value(doc)), str(validity[doc.validity])]
            self.stdout.write("")
            self.stdout.write(f"{n:>3}. {doc.title}")
            self.stdout.write(f"     {doc.index_no} · " + " · ".join(m for m in meta if m))
            self.stdout.write(f"     {plain_highlight(str(hit.highlight))}")
