"""Published annual reports through the public API (interfaces.md, "Annual report JSON"): the
tables, checks and hand-entered cells as frozen at publication, the office's text and its
explanations of any broken rule. A draft is never served: 404, as for no report at all."""

from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from gongkai.reports.presentation import assessment_paragraph, fees_paragraph, published_report

from .views import PUBLIC_CACHE, _error, _json

REPORT_KEYS = ("agency", "year", "format", "tables", "checks", "manual", "fees_section", "assessment_section")


def _portal_report_url(request, code: str, year: int) -> str | None:
    try:
        return request.build_absolute_uri(reverse("portal:report", args=[code, year]))
    except NoReverseMatch:  # the portal is not installed in an API-only deployment
        return None


@require_GET
@PUBLIC_CACHE
def annual_report(request, agency_code: str, year: int):
    report = published_report(agency_code, year)
    if report is None:
        return _error(404, "该机关该年度的政府信息公开工作年度报告尚未发布")
    data = report.data or {}
    body = {key: data[key] for key in REPORT_KEYS if key in data}
    body.update(
        {
            "status": report.status,
            "published_at": report.published_at.isoformat(),
            # A report published before the agency used the platform, stored as printed
            # (`gongkai annual-report import`): its blank cells are null.
            "imported": report.imported,
            "narrative": report.narrative,
            "fees_text": fees_paragraph(data),  # section 六's opening sentence, from fees_section
            "assessment_text": assessment_paragraph(data),  # and its sentences on assessment
            "explanations": report.explanations,
            "url": _portal_report_url(request, report.agency.code, report.year),
        }
    )
    return _json(body)
