"""Template helpers of the public portal: links, dates as Chinese readers write them, and
plain-text bodies as paragraphs."""

import re

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.dates import precise_cn, precise_iso
from gongkai.catalogue.models import Document

register = template.Library()

# Top-level headings of official documents: "一、", "（一）" lines short enough to be headings.
_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[章部分编])")
_HEADING_MAX_CHARS = 40
CHANNEL_LABELS = {
    "portal": _("政府网站"),
    "website": _("政府网站"),
    "gazette": _("政府公报"),
    "press": _("新闻发布会"),
    "newspaper": _("报刊"),
    "broadcast": _("广播电视"),
    "reading_points": _("查阅场所"),
    "reading_point": _("查阅场所"),
    "new_media": _("政务新媒体"),
    "bulletin_board": _("公告栏"),
}


@register.filter
def document_url(doc: Document) -> str:
    return reverse("portal:document", args=[doc.index_no])


@register.filter
def cn_date(value) -> str:
    """2024年3月1日 (an empty string for no date)."""
    if not value:
        return ""
    return gettext("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


@register.filter
def written_on(doc: Document) -> str:
    """The date of creation with its precision: 2023年, 2023年5月 or 2023年5月17日."""
    return precise_cn(doc.written_on, doc.written_on_precision)


@register.filter
def published_on(doc: Document) -> str:
    """The publication date with its precision, as written_on."""
    return precise_cn(doc.published_on, doc.published_on_precision)


@register.filter
def published_iso(doc: Document) -> str:
    """The publication date as 2023, 2023-05 or 2023-05-17 (lists, <time datetime>): a
    year-only document never shows an invented 1 January."""
    return precise_iso(doc.published_on, doc.published_on_precision) or ""


@register.filter
def channel_labels(channels) -> str:
    """公开方式 as readers know them; unknown codes are shown as stored."""
    if not channels:
        return str(CHANNEL_LABELS["portal"])
    return "、".join(str(CHANNEL_LABELS.get(str(c), c)) for c in channels)


@register.filter
def paragraphs(text: str) -> SafeString:
    """Plain text as escaped paragraphs, one per non-empty line; short numbered lines
    ("一、…") become section headings so long reports can be scanned."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if _HEADING_RE.match(line) and len(line) <= _HEADING_MAX_CHARS:
            out.append(f"<h2>{escape(line)}</h2>")
        else:
            out.append(f"<p>{escape(line)}</p>")
    return mark_safe("\n".join(out))


@register.filter
def filesize(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@register.filter
def file_kind(name: str) -> str:
    """The upper-case extension (PDF, DOCX), for the download link's label."""
    _stem, dot, ext = (name or "").rpartition(".")
    return ext.upper() if dot and 0 < len(ext) <= 5 else ""
