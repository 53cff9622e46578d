"""The annual report (年度报告) in the workbench: the list of the user's agencies and years, the
report page (tables, broken rules with their explanations, narrative, figures entered by hand,
publication, downloads) and, for a competent authority, the sum over its agencies.

Each POST parses one form, calls one service of gongkai.reports.services and goes back to the
page (PRG); a refusal shows the page again with the reason.

Kept as one module on purpose (over 500 lines): every form of the report page posts back to
the same page and shares its context builder.
"""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.reports import services
from gongkai.reports.annual import COUNTY_AND_ABOVE, authority_sum, report_due_on
from gongkai.reports.checks import (
    ALL_RULES,
    RULE_BALANCE,
    RULE_TABLE3_TOTAL,
    RULE_TOTAL_COLUMN,
    broken_rules,
    table2_figure,
)
from gongkai.reports.layout import table1_blocks
from gongkai.reports.models import AnnualReport, ManualKey, ReportReview, ReportStatus
from gongkai.reports.presentation import (
    DOWNLOAD_FORMATS,
    fees_paragraph,
    generated_paragraphs,
    report_file,
    report_tables_html,
)
from gongkai.reports.printed import describe as describe_findings
from gongkai.reports.rows import (
    NARRATIVE_SECTIONS,
    TABLE2_COLUMN_LABELS,
    TABLE2_COLUMNS,
    TABLE2_ROWS,
    TABLE3_KINDS,
    TABLE3_RESULTS,
    report_format,
    table2_rows,
    table2_subtotals,
)
from gongkai.reports.services import ReportError

from .. import selectors_reports as selectors
from ..forms_reports import (
    ExplainForm,
    FiguresForm,
    NarrativeForm,
    SummaryForm,
    YearForm,
    explain_prefix,
)
from ..forms_reviews import ReviewExplainForm, ReviewUploadForm
from .common import forbidden, page, run_service

PAGE_SIZE = 50
_ROW_LABELS = {key: str(label) for key, label, _depth in TABLE2_ROWS}
_KIND_LABELS = {key: str(label) for key, label in TABLE3_KINDS}


def _back(report: AnnualReport, anchor: str = ""):
    url = reverse("workbench:report_detail", kwargs={"code": report.agency.code, "year": report.year})
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _check_rows(rule: str, checks: list[dict]) -> list[dict]:
    """Where a rule is broken, in the words of the form: the column, the row, the figures."""
    table3 = rule == RULE_TABLE3_TOTAL
    return [
        {
            "column": _KIND_LABELS.get(c["column"], c["column"])
            if table3
            else str(TABLE2_COLUMN_LABELS.get(c["column"], c["column"])),
            "row": _("总计") if table3 else _ROW_LABELS.get(c.get("row") or "", ""),
            "expected": c["expected"],
            "actual": c["actual"],
        }
        for c in checks
        if c["rule"] == rule
    ]


def render_report(request, report: AnnualReport, *, forms: dict | None = None, error: str = "", status=200):
    """The report page; ``forms`` holds bound forms (by prefix) to show again with their errors."""
    forms = forms or {}
    user, agency, data = request.user, report.agency, report.data or {}
    draft = report.status == ReportStatus.DRAFT
    editable = draft and services.can_edit(user, agency)
    checks = data.get("checks") or []
    broken = []
    for rule in broken_rules(checks):
        prefix = explain_prefix(rule)
        explanation = report.explanations.get(rule, "")
        broken.append(
            {
                "rule": rule,
                "where": _check_rows(rule, checks),
                "explanation": explanation,
                "form": forms.get(prefix) or ExplainForm(prefix=prefix, initial={"text": explanation}),
            }
        )
    manual = set(data.get("manual") or ())
    context = {
        "report": report,
        "agency": agency,
        "draft": draft,
        "can_edit": editable,
        "can_publish": draft and services.can_publish(user, agency),
        "due_on": report_due_on(agency, report.year),
        "broken": broken,
        "unexplained": [b["rule"] for b in broken if not b["explanation"].strip()],
        "narrative": [(label, report.narrative.get(key, "")) for key, label in NARRATIVE_SECTIONS],
        "narrative_form": forms.get("narrative") or NarrativeForm(initial=report.narrative),
        "figures_form": forms.get("figures")
        or FiguresForm(entered=selectors.manual_figures(agency, report.year), fmt=report_format(report.year)),
        "manual": [key.label for key in ManualKey if key.value in manual],
        "fees": data.get("fees_section") or {},
        "fees_paragraph": generated_paragraphs(data),
        "tables": report_tables_html(data),
        "downloads": DOWNLOAD_FORMATS,
        "error": error,
    }
    return page(request, "workbench/reports/detail.html", context, status=status)


def _act(request, report: AnnualReport, form, call: Callable[[dict], object], done: str, anchor: str = ""):
    """Validate ``form``, run ``call`` with its data and go back to the page; on a refusal show
    the page again with what was typed and why."""
    if form is not None and not form.is_valid():
        return render_report(request, report, forms={form.prefix: form}, status=400)

    def refused(exc):
        if form is not None:
            form.add_error(None, str(exc))
        forms = {form.prefix: form} if form is not None else {}
        return render_report(request, report, forms=forms, error=str(exc), status=400)

    return run_service(
        request, lambda: call(form.cleaned_data if form is not None else {}), errors=(ReportError,),
        refused=refused, success=done, then=lambda _result: _back(report, anchor),
    )  # fmt: skip


# ---------------------------------------------------------------- pages


@require_http_methods(["GET", "HEAD"])
@staff_required
def report_list(request):
    """The agencies in the user's scope with their report of the chosen year (and the others)."""
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    agencies = agencies_in_scope(request.user).filter(is_active=True).order_by("path", "sort_order")
    page_obj = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "year": year,
        "page_obj": page_obj,
        "rows": selectors.report_rows(request.user, list(page_obj.object_list), year),
        "can_summarise": selectors.summary_agencies(request.user).exists(),
        "regional_levels": [str(level) for level in COUNTY_AND_ABOVE],
    }
    return page(request, "workbench/reports/list.html", context)


@require_POST
@staff_required
def report_start(request, code: str, year: int):
    """Start the agency's report of ``year`` (its text from last year's) or open the one there is."""
    agency = selectors.agency_in_scope(request.user, code)
    if year not in selectors.report_years():
        raise Http404
    return run_service(
        request,
        lambda: services.annual_report_start(
            agency=agency, year=year, actor=request.user, regional=request.POST.get("regional") == "1"
        ),
        errors=(ReportError,), refused=lambda exc: forbidden(request, str(exc)), then=_back,
    )  # fmt: skip


@require_http_methods(["GET", "HEAD"])
@staff_required
def report_detail(request, code: str, year: int):
    return render_report(request, selectors.report_for_staff(request.user, code, year))


@require_http_methods(["GET", "HEAD"])
@staff_required
def report_download(request, code: str, year: int, fmt: str):
    """The report as it stands (a draft's tables as last generated) in one of the formats."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    report = selectors.report_for_staff(request.user, code, year)
    content, filename, content_type = report_file(report, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(fmt != "html", filename)
    response["X-Content-Type-Options"] = "nosniff"
    # The web page is shown in the browser: nothing in it may load or run, only its own style.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["Cache-Control"] = "private, no-store"  # a draft changes; the public copy is the portal's
    return response


@require_http_methods(["GET", "HEAD"])
@staff_required
def report_summary(request):
    """For a competent authority: the tables summed over an agency and every agency below it,
    and the agencies whose report is late."""
    agencies = selectors.summary_agencies(request.user)
    first = agencies.first()
    if first is None:
        raise Http404
    form = SummaryForm(request.GET or None, user=request.user)
    agency, year = first, selectors.default_year()
    if form.is_bound and form.is_valid():
        agency = form.cleaned_data["agency"] or first
        year = form.cleaned_data["year"] or year
    data = authority_sum(agency=agency, year=year)
    context = {
        "form": form,
        "agency": agency,
        "year": year,
        "data": data,
        "published": selectors.published_count(agency, year),
        "broken": broken_rules(data["checks"]),
        "tables": report_tables_html(data),
        "fees_paragraph": fees_paragraph(data),
    }
    return page(request, "workbench/reports/summary.html", context)


# ---------------------------------------------------------------- actions


def _get(request, code: str, year: int) -> AnnualReport:
    return selectors.report_for_staff(request.user, code, year)


@require_POST
@staff_required
def report_narrative(request, code: str, year: int):
    r = _get(request, code, year)
    return _act(
        request, r, NarrativeForm(request.POST),
        lambda d: services.annual_report_save_narrative(report=r, narrative=d, actor=request.user),
        _("报告文字部分已保存。"), "narrative",
    )  # fmt: skip


@require_POST
@staff_required
def report_explain(request, code: str, year: int):
    r = _get(request, code, year)
    rule = request.POST.get("rule", "")
    if rule not in ALL_RULES:
        return render_report(request, r, error=_("未知的勾稽关系，请刷新页面后重试。"), status=400)
    return _act(
        request, r, ExplainForm(request.POST, prefix=explain_prefix(rule)),
        lambda d: services.annual_report_explain(report=r, rule=rule, text=d["text"], actor=request.user),
        _("已保存对“%(rule)s”的说明。") % {"rule": rule}, "checks",
    )  # fmt: skip


@require_POST
@staff_required
def report_figures(request, code: str, year: int):
    r = _get(request, code, year)
    form = FiguresForm(
        request.POST, entered=selectors.manual_figures(r.agency, r.year), fmt=report_format(r.year)
    )

    @transaction.atomic
    def save(_data):
        # All figures or none, then the tables regenerated so the page shows them.
        for key, value, note in form.changes():
            services.manual_figure_set(
                agency=r.agency, year=r.year, key=key, value=value, note=note, actor=request.user
            )
        services.annual_report_refresh(report=r, actor=request.user)

    return _act(request, r, form, save, _("人工填报数据已保存，报表已重新生成。"), "figures")


@require_POST
@staff_required
def report_refresh(request, code: str, year: int):
    r = _get(request, code, year)
    return _act(
        request, r, None,
        lambda _d: services.annual_report_refresh(report=r, actor=request.user),
        _("已根据最新记录重新生成报表。"), "tables",
    )  # fmt: skip


@require_POST
@staff_required
def report_publish(request, code: str, year: int):
    r = _get(request, code, year)
    return _act(
        request, r, None,
        lambda _d: services.annual_report_publish(report=r, actor=request.user),
        _("年度报告已发布，公众可在门户网站查阅和下载。"),
    )  # fmt: skip


# ---------------------------------------------------------------- checking published reports


def _reviews_in_scope(user):
    return ReportReview.objects.filter(agency__in=agencies_in_scope(user)).select_related(
        "agency", "created_by"
    )


def _review_for_staff(user, pk: int) -> ReportReview:
    review = _reviews_in_scope(user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def _finding_cells(finding: dict) -> list[tuple[str, str, str]]:
    """The cells (table, row, column) a finding is about, to mark them on the table."""
    rule, row, column = finding["rule"], finding.get("row") or "", finding.get("column") or ""
    if row.startswith(("table1.", "table3.")):
        table, _dot, row = row.partition(".")
        return [(table, row, column)]
    if rule == RULE_TABLE3_TOTAL:
        return [("table3", column, "total")]
    if rule == RULE_TOTAL_COLUMN:
        return [("table2", row, "total")]
    if rule == RULE_BALANCE:
        return [("table2", r, column) for r in ("received", "carried_over", "total", "carried_forward")]
    return [("table2", row, column)]


def _marked_tables(data: dict, findings: list[dict]) -> dict:
    """The three tables as rows of cells, each cell with its figure (a blank group row shows the
    sum of its items, marked as computed) and the numbers of the findings about it."""
    fmt = data.get("format") or report_format(data.get("year") or 2021)
    tables = data.get("tables") or {}
    marks: dict[tuple[str, str, str], list[int]] = {}
    for number, finding in enumerate(findings, 1):
        for cell in _finding_cells(finding):
            marks.setdefault(cell, []).append(number)

    def cell(table: str, row: str, column: str, value, computed: bool = False) -> dict:
        numbers = marks.get((table, row, column), [])
        return {
            "value": value,
            "computed": computed,
            "blank": value is None and not computed,
            "marks": numbers,
        }

    table2 = tables.get("table2") or {}
    groups = table2_subtotals(fmt)
    rows2 = []
    for key, label, depth in table2_rows(fmt):
        if key == "results":
            rows2.append({"label": label, "depth": depth, "cells": []})
            continue
        cells = []
        for column in TABLE2_COLUMNS:
            given = (table2.get(key) or {}).get(column)
            if key in groups and given is None:
                cells.append(
                    cell("table2", key, column, table2_figure(table2, key, column, fmt), computed=True)
                )
            else:
                cells.append(cell("table2", key, column, given))
        rows2.append({"label": label, "depth": depth, "cells": cells})
    table3 = tables.get("table3") or {}
    rows3 = [
        {
            "label": label,
            "cells": [
                cell("table3", kind, part, (table3.get(kind) or {}).get(part)) for part, _l in TABLE3_RESULTS
            ],
        }
        for kind, label in TABLE3_KINDS
    ]
    table1 = tables.get("table1") or {}
    rows1 = [
        {
            "heading": block.heading,
            "columns": [label for _key, label in block.columns],
            "rows": [
                {
                    "label": label,
                    "cells": [
                        cell("table1", row, col, (table1.get(row) or {}).get(col))
                        for col, _l in block.columns
                    ],
                }
                for row, label in block.rows
            ],
        }
        for block in table1_blocks(fmt)
    ]
    return {
        "table1": rows1,
        "table2": rows2,
        "table2_columns": [str(TABLE2_COLUMN_LABELS[c]) for c in TABLE2_COLUMNS],
        "table3": rows3,
        "table3_columns": [str(label) for _key, label in TABLE3_RESULTS],
    }


def _review_page(request, review: ReportReview, *, form=None, error: str = "", status: int = 200):
    fmt = review.data.get("format") or report_format(review.year)
    lines = describe_findings(review.findings, fmt)
    findings = []
    for number, finding in enumerate(review.findings, 1):
        key = ReportReview.finding_key(finding)
        explanation = review.explanations.get(key, "")
        bound = form if form is not None and form.data.get("key") == key else None
        findings.append(
            {
                "number": number,
                "finding": finding,
                "text": "".join(describe_findings([finding], fmt)),
                "key": key,
                "explanation": explanation,
                "form": bound or ReviewExplainForm(initial={"key": key, "text": explanation}),
            }
        )
    context = {
        "review": review,
        "agency": review.agency,
        "summary": lines,
        "findings": findings,
        "explained": sum(1 for f in findings if f["explanation"]),
        "can_explain": services.can_explain_review(request.user, review.agency),
        "tables": _marked_tables(review.data, review.findings),
        "error": error,
    }
    return page(request, "workbench/reports/review_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def review_list(request):
    """The reports checked so far (in the user's scope) and, for a supervisor, the upload form."""
    form = ReviewUploadForm(request.POST or None, request.FILES or None, user=request.user)
    can_upload = form.fields["agency"].queryset.exists()
    if request.method == "POST":
        if not can_upload:
            return forbidden(request, _("您没有检查年度报告的权限。"))
        if form.is_valid() and "data" in form.cleaned_data:
            d = form.cleaned_data

            def refused(exc):
                form.add_error(None, str(exc))

            response = run_service(
                request,
                lambda: services.report_review_create(
                    agency=d["agency"],
                    year=d["year"],
                    data=d["data"],
                    filename=d["file"].name,
                    actor=request.user,
                ),
                errors=(ReportError,),
                refused=refused,
                success=_("已完成检查。"),
                then=lambda review: redirect("workbench:report_review", pk=review.pk),
            )
            if response is not None:
                return response
    reviews = Paginator(_reviews_in_scope(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "can_upload": can_upload, "page_obj": reviews, "reviews": reviews.object_list}
    return page(request, "workbench/reports/review_list.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD"])
@staff_required
def review_detail(request, pk: int):
    return _review_page(request, _review_for_staff(request.user, pk))


@require_POST
@staff_required
def review_explain(request, pk: int):
    review = _review_for_staff(request.user, pk)
    form = ReviewExplainForm(request.POST)
    if not form.is_valid():
        return _review_page(request, review, form=form, status=400)

    def refused(exc):
        form.add_error(None, str(exc))
        return _review_page(request, review, form=form, error=str(exc), status=400)

    return run_service(
        request,
        lambda: services.report_review_explain(
            review=review, key=form.cleaned_data["key"], text=form.cleaned_data["text"], actor=request.user
        ),
        errors=(ReportError,),
        refused=refused,
        success=_("已记录机关的说明。"),
        then=lambda r: redirect(reverse("workbench:report_review", kwargs={"pk": r.pk}) + "#findings"),
    )
