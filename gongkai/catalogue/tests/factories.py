"""Factories that create objects through the services, as users do."""

import hashlib
import itertools
from datetime import date

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.tests.remedies import REMEDIES
from gongkai.catalogue.models import Document, DocumentImport
from gongkai.catalogue.services import (
    DocumentFields,
    document_create,
    document_import_begin,
    document_publish,
    document_update,
)
from gongkai.core.checksums import org_code_check_char

_seq = itertools.count(1)


def make_agency_code() -> str:
    body = f"9{next(_seq):07d}"
    return body + org_code_check_char(body)


def make_agency(
    name: str = "测试市人民政府", *, code: str | None = None, parent=None, level=AgencyLevel.CITY
) -> Agency:
    return Agency.objects.create(
        code=code or make_agency_code(), name=name, level=level, parent=parent, **REMEDIES
    )


def make_document(
    agency: Agency, title: str = "关于测试的通知", body: str = "正文", *, publish: bool = True, **fields
) -> Document:
    fields.setdefault("written_on", date(2024, 3, 1))
    published_on = fields.pop("published_on", None)
    run = make_import(agency) if publish else None
    doc = document_create(
        agency=agency, fields=DocumentFields(title=title, body=body, **fields), imported=run
    )
    if publish:
        doc = document_publish(document=doc, published_on=published_on, imported=run)
    return doc


def make_import(agency: Agency, actor=None) -> DocumentImport:
    """An import run, as `gongkai import-documents` records one."""
    n = next(_seq)
    return document_import_begin(
        agency=agency,
        actor=actor,
        file_name=f"fixture-{n}.jsonl",
        sha256=hashlib.sha256(b"%d" % n).hexdigest(),
    )


def publish_imported(doc: Document, published_on: date | None = None) -> Document:
    """Publish a draft the way an import of an already-public document does: outside the review
    chain, the only other way in (tests that need the chain use publishing's factories)."""
    run = make_import(doc.agency)
    fields = DocumentFields(**{name: getattr(doc, name) for name in DocumentFields.__dataclass_fields__})
    doc = document_update(document=doc, fields=fields, imported=run)
    return document_publish(document=doc, published_on=published_on, imported=run)
