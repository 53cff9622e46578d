"""sitemap.xml: an index of sitemap files listing every public document and agency page and the
fixed pages (issue 13, §4).

One sitemap file may list at most 50,000 URLs; ours list at most URLS_PER_FILE (5,000). A
section with more rows is split by id range:
file ``p`` lists the rows with ``(p - 1) * URLS_PER_FILE < id <= p * URLS_PER_FILE``, so it has
at most that many URLs whatever was withdrawn, every row is in exactly one file, and a file is
read by a seek on the primary key, never an ``OFFSET`` over the rows before it (1M documents:
200 files). The index lists one file per range up to the highest id; a range with nothing public
left in it is an empty, valid file. The XML is written directly rather than through a template:
a file of 5,000 URLs is one string join, not 5,000 template loops.
"""

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.db import connection
from django.http import Http404, HttpResponse
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.catalogue.models import Document

# sitemaps.org allows 50,000 URLs per file; 5,000 keeps a file under 100 ms to write at 1M
# documents (a cached copy serves it after that: core/pagecache.py).
URLS_PER_FILE = 5_000
PLACEHOLDER = "__key__"
XMLNS = "http://www.sitemaps.org/schemas/sitemap/0.9"


SAFE = "!$&'()*+,;=/~:@"  # what ``reverse`` leaves unquoted in a path (RFC 3986)
_PLAIN = re.compile(r"[A-Za-z0-9_.\-" + re.escape(SAFE) + "]*")


def _path_of(url_name: str):
    """A function from a key (index number, agency code) to the path of its page: the URL
    pattern is reversed once and the key quoted as ``reverse`` quotes it."""
    before, after = reverse(url_name, args=[PLACEHOLDER]).split(PLACEHOLDER)

    def path(key: str) -> str:
        # Most keys (000014349/2024-00001) need no quoting: a match is cheaper than quote().
        return before + (key if _PLAIN.fullmatch(key) else quote(key, safe=SAFE)) + after

    return path


@dataclass(frozen=True)
class Section(ABC):
    """Rows of one model, split into files by id range."""

    changefreq: str
    priority: str
    url_name: str
    key: str  # the field that goes into the URL

    @abstractmethod
    def rows(self):
        """The section's published rows (a queryset), before the split by id range."""

    def files(self) -> int:
        """How many files the section has: one per id range up to the highest id (one
        primary-key lookup, whatever the table's size)."""
        highest = self.rows().model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return max(1, -(-highest // URLS_PER_FILE))

    def entries(self, p: int):
        """(path, last modified date or None) of the rows of file ``p``."""
        path = _path_of(self.url_name)
        lo, hi = (p - 1) * URLS_PER_FILE, p * URLS_PER_FILE
        rows = self.rows().filter(pk__gt=lo, pk__lte=hi).order_by("pk")
        # The rows as the driver gives them, without Django's per-value converters (a third of
        # the time of a file): the date is the first ten characters of the timestamp either way.
        sql, params = rows.values_list(self.key, *self.modified_field()).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(5000):
                for row in batch:
                    yield path(row[0]), str(row[1])[:10] if len(row) > 1 and row[1] else None

    def modified_field(self) -> tuple[str, ...]:
        return ()


class DocumentSection(Section):
    def rows(self):
        return Document.objects.public()

    def modified_field(self):
        return ("updated_at",)


class AgencySection(Section):
    def rows(self):
        return Agency.objects.active()


@dataclass(frozen=True)
class PageSection:
    """The fixed pages: one file."""

    changefreq: str = "daily"
    priority: str = "0.8"
    names: tuple[str, ...] = ("portal:home", "portal:agencies", "portal:search")

    def files(self) -> int:
        return 1

    def entries(self, p: int):
        for name in self.names:
            yield reverse(name), None


SECTIONS = {
    "pages": PageSection(),
    "agencies": AgencySection("weekly", "0.5", "portal:agency", "code"),
    "guides": AgencySection("weekly", "0.5", "portal:guide", "code"),
    "documents": DocumentSection("monthly", "0.6", "portal:document", "index_no"),
}


def _xml(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemap views say
    return response


def sitemap_index(request):
    """Every file of every section (``?p=N`` from the second file of a section on)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{XMLNS}">\n']
    for name, section in SECTIONS.items():
        base = request.build_absolute_uri(reverse("portal:sitemap_section", args=[name]))
        for p in range(1, section.files() + 1):
            loc = base if p == 1 else f"{base}?p={p}"
            out.append(f"<sitemap><loc>{escape(loc)}</loc></sitemap>\n")
    out.append("</sitemapindex>\n")
    return _xml("".join(out))


def sitemap_section(request, section: str):
    """File ``?p=N`` (default 1) of one section; 404 for a section or file that does not exist."""
    found = SECTIONS.get(section)
    raw = request.GET.get("p", "1")
    if found is None or not raw.isdigit() or not 1 <= int(raw) <= found.files():
        raise Http404
    root = request.build_absolute_uri("/")[:-1]
    tail = f"<changefreq>{found.changefreq}</changefreq><priority>{found.priority}</priority></url>\n"
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{XMLNS}">\n']
    for path, modified in found.entries(int(raw)):
        lastmod = f"<lastmod>{modified}</lastmod>" if modified else ""
        out.append(f"<url><loc>{escape(root + path)}</loc>{lastmod}{tail}")
    out.append("</urlset>\n")
    return _xml("".join(out))
