"""Published annual reports (年度报告) on the portal: the list by agency and year, each report as
a page, and its downloads (PDF, DOCX, XLSX). A draft is never shown: not found, as for a report
that does not exist."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from gongkai.reports.checks import broken_rules
from gongkai.reports.presentation import (
    published_report,
    published_reports,
    report_body_html,
    report_file,
    report_narrative,
)

from .common import public_page

PAGE_SIZE = 50
PUBLIC_FORMATS = ("pdf", "docx", "xlsx")


def _published(code: str, year: int):
    report = published_report(code, year)
    if report is None:
        raise Http404
    return report


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) == 4 else None


@public_page
def report_list(request):
    """Every published report, latest year first; ?agency=CODE and ?year=YYYY narrow the list."""
    code, year = request.GET.get("agency", "").strip(), _year(request.GET.get("year", "").strip())
    reports = published_reports(agency_code=code or None, year=year)
    page_obj = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    agency = page_obj.object_list[0].agency if code and page_obj.object_list else None
    context = {
        "page_obj": page_obj,
        "reports": page_obj.object_list,
        "code": code,
        "year": year,
        "agency": agency,
    }
    return render(request, "portal/reports.html", context)


@public_page
def report(request, code: str, year: int):
    report = _published(code, year)
    data = report.data or {}
    explained = [
        (rule, report.explanations.get(rule, ""))
        for rule in broken_rules(data.get("checks") or [])
        if report.explanations.get(rule)
    ]
    context = {
        "report": report,
        "agency": report.agency,
        "body": report_body_html(data, report_narrative(report)),
        "explained": explained,
        "downloads": PUBLIC_FORMATS,
        "other_years": published_reports(agency_code=code).exclude(pk=report.pk),
    }
    return render(request, "portal/report.html", context)


@public_page
def report_download(request, code: str, year: int, fmt: str):
    if fmt not in PUBLIC_FORMATS:
        raise Http404
    content, filename, content_type = report_file(_published(code, year), fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
