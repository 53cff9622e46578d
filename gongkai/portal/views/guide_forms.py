"""The guide's printable application forms (政府信息公开申请表): a citizen's and an
organisation's, as PDF and DOCX, with the agency's details filled in (issue 12 §4)."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from ..application_form import FORMATS, VARIANTS, application_form
from ..selectors import public_agency_get
from .common import public_page


@public_page
def guide_application_form(request, code: str, variant: str, fmt: str):
    if variant not in VARIANTS or fmt not in FORMATS:
        raise Http404
    agency = public_agency_get(code=code)
    content, filename, content_type = application_form(agency, variant, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
