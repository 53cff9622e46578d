"""Factories that create objects through the services, as users do."""

import itertools
from datetime import date

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.catalogue.models import Document
from gongkai.catalogue.services import DocumentFields, document_create, document_publish
from gongkai.core.checksums import org_code_check_char

_seq = itertools.count(1)


def make_agency_code() -> str:
    body = f"9{next(_seq):07d}"
    return body + org_code_check_char(body)


def make_agency(name: str = "测试市人民政府", *, code: str | None = None, parent=None, level=AgencyLevel.CITY) -> Agency:
    return Agency.objects.create(code=code or make_agency_code(), name=name, level=level, parent=parent)


def make_document(
    agency: Agency, title: str = "关于测试的通知", body: str = "正文", *, publish: bool = True, **fields
) -> Document:
    fields.setdefault("written_on", date(2024, 3, 1))
    published_on = fields.pop("published_on", None)
    doc = document_create(agency=agency, fields=DocumentFields(title=title, body=body, **fields))
    if publish:
        doc = document_publish(document=doc, published_on=published_on)
    return doc
