import logging

from django.http import FileResponse, Http404
from django.shortcuts import render

from gongkai.consultations.selectors import linked_consultation

from ..selectors import public_attachment_get, public_document_get
from .common import public_page

log = logging.getLogger(__name__)

# Served files must never run as a page of this site, whatever their content (security.md).
ATTACHMENT_CSP = "default-src 'none'; sandbox"


@public_page
def document(request, index_no: str):
    doc = public_document_get(index_no=index_no)
    # A draft for comment, its adoption report or the decision taken links to the consultation.
    context = {"doc": doc, "agency": doc.agency, "consultation": linked_consultation(doc)}
    return render(request, "portal/document.html", context)


@public_page
def attachment(request, pk: int):
    att = public_attachment_get(pk=pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError:
        log.error("attachment %s: stored file %s is missing", att.pk, att.file.name)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=att.original_name or att.storage_name,
        content_type=att.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    return response
