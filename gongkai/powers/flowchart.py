"""The flow chart (流程图) of a power, drawn on the server as inline SVG from its procedure steps:
one numbered box per step, top to bottom, joined by arrows.

No script, no web font, no external file: the page is complete as served (it must print and
work without internet access). Screen readers get the steps in order from the aria-label."""

import re
import unicodedata
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 360
BOX_X, BOX_WIDTH = 20, 320
PADDING = 10
FONT_SIZE = 14
LINE_HEIGHT = 20
GAP = 30  # between boxes, room for the arrow
MARGIN = 12
ARROW_HEAD = 7
FONT_FAMILY = (
    "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif"
)
STROKE, FILL, INK = "#3d5a80", "#f4f7fb", "#1f2328"


def _char_width(char: str) -> float:
    """Width in ems: CJK characters and full-width forms are square, the rest about half."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.58


def _tokens(text: str) -> list[str]:
    """Chinese characters one by one, Latin words and the spaces between them whole."""
    return re.findall(r"\s+|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|.", text)


def _width(text: str) -> float:
    return sum(_char_width(char) for char in text)


def wrap(text: str, max_ems: float) -> list[str]:
    """``text`` broken into lines of at most ``max_ems`` ems: Chinese between any two
    characters, Latin at spaces (a word longer than a line is broken too)."""
    lines, line = [], ""
    for token in _tokens(" ".join(text.split())):
        if _width(line + token) <= max_ems:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = "" if token.isspace() else token
        while _width(line) > max_ems:  # a word wider than the box
            cut = 1
            while _width(line[: cut + 1]) <= max_ems:
                cut += 1
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _label(steps: Sequence[str]) -> str:
    items = "；".join(
        _("第%(n)s步：%(step)s") % {"n": n, "step": " ".join(step.split())} for n, step in enumerate(steps, 1)
    )
    return _("办理流程图，共%(count)s步。%(items)s") % {"count": len(steps), "items": items}


def _arrow(y_from: float, y_to: float) -> str:
    x, tip = BOX_X + BOX_WIDTH / 2, y_to
    return (
        f'<line x1="{x:g}" y1="{y_from:g}" x2="{x:g}" y2="{tip - ARROW_HEAD:g}" stroke="{STROKE}" stroke-width="1.5"/>'
        f'<polygon points="{x - ARROW_HEAD / 2 - 1:g},{tip - ARROW_HEAD:g} {x + ARROW_HEAD / 2 + 1:g},'
        f'{tip - ARROW_HEAD:g} {x:g},{tip:g}" fill="{STROKE}"/>'
    )


def _box(number: int, text: str, y: float) -> tuple[str, float]:
    """One step's box at ``y``: its SVG and its height."""
    max_ems = (BOX_WIDTH - 2 * PADDING) / FONT_SIZE
    lines = wrap(f"{number}. {text}", max_ems)
    height = 2 * PADDING + LINE_HEIGHT * len(lines)
    x_mid = BOX_X + BOX_WIDTH / 2
    first_baseline = y + PADDING + LINE_HEIGHT * 0.75
    spans = "".join(
        f'<tspan x="{x_mid:g}" y="{first_baseline + i * LINE_HEIGHT:g}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    svg = (
        f'<g class="flowchart__step">'
        f'<rect x="{BOX_X}" y="{y:g}" width="{BOX_WIDTH}" height="{height:g}" rx="6" '
        f'fill="{FILL}" stroke="{STROKE}" stroke-width="1.5"/>'
        f'<text text-anchor="middle" font-size="{FONT_SIZE}" fill="{INK}">{spans}</text>'
        f"</g>"
    )
    return svg, height


def flowchart_svg(steps: Sequence[str]) -> SafeString:
    """The flow chart of ``steps`` as an inline <svg> (every text escaped); empty for no steps."""
    steps = [step for step in steps if step and step.strip()]
    if not steps:
        return mark_safe("")
    parts, y = [], MARGIN
    for number, step in enumerate(steps, 1):
        if number > 1:
            parts.append(_arrow(y - GAP, y))
        box, height = _box(number, step, y)
        parts.append(box)
        y += height + GAP
    total_height = y - GAP + MARGIN
    label = escape(_label(steps))
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" role="img" aria-label="{label}" '
        f'width="{WIDTH}" height="{total_height:g}" viewBox="0 0 {WIDTH} {total_height:g}" '
        f'font-family="{escape(FONT_FAMILY)}">'
        f"<title>{label}</title>{''.join(parts)}</svg>"
    )
