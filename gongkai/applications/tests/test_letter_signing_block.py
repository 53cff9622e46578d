"""The signing block (seal and date) of a letter or receipt never stands alone on a page
(issue 15 §3): whatever the length of the body, the last page of the PDF holds body text too,
and in the DOCX the last paragraph and the seal lines keep together."""

import io
from dataclasses import replace

import docx
import pymupdf
import pytest

from gongkai.applications.letter_formats import letter_docx, letter_pdf
from gongkai.applications.letters import LetterKind, render_letter, sample_context

FILLER = "这是一段用于填充版面的说明文字，" * 2


@pytest.mark.parametrize("extra", range(30, 60))
def test_the_signing_block_is_never_alone_on_the_last_page(extra):
    base = render_letter(LetterKind.REPLY, sample_context())
    letter = replace(base, paragraphs=base.paragraphs + [FILLER] * extra)
    with pymupdf.open(stream=letter_pdf(letter), filetype="pdf") as doc:
        last = doc[-1].get_text()
        assert all(line in last for line in letter.seal_lines)
        assert FILLER[:6] in last, (extra, doc.page_count, last)


def test_the_docx_keeps_the_last_paragraph_with_the_signing_block():
    letter = render_letter(LetterKind.REPLY, sample_context())
    document = docx.Document(io.BytesIO(letter_docx(letter)))
    texts = [p for p in document.paragraphs if p.text.strip()]
    seal_at = next(i for i, p in enumerate(texts) if p.text == letter.seal_lines[0])
    assert texts[seal_at - 1].paragraph_format.keep_with_next
    assert all(p.paragraph_format.keep_with_next for p in texts[seal_at:-1])
