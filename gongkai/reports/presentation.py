"""A stored report as people read it, shared by the workbench, the portal and the API: the fee
paragraph of section 六 filled in from the figures, the report's body as an HTML fragment for a
page of the site, and each download as bytes with its file name.

Everything here draws on ``exports`` (one renderer for every format, STYLE.md habit 11)."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .exports import CONTENT_TYPES, export, render_html
from .layout import report_title
from .models import AnnualReport, ReportStatus
from .narrative import participation_paragraph

DOWNLOAD_FORMATS = ("pdf", "docx", "xlsx", "html")
_MAIN = re.compile(r"<main>(.*)</main>", re.S)
_TABLE_SECTION = re.compile(r'<section class="section section-table\d".*?</section>', re.S)


def _yuan(text) -> str:
    """An amount in yuan as written in a report: whole yuan plain, else two decimals."""
    try:
        amount = Decimal(str(text or 0))
    except InvalidOperation:
        amount = Decimal(0)
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def fees_paragraph(data: dict) -> str:
    """Section 六's sentence on information-processing fees, from ``data["fees_section"]``
    (the fee notices sent in the year and the amount collected): the office types nothing.
    Empty for a report stored without those figures, rather than claiming none were charged."""
    fees = data.get("fees_section")
    if not fees:
        return ""
    return _("本年度共发出信息处理费收费通知%(notices)s件，收取信息处理费%(amount)s元。") % {
        "notices": int(fees.get("notices") or 0),
        "amount": _yuan(fees.get("amount_yuan")),
    }


def assessment_paragraph(data: dict) -> str:
    """Section 六's sentences on supervision, from ``data["assessment_section"]``: the yearly
    assessment result and the public's ratings. Empty when the platform holds neither."""
    section = data.get("assessment_section") or {}
    sentences = []
    if assessment := section.get("assessment"):
        text = _("本年度政府信息公开工作考核（%(scheme)s）得分%(total)s分") % {
            "scheme": assessment.get("scheme", ""),
            "total": assessment.get("total", ""),
        }
        if assessment.get("rank") and assessment.get("ranked"):
            text += _("，在%(ranked)s个被考核机关中排名第%(rank)s") % {
                "ranked": assessment["ranked"],
                "rank": assessment["rank"],
            }
        sentences.append(text + "。")
    if evaluation := section.get("evaluation"):
        sentences.append(
            _("本年度公众对本机关政府信息公开工作评价%(ratings)s次，平均%(mean)s分（满分5分）。")
            % {"ratings": evaluation.get("ratings", 0), "mean": evaluation.get("mean", "")}
        )
    return "".join(sentences)


def generated_paragraphs(data: dict) -> str:
    """Everything section 六 opens with that the platform fills in: fees, the public's
    participation (consultations, questions), then supervision."""
    paragraphs = (fees_paragraph(data), participation_paragraph(data), assessment_paragraph(data))
    return "\n\n".join(p for p in paragraphs if p)


def report_narrative(report: AnnualReport) -> dict:
    """The narrative as exported: the office's text with section 六's generated paragraphs."""
    return {**(report.narrative or {}), "fees_section": generated_paragraphs(report.data or {})}


def _body(data: dict, narrative: dict | None) -> str:
    # The exported page escapes every text it shows, so its <main> is safe to embed as it is.
    match = _MAIN.search(render_html(data, narrative))
    return match.group(1) if match else ""


def report_body_html(data: dict, narrative: dict | None) -> SafeString:
    """The whole report (title, sections 一 to 六, tables) to embed in a page of the site;
    wrap it in an element of class ``annual-report`` and link reports/annual_report.css."""
    return mark_safe(_body(data, narrative))  # noqa: S308 - rendered by the autoescaping template


def report_tables_html(data: dict) -> SafeString:
    """Only sections 二 to 四, the three tables, for pages that show the text elsewhere."""
    return mark_safe("".join(_TABLE_SECTION.findall(_body(data, None))))  # noqa: S308 - as above


def report_file(report: AnnualReport, fmt: str) -> tuple[bytes, str, str]:
    """The report as ``fmt`` (pdf, docx, xlsx or html): (content, file name, content type)."""
    if fmt not in DOWNLOAD_FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    content = export(report.data, fmt, report_narrative(report))
    return content, f"{report_title(report.data)}.{fmt}", CONTENT_TYPES[fmt]


def published_reports(*, agency_code: str | None = None, year: int | None = None):
    """Published reports of active agencies, latest year first, for the public list."""
    reports = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED, agency__is_active=True)
    if agency_code:
        reports = reports.filter(agency__code=agency_code)
    if year:
        reports = reports.filter(year=year)
    return reports.select_related("agency").order_by("-year", "agency__path", "agency__sort_order")


def published_report(agency_code: str, year: int) -> AnnualReport | None:
    """The published report of an active agency for ``year``, or None (never a draft)."""
    return published_reports(agency_code=agency_code, year=year).first()
