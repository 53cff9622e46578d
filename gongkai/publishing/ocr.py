"""Pictures are reviewed, not trusted: the parts of a PDF that have no readable text (a page
without a text layer, a picture on a page, a font without a Unicode map) are read by OCR before
publication, with Debian's ``tesseract`` and its Simplified Chinese model
(scripts/install-system-deps.sh), and the text read is scanned like any other text. Tesseract's
TSV output gives each word's position, so a finding in a picture is placed on the page and its
area removed at publication (manual.py, ``redact_areas``).

When OCR is unavailable (no binary: ``GONGKAI_TESSERACT`` names a program that is not there) or
fails, the page is *held*: a reviewer must look at it and confirm it (or draw areas on it)
before the settling step can approve. Nothing is published unread.

Pure functions, no database. Coordinates are PDF points of the page as PyMuPDF shows it
(origin top left), the same space the page previews and the area redactions use.
"""

import os
import subprocess
import tempfile
from dataclasses import dataclass, field

import pymupdf
from django.conf import settings
from django.utils.translation import gettext as _

from gongkai.core.files.redaction import PDF_CONTENT_TYPE, _fold

OCR_SECONDS = 60  # per picture and reading
# Tesseract reads each picture twice: as one block of text (6), which reads short lines next
# to each other best, and with automatic layout (3), which reads columns best; what either
# reads is scanned. The Simplified Chinese model also reads digits and Latin letters (adding
# the English model made it misread Chinese names as Latin letters).
OCR_MODES = ("6", "3")
OCR_LANGUAGE = "chi_sim"
MAX_OCR_REGIONS = 100  # pictures read per file; the rest are held for the reviewer
MIN_PICTURE_POINTS = 24  # a picture smaller than this (each side) holds no readable text
# A page whose extracted text is mostly U+FFFD (or control characters, or private-use code
# points: glyph numbers read as characters) has a font without a Unicode map.
UNMAPPED_SHARE = 0.3


def _unreadable(char: str) -> bool:
    code = ord(char)
    return char == "\ufffd" or code < 0x20 or 0x7F <= code < 0xA0 or 0xE000 <= code <= 0xF8FF


def _unmapped_font(doc: pymupdf.Document, page: pymupdf.Page) -> bool:
    """Whether ``page`` uses a font whose codes are glyph numbers (Identity-H/V) or glyph
    procedures (Type3) and that has no ToUnicode map: what it shows cannot be read as text
    (MuPDF gives glyph numbers as characters, which look like Chinese or nothing at all)."""
    for xref, _ext, kind, _base, _name, encoding in page.get_fonts(full=False):
        if kind == "Type3" or (kind == "Type0" and encoding.startswith("Identity")):
            if doc.xref_get_key(xref, "ToUnicode")[0] == "null":
                return True
    return False


class OcrUnavailable(Exception):
    """Tesseract could not be run or gave no answer (the reason, in Chinese, for staff)."""


@dataclass
class Region:
    page: int  # 1-based
    rect: tuple[float, float, float, float]
    reason: str


@dataclass
class Reading:
    """What OCR read in one region, or why it could not (``held``)."""

    page: int
    reason: str
    held: bool = False
    note: str = ""
    text: str = ""
    # One entry per word: [line number, text, x0, y0, x1, y1] in PDF points.
    words: list = field(default_factory=list)


def tesseract_command() -> str:
    return getattr(settings, "GONGKAI_TESSERACT", "tesseract")


def ocr_dpi() -> int:
    return int(getattr(settings, "GONGKAI_OCR_DPI", 200))


def image_regions(doc: pymupdf.Document) -> list[Region]:
    """Where a PDF has text only a picture shows: whole pages without text (or with unmapped
    fonts), else each picture on a page large enough to hold text."""
    regions = []
    for number, page in enumerate(doc, start=1):
        text = "".join(page.get_text("text").split())
        if not text:
            regions.append(Region(number, tuple(page.rect), _("页面没有可提取的文字（扫描件或图片）")))
            continue
        if sum(map(_unreadable, text)) >= UNMAPPED_SHARE * len(text) or _unmapped_font(doc, page):
            regions.append(Region(number, tuple(page.rect), _("字体缺少 Unicode 映射，文字无法提取")))
            continue
        seen = []
        for info in page.get_image_info():
            rect = pymupdf.Rect(info["bbox"]) & page.rect
            if rect.is_empty or rect.width < MIN_PICTURE_POINTS or rect.height < MIN_PICTURE_POINTS:
                continue
            if any(rect in other for other in seen):
                continue
            seen.append(rect)
            regions.append(Region(number, tuple(rect), _("页面中的图片")))
    return regions


def _tesseract(png: bytes, mode: str) -> str:
    """Tesseract's TSV for one image, read in page segmentation ``mode``."""
    with tempfile.TemporaryDirectory(prefix="gk-ocr-") as tmp:
        path = os.path.join(tmp, "page.png")
        with open(path, "wb") as fh:
            fh.write(png)
        try:
            done = subprocess.run(
                [tesseract_command(), path, "-", "-l", OCR_LANGUAGE, "--psm", mode, "tsv"],
                capture_output=True,
                timeout=OCR_SECONDS,
                check=False,
            )
        except FileNotFoundError as exc:
            raise OcrUnavailable(_("未安装文字识别程序（tesseract）")) from exc
        except subprocess.TimeoutExpired as exc:
            raise OcrUnavailable(_("文字识别超时")) from exc
        except OSError as exc:
            raise OcrUnavailable(_("文字识别程序无法运行")) from exc
    if done.returncode != 0:
        raise OcrUnavailable(_("文字识别失败（可能未安装简体中文识别数据 tesseract-ocr-chi-sim）"))
    return done.stdout.decode("utf-8", "replace")


def _joins(left: str, right: str) -> str:
    """The separator OCR words get in the text: a space between two ASCII words, none
    around Chinese (tesseract splits Chinese text into single characters)."""
    return " " if left[-1:].isascii() and right[:1].isascii() else ""


def _words(tsv: str, rect: pymupdf.Rect, scale: float, first_line: int = 0) -> list:
    words = []
    lines: dict[tuple, int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = (cols[1], cols[2], cols[3], cols[4])
        line = lines.setdefault(key, first_line + len(lines))
        left, top, width, height = (int(c) for c in cols[6:10])
        words.append(
            [
                line,
                cols[11].strip(),
                round(rect.x0 + left * scale, 2),
                round(rect.y0 + top * scale, 2),
                round(rect.x0 + (left + width) * scale, 2),
                round(rect.y0 + (top + height) * scale, 2),
            ]
        )
    return words


def text_of(words: list) -> tuple[str, list[int]]:
    """The text of OCR words (lines on lines) and, for each character, its word's index
    (-1 for separators)."""
    chars: list[str] = []
    owners: list[int] = []
    previous = None
    for index, (line, text, *_box) in enumerate(words):
        if previous is not None:
            sep = "\n" if line != words[previous][0] else _joins(words[previous][1], text)
            chars += sep
            owners += [-1] * len(sep)
        chars += text
        owners += [index] * len(text)
        previous = index
    return "".join(chars), owners


def read_region(doc: pymupdf.Document, region: Region) -> Reading:
    """OCR one region (rendered at GONGKAI_OCR_DPI); raises OcrUnavailable."""
    page = doc[region.page - 1]
    rect = pymupdf.Rect(region.rect)
    dpi = ocr_dpi()
    pix = page.get_pixmap(dpi=dpi, clip=rect, alpha=False)
    png = pix.tobytes("png")
    scale = rect.width / pix.width if pix.width else 72 / dpi
    words: list = []
    for mode in OCR_MODES:
        first_line = words[-1][0] + 1 if words else 0
        words += _words(_tesseract(png, mode), rect, scale, first_line)
    text, _owners = text_of(words)
    return Reading(region.page, region.reason, text=text, words=words)


def read_pictures(data: bytes, content_type: str) -> list[Reading]:
    """Every picture region of a PDF, read by OCR or held (when OCR is unavailable, failed,
    or the file has more pictures than MAX_OCR_REGIONS). Other types: nothing (DOCX pictures
    are removed by the sanitiser; plain text has none)."""
    if (content_type or "").split(";", 1)[0].strip().lower() != PDF_CONTENT_TYPE:
        return []
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception:
        return []  # the pre-scan's own reader refuses a broken file with its message
    readings = []
    unavailable = ""
    try:
        for n, region in enumerate(image_regions(doc)):
            if unavailable or n >= MAX_OCR_REGIONS:
                note = unavailable or _("图片过多，未逐一识别")
                readings.append(Reading(region.page, region.reason, held=True, note=note))
                continue
            try:
                readings.append(read_region(doc, region))
            except OcrUnavailable as exc:
                unavailable = str(exc)
                readings.append(Reading(region.page, region.reason, held=True, note=unavailable))
    finally:
        doc.close()
    return readings


def boxes_for_span(words: list, owners: list[int], start: int, end: int, page: int) -> list[list]:
    """The areas of the words that characters [start, end) of ``text_of(words)`` belong to,
    one box per line, as [page, x0, y0, x1, y1] with a point of margin."""
    by_line: dict[int, list[float]] = {}
    for index in {owners[i] for i in range(start, min(end, len(owners))) if owners[i] >= 0}:
        line, _text, x0, y0, x1, y1 = words[index]
        box = by_line.setdefault(line, [x0, y0, x1, y1])
        box[:] = [min(box[0], x0), min(box[1], y0), max(box[2], x1), max(box[3], y1)]
    return [[page, b[0] - 1, b[1] - 1, b[2] + 1, b[3] + 1] for _line, b in sorted(by_line.items())]


def find_value_boxes(words: list, value: str, page: int) -> list[list]:
    """Where ``value`` is in the OCR words (ignoring whitespace, case and full-width forms)."""
    text, owners = text_of(words)
    squeezed, index = [], []
    for i, ch in enumerate(_fold(text)):
        if not ch.isspace():
            squeezed.append(ch)
            index.append(i)
    haystack, key = "".join(squeezed), "".join(_fold(value).split())
    boxes: list[list] = []
    pos = haystack.find(key) if key else -1
    while pos >= 0:
        boxes += boxes_for_span(words, owners, index[pos], index[pos + len(key) - 1] + 1, page)
        pos = haystack.find(key, pos + len(key))
    return boxes
