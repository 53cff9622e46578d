"""Export packages for reading points (查阅场所, Art. 25): the archives, public libraries and
service centres that must receive an agency's proactively disclosed documents in time.

A package is one zip: ``目录.csv`` and ``目录.xlsx`` (the catalogue of the period with the
metadata of catalogue.md), and per document a folder named by its index number holding the
body as text and the (public, redacted) attachments.
"""

import csv
import io
import zipfile
from datetime import date

import openpyxl

from gongkai.agencies.models import Agency
from gongkai.catalogue.dates import precise_iso
from gongkai.catalogue.models import Document

HEADER = [
    "索引号",
    "标题",
    "发文字号",
    "发布机关",
    "成文日期",
    "发布日期",
    "主题分类",
    "体裁分类",
    "有效性",
    "附件数",
    "文件夹",
]


def _safe_cell(value) -> str:
    """Spreadsheet programs run cells starting with = + - @ as formulas (security.md)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _folder(doc: Document) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in doc.index_no or f"doc{doc.pk}")


def reading_point_documents(agency: Agency, start: date, end: date):
    return (
        Document.objects.public()
        .filter(agency=agency, published_on__gte=start, published_on__lte=end)
        .select_related("agency", "subject", "genre")
        .prefetch_related("attachments")
        .order_by("published_on", "index_no")
    )


def reading_point_package(*, agency: Agency, start: date, end: date) -> tuple[bytes, int]:
    """The zip of the agency's documents published from ``start`` to ``end`` (inclusive) and
    how many it holds."""
    docs = list(reading_point_documents(agency, start, end))
    rows = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for doc in docs:
            folder = _folder(doc)
            attachments = list(doc.attachments.all())
            rows.append(
                [
                    doc.index_no,
                    doc.title,
                    doc.doc_no,
                    doc.agency.name,
                    # Dates with their precision ("2023" for a year-only item), never an invented day.
                    precise_iso(doc.written_on, doc.written_on_precision),
                    precise_iso(doc.published_on, doc.published_on_precision) or "",
                    doc.subject.name if doc.subject else "",
                    doc.genre.name if doc.genre else "",
                    doc.get_validity_display(),
                    len(attachments),
                    folder,
                ]
            )
            zf.writestr(f"{folder}/正文.txt", f"{doc.title}\n\n{doc.body}\n")
            for n, att in enumerate(attachments, start=1):
                suffix = att.storage_name[att.storage_name.rfind(".") :] if "." in att.storage_name else ""
                name = "".join(c for c in att.title if c not in '/\\:*?"<>|')[:80] or f"附件{n}"
                with att.file.open("rb") as fh:
                    zf.writestr(f"{folder}/附件{n}_{name}{suffix}", fh.read())
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(HEADER)
        writer.writerows([[_safe_cell(v) for v in row] for row in rows])
        zf.writestr("目录.csv", "\ufeff" + text.getvalue())  # BOM: Excel reads it as UTF-8
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "公开目录"
        ws.append(HEADER)
        for row in rows:
            ws.append([_safe_cell(v) for v in row])
        xlsx = io.BytesIO()
        wb.save(xlsx)
        zf.writestr("目录.xlsx", xlsx.getvalue())
    return buffer.getvalue(), len(docs)
