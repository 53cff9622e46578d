"""Pre-scan findings marked up in the record's text for the reviewer. Pure: no database."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from gongkai.core.scan.labels import KIND_LABELS


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    value: str  # what the scan matched; a span whose text has changed since is not marked
    number: int  # the finding's number in the list of findings
    anchor: str  # id of the finding's row (its settle form)
    label: str
    state: str  # pending, redact or keep


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """``text`` escaped, with each still-matching span wrapped in a <mark> that names the
    finding and links to its row. Overlapping or stale spans are left unmarked."""
    parts: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start < pos or span.end > len(text) or text[span.start : span.end] != span.value:
            continue
        parts.append(escape(text[pos : span.start]))
        parts.append(
            format_html(
                '<mark class="finding finding--{}" id="mark-{}">{}<a class="finding__ref" href="#{}">'
                '<span class="visually-hidden">{}</span>{}</a></mark>',
                span.state,
                span.anchor,
                text[span.start : span.end],
                span.anchor,
                _("扫描发现：%(label)s，编号") % {"label": span.label},
                span.number,
            )
        )
        pos = span.end
    parts.append(escape(text[pos:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
