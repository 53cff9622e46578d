"""Charts drawn by the platform as inline SVG: bar charts for categories, line charts over the
months. No script and nothing fetched from elsewhere (security.md: no outside assets), so they
print, work without JavaScript and in the intranet.

Each chart is a <figure>: its caption, the SVG (role="img" with an aria-label that says what it
shows) and the same figures as a table, the fallback for screen readers and for copying. Every
text is escaped; the functions are pure and return safe HTML for templates.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colours of portal.css with at least 4.5:1 contrast on white; lines also differ by dash and
# marker, so that no series is told apart by colour alone.
COLOURS = ("#17498a", "#a3161c", "#2f6b3f", "#7a4b00")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
GRID = "#dcdfe5"
INK = "#1d2129"
MUTED = "#555c68"
FONT = 15  # px, in the SVG's own units: the chart is drawn at its natural size where it fits


@dataclass(frozen=True)
class Series:
    """One line of a line chart: its name and a value per label (None: no figure that month)."""

    name: str
    values: Sequence[float | None]


def plain(value: float | None) -> str:
    """A number as people write it: no trailing .0; "—" when there is none."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


def percent(value: float | None) -> str:
    return "—" if value is None else f"{plain(value)}%"


def text_width(text: str, size: float = FONT) -> float:
    """Rough width of ``text`` in the SVG: CJK characters are a full em, others about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.58 for c in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with an ellipsis to fit ``width`` (the full text goes into a <title>)."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (an axis's top)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover


def axis_ticks(top: float, most: int = 5) -> list[float]:
    """The gridlines of a value axis reaching ``top``: 0 and at most ``most`` equal steps of
    1, 2 or 5 × 10^k (whole numbers from 1 up, so that counts are never labelled 6.2)."""
    if top <= 0:
        return [0, 1]
    power = 10 ** math.floor(math.log10(top / most))
    for step in (m * power * f for f in (1, 10) for m in (1, 2, 5)):
        if step >= 1 or top < 1:
            n = math.ceil(top / step - 1e-9)
            if n <= most:
                return [i * step for i in range(n + 1)]
    raise AssertionError("no step fits")  # pragma: no cover


def _attrs(**attrs) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items() if v != "")


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart__svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}" '
        f'font-size="{FONT}" font-family="inherit">' + "".join(body) + "</svg>"
    )


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="num">{escape(c)}</td>' for c in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<details class="stats-chart__data"><summary>{escape(_("查看数据表"))}</summary>'
        f'<div class="table-wrap"><table class="stats-table"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></details>"
    )


def _figure(title: str, svg: str, table: str, note: str = "") -> SafeString:
    note_html = f'<p class="stats-chart__note">{escape(note)}</p>' if note else ""
    return mark_safe(  # noqa: S308 - every text above went through escape()
        f'<figure class="stats-chart"><figcaption class="stats-chart__title">{escape(title)}</figcaption>'
        f"{svg}{note_html}{table}</figure>"
    )


def _empty(title: str, table: str, reason: str = "") -> SafeString:
    """A chart with nothing to draw says so, and why when the caller knows (``reason``)."""
    text = _("暂无数据") + (f"：{reason}" if reason else "")
    return _figure(title, f'<p class="stats-chart__empty">{escape(text)}</p>', table)


def bar_chart(
    *,
    title: str,
    items: Sequence[tuple[str, float | None]],
    unit: str = "",
    value_text: Callable[[float | None], str] = plain,
    header: tuple[str, str] | None = None,
    top: float | None = None,
    width: int = 480,
    note: str = "",
    empty: str = "",
) -> SafeString:
    """Horizontal bars, one per (label, value), labels on the left: room for long Chinese
    labels such as the outcomes of Table 2. ``unit`` (件, 条) follows each value in the spoken
    description; a ``value_text`` such as ``percent`` carries its own. ``top`` fixes the scale
    (100 for rates); ``note`` is printed under the chart; ``empty`` says why there is nothing
    to draw, when that is the case."""
    header = header or (_("项目"), unit or _("数值"))
    table = _table(title, header, [(label, value_text(value)) for label, value in items])
    values = [v for _label, v in items if v is not None]
    if not items or not any(values):
        return _empty(title, table, empty)
    bar, gap, pad = FONT + 9, 10, 8
    label_w = min(max(text_width(label) for label, _v in items) + pad, width * 0.42)
    value_w = max(text_width(value_text(v)) for _label, v in items) + pad
    plot_w = width - label_w - value_w - pad
    scale = top or nice_ceiling(max(values))
    height = pad * 2 + len(items) * (bar + gap) - gap
    body = [f'<line x1="{label_w:.1f}" y1="{pad}" x2="{label_w:.1f}" y2="{height - pad}" stroke="{GRID}"/>']
    for i, (label, value) in enumerate(items):
        y = pad + i * (bar + gap)
        length = 0 if value is None else max(plot_w * value / scale, 0)
        shown = value_text(value)
        body.append("<g>")
        body.append(
            f"<title>{escape(label)}：{escape(shown)}{escape(unit if value is not None else '')}</title>"
        )
        body.append(
            f'<text x="{label_w - pad:.1f}" y="{y + bar * 0.7:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(clip(label, label_w - pad))}</text>"
        )
        if length:
            body.append(
                f'<rect x="{label_w:.1f}" y="{y}" width="{length:.1f}" height="{bar}" fill="{COLOURS[0]}"/>'
            )
        body.append(
            f'<text x="{label_w + length + 4:.1f}" y="{y + bar * 0.7:.1f}" fill="{INK}">{escape(shown)}</text>'
        )
        body.append("</g>")
    summary = "；".join(
        f"{label} {value_text(value)}{unit if value is not None else ''}" for label, value in items
    )
    return _figure(title, _svg(width, height, f"{title}：{summary}", body), table, note)


def line_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    value_text: Callable[[float | None], str] = plain,
    top: float | None = None,
    width: int = 480,
    height: int = 260,
    empty: str = "",
) -> SafeString:
    """Lines over ``labels`` (e.g. the months), one per series, each with its own colour, dash
    and marker and a legend. A value of None leaves a gap in its line."""
    header = (_("项目"), *(s.name for s in series))
    rows = [(label, *(value_text(s.values[i]) for s in series)) for i, label in enumerate(labels)]
    table = _table(title, header, rows)
    values = [v for s in series for v in s.values if v is not None]
    if not labels or not any(values):
        return _empty(title, table, empty)
    ticks = axis_ticks(top or max(values))
    scale = ticks[-1]
    left = max(text_width(value_text(t)) for t in ticks) + 14
    right, legend_h, bottom = 16, FONT + 12, FONT + 16
    plot_top, plot_h = legend_h + 10, height - legend_h - 10 - bottom
    plot_w = width - left - right
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return plot_top + plot_h * (1 - v / scale)

    body = []
    for v in ticks:  # horizontal grid lines with their values
        body.append(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{GRID}"/>'
        )
        body.append(
            f'<text x="{left - 6:.1f}" y="{y(v) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(value_text(v))}</text>"
        )
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
        )
    legend_x = left
    for n, s in enumerate(series):
        colour, dash = COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)]
        body.append(
            f'<line x1="{legend_x}" y1="{legend_h / 2}" x2="{legend_x + 24}" y2="{legend_h / 2}" '
            f'stroke="{colour}" stroke-width="2.5" {_attrs(stroke_dasharray=dash)}/>'
        )
        body.append(_marker(n, legend_x + 12, legend_h / 2, colour))
        body.append(f'<text x="{legend_x + 30}" y="{legend_h / 2 + 4}" fill="{INK}">{escape(s.name)}</text>')
        legend_x += 30 + text_width(s.name) + 20
        for run in _runs(s.values):
            points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run)
            body.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5" '
                f"{_attrs(stroke_dasharray=dash)}/>"
            )
        for i, v in enumerate(s.values):
            if v is not None:
                body.append(
                    f"<g><title>{escape(labels[i])} {escape(s.name)}：{escape(value_text(v))}{escape(unit)}</title>"
                    f"{_marker(n, x(i), y(v), colour)}</g>"
                )
    summary = "；".join(
        f"{s.name}："
        + "，".join(f"{labels[i]} {value_text(v)}" for i, v in enumerate(s.values) if v is not None)
        for s in series
    )
    return _figure(
        title,
        _svg(width, height, f"{title}（{unit}）：{summary}" if unit else f"{title}：{summary}", body),
        table,
    )


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive values (a None breaks the line)."""
    runs, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                runs.append(current)
            current = []
        else:
            current.append((i, v))
    if current:
        runs.append(current)
    return runs


def _marker(n: int, cx: float, cy: float, colour: str) -> str:
    """Circle, square, triangle or diamond: the series differ in shape as well as colour."""
    shape = n % 4
    if shape == 0:
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{cx - 3.5:.1f}" y="{cy - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == 2:
        return f'<path d="M{cx:.1f} {cy - 4.5:.1f}L{cx + 4.5:.1f} {cy + 3.5:.1f}L{cx - 4.5:.1f} {cy + 3.5:.1f}Z" fill="{colour}"/>'
    return f'<path d="M{cx:.1f} {cy - 4.5:.1f}L{cx + 4.5:.1f} {cy:.1f}L{cx:.1f} {cy + 4.5:.1f}L{cx - 4.5:.1f} {cy:.1f}Z" fill="{colour}"/>'
