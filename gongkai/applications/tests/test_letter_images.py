"""Every letter type rendered to PNG and compared with its reference image (issue 15 §3), so
that a layout regression shows: the first page of the sample letter at 50 dpi in grey, against
``reference_letters/<kind>.png``. A pixel counts as different when its grey level differs by
more than 64 of 255 (antialiasing and font hinting stay below), and at most 0.5% of pixels
may differ; a moved paragraph, a lost line or a changed margin changes several percent.

After an intended layout change, regenerate the images and look at them before committing:
``GONGKAI_UPDATE_REFERENCE_LETTERS=1 pytest gongkai/applications/tests/test_letter_images.py``."""

import os
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest

from gongkai.applications.letter_formats import letter_pdf
from gongkai.applications.letters import LetterKind, render_letter, sample_context

REFERENCE = Path(__file__).with_name("reference_letters")
DPI = 50
LEVEL = 64
MAX_DIFFERENT = 0.005


def _first_page(kind: LetterKind) -> pymupdf.Pixmap:
    pdf = letter_pdf(render_letter(kind, sample_context()))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return doc[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)


def _share_different(a: pymupdf.Pixmap, b: pymupdf.Pixmap) -> float:
    assert (a.width, a.height) == (b.width, b.height), "the page size changed"
    sa, sb = a.samples, b.samples
    return sum(1 for x, y in zip(sa, sb, strict=True) if abs(x - y) > LEVEL) / len(sa)


@pytest.mark.parametrize("kind", list(LetterKind))
def test_the_letter_looks_like_its_reference(kind):
    page = _first_page(kind)
    reference = REFERENCE / f"{kind.value}.png"
    if os.environ.get("GONGKAI_UPDATE_REFERENCE_LETTERS") == "1":
        REFERENCE.mkdir(exist_ok=True)
        page.save(str(reference))
    assert reference.exists(), f"no reference image for {kind.value}: see this module's docstring"
    share = _share_different(page, pymupdf.Pixmap(str(reference)))
    assert share <= MAX_DIFFERENT, f"{kind.value}: {share:.2%} of the pixels differ from {reference.name}"


def test_the_comparison_notices_a_layout_change():
    """The tolerance is not so loose that it passes a real change: one line more at the top."""
    letter = render_letter(LetterKind.REPLY, sample_context())
    moved = replace(letter, paragraphs=["（插入的一段）", *letter.paragraphs])
    with pymupdf.open(stream=letter_pdf(moved), filetype="pdf") as doc:
        page = doc[0].get_pixmap(dpi=DPI, colorspace=pymupdf.csGRAY, alpha=False)
    assert _share_different(page, pymupdf.Pixmap(str(REFERENCE / "reply.png"))) > MAX_DIFFERENT
