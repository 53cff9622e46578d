"""The whole file of an application as one zip (Art. 45: the office keeps the application,
receipts, notices, consultations, letters and delivery proofs): ``案卷摘要.json`` and
``案卷摘要.txt`` (the form, every clock event with its basis, consultations, fees, letters,
deliveries, files and cases; no hashes or query codes), every letter as PDF under ``文书/`` and
every file, internal originals included, under ``材料/``. A filed case's package (the archive
package for the records office) adds its 卷内目录 as ``卷内目录.pdf``, ``.xlsx`` and ``.csv``.

Unless ``full`` (a reveal by the staff handling the case holds: application_reveal.py), the
applicant's identity number, phone, e-mail, address and postcode are masked in the summary and
in the letters' text, and the identity proofs are left out (listed with ``"path": null`` and
``"withheld": true``)."""

import dataclasses
import io
import json
import zipfile

from gongkai.applications import filing_formats, letters
from gongkai.applications.case_file import case_file_summary, case_file_text, letter_text
from gongkai.applications.models import Application, ApplicationFile, CaseFiling
from gongkai.applications.services import letter_rendered

from .. import selectors_applications as selectors


def _safe(name: str) -> str:
    """A file name for inside the zip: no path separators, no control characters."""
    cleaned = "".join(c if c.isalnum() or c in "-_.〔〕（）()" else "_" for c in name).strip("._")
    return cleaned[:120] or "file"


def application_package(application: Application, *, full: bool = False) -> bytes:
    """The zip of the whole file (personal data masked and identity proofs left out unless
    ``full``). Files missing from storage are listed, never silently left out."""
    file = selectors.application_file(application)
    buffer = io.BytesIO()
    letter_paths, file_paths = {}, {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for n, letter in enumerate(file.letters, start=1):
            path = f"文书/{n:02d}_{_safe(letter.title)}{('_' + _safe(letter.letter_no)) if letter.letter_no else ''}.pdf"
            rendered = letter_rendered(letter)
            if not full:
                rendered = dataclasses.replace(rendered, paragraphs=letter_text(letter, application, full))
            zf.writestr(path, letters.letter_pdf(rendered))
            letter_paths[letter.pk] = path
        for n, row in enumerate(file.files, start=1):
            if not full and row.kind == ApplicationFile.Kind.IDENTITY_PROOF:
                file_paths[row.pk] = None
                continue
            path = f"材料/{n:02d}_{_safe(row.get_kind_display())}_{_safe(row.title)}"
            try:
                with row.file.open("rb") as handle:
                    zf.writestr(path, handle.read())
            except FileNotFoundError:
                path = None  # the summary says so: "path": null
            file_paths[row.pk] = path
        withheld = (
            set() if full else {f.pk for f in file.files if f.kind == ApplicationFile.Kind.IDENTITY_PROOF}
        )
        summary = case_file_summary(application, file, letter_paths, file_paths, full=full, withheld=withheld)
        zf.writestr("案卷摘要.json", json.dumps(summary, ensure_ascii=False, indent=2))
        zf.writestr("案卷摘要.txt", case_file_text(summary))
        filing = CaseFiling.objects.filter(application=application).first()
        if filing is not None:  # the archive package for the records office (issue 18 item 6)
            zf.writestr("卷内目录.pdf", filing_formats.contents_pdf(filing))
            zf.writestr("卷内目录.xlsx", filing_formats.contents_xlsx(filing))
            zf.writestr("卷内目录.csv", filing_formats.contents_csv(filing))
    return buffer.getvalue()
