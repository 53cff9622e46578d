"""The annual report generated from the platform's own records (annual-report.md): Table 1 from
the catalogue, Table 2 from the applications, Table 3 from the reconsideration and litigation
cases, section 六's fees from the fee notices, plus the figures entered by hand (ManualFigure).

The JSON shape is interfaces.md's "Annual report JSON"; row keys and labels are in rows.py and
the rules checked in checks.py. Reads only: the stored report is services.py's business.

Kept as one module on purpose (over 500 lines): the three tables share the period and agency
scoping of every query.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.applications.models import Application, FeeNotice, RemedyCase
from gongkai.applications.rules import ApplicationState
from gongkai.assessment.selectors import report_assessment
from gongkai.catalogue.models import Document, Validity, Visibility
from gongkai.core.models import AuditEvent
from gongkai.powers.selectors import decision_totals_by_agency, trial_figures_by_agency

from .checks import annual_report_checks, table2_figure
from .models import MANUAL_KEYS, AnnualReport, ManualFigure, ManualKey, ReportStatus
from .narrative import participation_figures
from .rows import (
    APPLICANT_COLUMNS,
    FORMAT_2019,
    RESULT_GROUPS,
    SUBTOTALS,
    TABLE1_DECISION_ROWS,
    TABLE1_DOCUMENT_ROWS,
    TABLE2_COLUMNS,
    TABLE2_KEYS,
    TABLE3_KINDS,
    TABLE3_PARTS,
    TRIAL_DOCUMENT_ROWS,
    TRIAL_ITEM_ROWS,
    report_format,
    table2_keys,
)

__all__ = [
    "annual_report_checks",
    "annual_report_data",
    "authority_sum",
    "report_due_on",
    "table1_counts",
    "table2_counts",
    "table3_counts",
    "trial_table1_counts",
]

# Report deadlines (Regulation Art. 49-50; regulation.md, "Remedies and supervision"): governments
# at county level and above publish by 31 March; departments (and every other body) hand their
# report to the competent office and publish it by 31 January; townships and street offices follow
# the deployment's setting GONGKAI_TOWNSHIP_REPORT_DUE ("MM-DD", default "01-31").
COUNTY_AND_ABOVE = (AgencyLevel.PROVINCE, AgencyLevel.CITY, AgencyLevel.COUNTY)
GOVERNMENT_DUE = (3, 31)
DEPARTMENT_DUE = (1, 31)
TOWNSHIP_DUE_DEFAULT = "01-31"
# What ends a document's force, and which of those the 本年废止件数 column counts: an amended
# document (已修改) is an old version superseded by its amended text, not a repeal.
OUT_OF_FORCE = (Validity.REPEALED, Validity.EXPIRED, Validity.AMENDED)
REPEALED = (Validity.REPEALED, Validity.EXPIRED)
# Audit actions that may change a document's validity (the admin edits it through document_update).
VALIDITY_ACTIONS = ("document_set_validity", "document_update")
_IN_CHUNK = 500  # ids per IN (...) query: well under SQLite's parameter limit


def _bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _only(agency: Agency) -> QuerySet:
    return Agency.objects.filter(pk=agency.pk)


# --- Table 2 ---------------------------------------------------------------------------------


def _empty_table2() -> dict:
    return {row: dict.fromkeys(TABLE2_COLUMNS, 0) for row in TABLE2_KEYS}


def table2_complete(table: dict) -> dict:
    """Fill the subtotals （三）–（六）, （七）总计 and the 总计 column from the leaf cells."""
    for column in APPLICANT_COLUMNS:
        for subtotal, leaves in SUBTOTALS.items():
            table[subtotal][column] = sum(table[leaf][column] for leaf in leaves)
        table["total"][column] = sum(table[group][column] for group in RESULT_GROUPS)
    for cells in table.values():
        cells["total"] = sum(cells[column] for column in APPLICANT_COLUMNS)
    return table


def _applications(agencies: QuerySet) -> QuerySet:
    # A duplicate merged into another application is not counted: the one it was merged into is,
    # so each request counts once. An online application not yet confirmed has no receipt date
    # and so falls outside every row until the office confirms it.
    return Application.objects.filter(agency__in=agencies).exclude(state=ApplicationState.MERGED).order_by()


def _open_on(day: date) -> Q:
    """Not closed before ``day``."""
    return Q(closed_on__isnull=True) | Q(closed_on__gte=day)


def table2_counts(agencies: QuerySet, year: int) -> dict:
    """Table 2 for ``year`` over ``agencies``: 一 received in the year; 二 received before it and
    not closed before 1 January; 三 closed in the year, by outcome; 四 received by 31 December and
    not closed by then. An application is closed on the day its reply was delivered (or the day
    it lapsed), so 一 + 二 = （七） + 四 holds for the platform's own records. Each application
    counts once, under its one stored outcome: one answered item by item (分项答复) carries the
    outcome the national form counts it under (applications/services/items.py, ``items_outcome``:
    partly disclosed when its items' outcomes differ, their shared outcome otherwise), never one
    count per item."""
    start, end = _bounds(year)
    apps = _applications(agencies)
    table = _empty_table2()
    flows = apps.values("applicant_type").annotate(
        received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        carried_over=Count("pk", filter=Q(received_on__lt=start) & _open_on(start)),
        carried_forward=Count("pk", filter=Q(received_on__lte=end) & _open_on(date(year + 1, 1, 1))),
    )
    for row in flows:
        if row["applicant_type"] in APPLICANT_COLUMNS:
            for key in ("received", "carried_over", "carried_forward"):
                table[key][row["applicant_type"]] += row[key]
    closed = (
        apps.filter(closed_on__gte=start, closed_on__lte=end, received_on__isnull=False)
        .values("applicant_type", "outcome")
        .annotate(n=Count("pk"))
    )
    for row in closed:
        if row["applicant_type"] in APPLICANT_COLUMNS and row["outcome"] in table:
            table[row["outcome"]][row["applicant_type"]] += row["n"]
    return table2_complete(table)


# --- Table 3 ---------------------------------------------------------------------------------


def table3_counts(agencies: QuerySet, year: int) -> dict:
    """Table 3 for ``year``: the cases filed in the year, with their result as of 31 December;
    one decided later (or without a recorded result) is 尚未审结."""
    start, end = _bounds(year)
    decided = Q(decided_on__lte=end) & ~Q(result="")
    table = {kind: dict.fromkeys((*TABLE3_PARTS, "total"), 0) for kind, _label in TABLE3_KINDS}
    rows = (
        RemedyCase.objects.filter(agency__in=agencies, filed_on__gte=start, filed_on__lte=end)
        .order_by()
        .values("kind")
        .annotate(
            filed=Count("pk"),
            upheld=Count("pk", filter=decided & Q(result=RemedyCase.Result.UPHELD)),
            corrected=Count("pk", filter=decided & Q(result=RemedyCase.Result.CORRECTED)),
            other=Count("pk", filter=decided & Q(result=RemedyCase.Result.OTHER)),
        )
    )
    for row in rows:
        if row["kind"] in table:
            cells = table[row["kind"]]
            for part in ("upheld", "corrected", "other"):
                cells[part] += row[part]
            cells["pending"] += row["filed"] - row["upheld"] - row["corrected"] - row["other"]
    for cells in table.values():
        cells["total"] = sum(cells[part] for part in TABLE3_PARTS)
    return table


# --- Table 1 ---------------------------------------------------------------------------------


def _validity_changed_on(doc_ids: list[int]) -> dict[int, date]:
    """The day each document last took its present validity, from the audit trail (the catalogue
    stores the validity, not when it changed)."""
    changed: dict[int, date] = {}
    keys = [str(pk) for pk in doc_ids]
    for i in range(0, len(keys), _IN_CHUNK):
        events = AuditEvent.objects.filter(
            action__in=VALIDITY_ACTIONS,
            object_type="catalogue.document",
            object_id__in=keys[i : i + _IN_CHUNK],
        ).order_by("id")
        for object_id, at, before, after in events.values_list("object_id", "at", "before", "after"):
            old, new = (before or {}).get("validity"), (after or {}).get("validity")
            if new and new != old:
                changed[int(object_id)] = timezone.localdate(at)
    return changed


def _force_ended_on(docs: QuerySet) -> dict[int, tuple[str, date | None]]:
    """For each document out of force: its validity and the day its force ended. That day is the
    recorded 废止日期 (expires_on) of a repealed or expired document, else the day staff set the
    validity (audit trail); None when neither is known (e.g. imported as already repealed), and
    such a document counts as out of force since before any report year."""
    rows = list(docs.filter(validity__in=OUT_OF_FORCE).values_list("pk", "validity", "expires_on"))
    audited = _validity_changed_on(
        [pk for pk, validity, expires_on in rows if not expires_on or validity not in REPEALED]
    )
    return {
        pk: (validity, expires_on if expires_on and validity in REPEALED else audited.get(pk))
        for pk, validity, expires_on in rows
    }


def _documents(agencies: QuerySet, genre: str, year: int) -> dict:
    start, end = _bounds(year)
    # Documents the agency issued (the lead issuer of joint documents) in the public catalogue.
    # 本年制发 counts by 成文日期 (annual-report.md, "Counting decisions"): a document written in
    # December and published in January is the earlier year's, once it is published.
    public = Document.objects.filter(
        agency__in=agencies, genre__name=genre, visibility=Visibility.PUBLIC, published_on__isnull=False
    ).order_by()
    docs = public.filter(published_on__lte=end)
    ended = _force_ended_on(docs)
    return {
        "issued": public.filter(written_on__gte=start, written_on__lte=end).count(),
        "repealed": sum(1 for v, on in ended.values() if v in REPEALED and on and start <= on <= end),
        "in_force": docs.filter(validity=Validity.IN_FORCE).count()
        + sum(1 for _v, on in ended.values() if on and on > end),
    }


def _manual_figures(agencies: QuerySet, year: int) -> dict[str, Decimal]:
    rows = (
        ManualFigure.objects.filter(agency__in=agencies, year=year)
        .order_by()
        .values("key")
        .annotate(total=Sum("value"))
    )
    return {row["key"]: row["total"] for row in rows}


def _listed_or_typed(agencies: QuerySet, year: int, path: str, listed: dict[int, int], manual: dict):
    """One Table 1 cell: the power lists' figure of each agency in ``listed`` (agency id →
    figure) plus the figure entered by hand under ``path`` by every other agency. A hand figure
    that was not used is dropped from ``manual`` so the report marks only cells really typed."""
    typed = (
        ManualFigure.objects.filter(agency__in=agencies, year=year, key=path)
        .exclude(agency_id__in=list(listed))
        .aggregate(total=Sum("value"))["total"]
    )
    if typed is None:
        manual.pop(path, None)
    return sum(listed.values()) + (typed or 0)


def _decisions(agencies: QuerySet, year: int, key: str, manual: dict) -> int:
    """Decisions of one Table 1 row: from the power lists where an agency recorded counts for
    that row, else the figure entered by hand for it."""
    recorded = decision_totals_by_agency(agencies, year)
    listed = {agency_id: totals[key] for agency_id, totals in recorded.items() if key in totals}
    return int(_listed_or_typed(agencies, year, f"table1.{key}.decisions", listed, manual))


def _decimal_text(value: Decimal) -> str:
    """A plain decimal without exponent or trailing zeros: "12.35", "100", "0"."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def table1_counts(agencies: QuerySet, year: int, manual: dict[str, Decimal] | None = None) -> dict:
    """Table 1 for ``year``: regulations and normative documents from the catalogue; decisions
    and fee income from the figures entered by hand (until the power lists hold them)."""
    manual = manual if manual is not None else _manual_figures(agencies, year)
    table = {key: _documents(agencies, genre, year) for key, genre, _label in TABLE1_DOCUMENT_ROWS}
    for key, _label in TABLE1_DECISION_ROWS:
        table[key] = {"decisions": _decisions(agencies, year, key, manual)}
    table["fees"] = {"amount_10k_yuan": _decimal_text(manual.get(ManualKey.FEES, Decimal(0)))}
    return table


def _trial_documents(agencies: QuerySet, genre: str, year: int) -> dict:
    """2019's columns: made (成文) in the year, newly disclosed in it, disclosed in all by its end."""
    start, end = _bounds(year)
    docs = Document.objects.filter(
        agency__in=agencies, genre__name=genre, visibility=Visibility.PUBLIC, published_on__isnull=False
    ).order_by()
    return docs.aggregate(
        made=Count("pk", filter=Q(written_on__gte=start, written_on__lte=end)),
        published=Count("pk", filter=Q(published_on__gte=start, published_on__lte=end)),
        public_total=Count("pk", filter=Q(published_on__lte=end)),
    )


def trial_table1_counts(agencies: QuerySet, year: int, manual: dict[str, Decimal] | None = None) -> dict:
    """Table 1 in 2019's trial layout: documents from the catalogue; for items (五), (六) and
    (八) the items last year, this year's change and the decisions, from the power lists of the
    agencies that keep them (decisions: that recorded counts for the year), else entered by
    hand; government procurement (九) entered by hand."""
    manual = manual if manual is not None else _manual_figures(agencies, year)
    table = {key: _trial_documents(agencies, genre, year) for key, genre, _label in TRIAL_DOCUMENT_ROWS}
    figures = trial_figures_by_agency(agencies, year)
    for key, _label in TRIAL_ITEM_ROWS:
        kept = {agency_id: rows[key] for agency_id, rows in figures.items() if key in rows}
        cells = ("previous_items", "change") if key == "fees" else ("previous_items", "change", "decisions")
        table[key] = {}
        for cell in cells:
            listed = {agency_id: row[cell] for agency_id, row in kept.items() if cell in row}
            table[key][cell] = int(_listed_or_typed(agencies, year, f"table1.{key}.{cell}", listed, manual))
    table["procurement"] = {
        "projects": int(manual.get(ManualKey.TRIAL_PROCUREMENT_PROJECTS, 0)),
        "amount_10k_yuan": _decimal_text(manual.get(ManualKey.TRIAL_PROCUREMENT_AMOUNT, Decimal(0))),
    }
    return table


# --- section 六: information-processing fees --------------------------------------------------


def fees_section(agencies: QuerySet, year: int) -> dict:
    """Fee notices sent in the year and the amount collected (paid in the year, less refunds).
    Imported historical applications have no notices, only the fee charged: each such
    application closed in the year with a fee counts as one notice and its fee as collected."""
    start, end = _bounds(year)
    notices = FeeNotice.objects.filter(application__agency__in=agencies).order_by()
    sent = notices.filter(sent_on__gte=start, sent_on__lte=end).count()
    paid = notices.filter(paid_on__gte=start, paid_on__lte=end).aggregate(
        paid=Sum("paid_amount"), refunded=Sum("refunded_amount")
    )
    historical = (
        _applications(agencies)
        .filter(closed_on__gte=start, closed_on__lte=end, fee_yuan__gt=0)
        .exclude(Exists(FeeNotice.objects.filter(application=OuterRef("pk"))))
        .aggregate(n=Count("pk"), amount=Sum("fee_yuan"))
    )
    amount = (paid["paid"] or 0) - (paid["refunded"] or 0) + (historical["amount"] or 0)
    return {"notices": sent + historical["n"], "amount_yuan": f"{Decimal(amount):.2f}"}


# --- the report ------------------------------------------------------------------------------


def _report(agencies: QuerySet, agency: Agency, year: int) -> dict:
    # Reports on 2019 and 2020 (and older imported years) use the trial layout of
    # 国办公开办函〔2019〕60号, later ones that of 国办公开办函〔2021〕30号.
    fmt = report_format(year)
    manual = {key: value for key, value in _manual_figures(agencies, year).items() if key in MANUAL_KEYS[fmt]}
    if fmt == FORMAT_2019:
        table1 = trial_table1_counts(agencies, year, manual)
        # One row （六）其他处理: its numbered sub-rows of 2021 are not part of the form.
        table2 = {
            row: cells for row, cells in table2_counts(agencies, year).items() if row in table2_keys(fmt)
        }
    else:
        table1, table2 = table1_counts(agencies, year, manual), table2_counts(agencies, year)
    return {
        "agency": {"code": agency.code, "name": agency.name},
        "year": year,
        "format": fmt,
        "tables": {"table1": table1, "table2": table2, "table3": table3_counts(agencies, year)},
        "checks": [],
        "manual": sorted(manual),
        "fees_section": fees_section(agencies, year),
    }


def previous_report(agency: Agency, year: int, *, regional: bool = False) -> dict | None:
    """Last year's report for the agency, to check 二 against: the stored published report, or
    else Table 2 computed for that year (over the region for a regional report) when the
    platform has applications received by then."""
    stored = (
        AnnualReport.objects.filter(agency=agency, year=year - 1, status=ReportStatus.PUBLISHED)
        .values_list("data", flat=True)
        .first()
    )
    if stored and (stored.get("tables") or {}).get("table2"):
        return stored
    agencies = Agency.objects.below(agency) if regional else _only(agency)
    if _applications(agencies).filter(received_on__lt=date(year, 1, 1)).exists():
        return {"year": year - 1, "tables": {"table2": table2_counts(agencies, year - 1)}}
    return None


def can_report_for_region(agency: Agency) -> bool:
    """A government at county level and above publishes one report for the whole government."""
    return agency.level in COUNTY_AND_ABOVE


def regional_opening(agency: Agency, year: int) -> str:
    """The standard opening paragraph of a government's report: what it is written under, the
    period counted, where it can be downloaded and whom to ask."""
    office = getattr(agency, "office", None)
    where = agency.website or (office.website if office else "")
    contact = []
    if office is not None:
        for label, value in (("地址", office.address), ("邮编", office.postcode), ("电话", office.phone)):
            if value:
                contact.append(f"{label}：{value}")
    asked = office.name if office is not None else agency.name
    form = (
        "关于印发〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》（国办公开办函〔2019〕60号）"
        if report_format(year) == FORMAT_2019
        else "关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）"
    )
    text = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室"
        f"{form}要求，"
        f"由{agency.name}办公室根据本级政府及所属各部门的政府信息公开工作情况编制。"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告电子版可在{agency.name}门户网站{f'（{where}）' if where else ''}政府信息公开专栏“政府信息公开工作年度报告”栏目查阅和下载。"
        f"如对本报告有疑问，请与{asked}联系"
    )
    return text + (f"（{'；'.join(contact)}）。" if contact else "。")


def annual_report_data(*, agency: Agency, year: int, regional: bool = False) -> dict:
    """The whole report of ``agency`` for ``year`` from the platform's records, with the broken
    rules in ``checks`` (empty when consistent) and the cells entered by hand in ``manual``.
    ``regional``: the government's report for the whole government, from the records of the
    agency and every agency below it, titled and opened as such (``regional``, ``opening``)."""
    agencies = Agency.objects.below(agency) if regional else _only(agency)
    data = _report(agencies, agency, year)
    if regional:
        data["regional"] = True
        data["agencies"] = agencies.count()
        data["opening"] = regional_opening(agency, year)
    data["checks"] = annual_report_checks(data, previous_report(agency, year, regional=regional))
    # Section 六 states the year's assessment result and the public's ratings, when there are any.
    data["assessment_section"] = report_assessment(agency, year)
    # ... and the year's consultations and questions answered in public (issue 16).
    data["participation_section"] = participation_figures(agencies.values_list("pk", flat=True), year)
    return data


# --- the competent authority's view ----------------------------------------------------------


def township_report_due(year: int) -> date:
    """The day a township's or street office's report for ``year`` is due, by the deployment's
    setting GONGKAI_TOWNSHIP_REPORT_DUE ("MM-DD" of the next year, default "01-31")."""
    value = str(getattr(settings, "GONGKAI_TOWNSHIP_REPORT_DUE", "") or TOWNSHIP_DUE_DEFAULT).strip()
    try:
        month, day = (int(part) for part in value.split("-"))
        return date(year + 1, month, day)
    except ValueError:
        raise ImproperlyConfigured(
            f"GONGKAI_TOWNSHIP_REPORT_DUE must be a month and day as MM-DD (e.g. 01-31 or 03-31), not {value!r}"
        ) from None


def report_due_on(agency: Agency, year: int) -> date:
    """The day the report for ``year`` is due: 31 March for a government at county level and
    above, the deployment's setting for a township or street office, 31 January for departments
    and every other body."""
    if agency.level in COUNTY_AND_ABOVE:
        return date(year + 1, *GOVERNMENT_DUE)
    if agency.level == AgencyLevel.TOWNSHIP:
        return township_report_due(year)
    return date(year + 1, *DEPARTMENT_DUE)


def late_reports(agencies: QuerySet, year: int, today: date | None = None) -> list[dict]:
    """Active agencies whose report for ``year`` was not published by its due date (only once
    that date has passed), each as {"code", "name", "due_on", "published_on"}."""
    today = today or timezone.localdate()
    reports = AnnualReport.objects.filter(agency__in=agencies, year=year, status=ReportStatus.PUBLISHED)
    published = {r.agency_id: r for r in reports}
    late = []
    for agency in agencies.filter(is_active=True).order_by("path", "sort_order"):
        due_on, report = report_due_on(agency, year), published.get(agency.pk)
        published_on = report.published_on if report else None
        if report is not None and published_on is None:
            continue  # imported without its date: not known to be late
        if today > due_on and (published_on is None or published_on > due_on):
            late.append(
                {
                    "code": agency.code,
                    "name": agency.name,
                    "due_on": due_on.isoformat(),
                    "published_on": published_on.isoformat() if published_on else None,
                }
            )
    return late


def authority_sum(*, agency: Agency, year: int, today: date | None = None) -> dict:
    """The tables summed over ``agency`` and every agency below it (computed from the records,
    like each agency's own report), with ``agencies`` (how many) and ``late`` (late_reports)."""
    agencies = Agency.objects.below(agency)
    data = _report(agencies, agency, year)
    data["checks"] = annual_report_checks(data)
    data["agencies"] = agencies.count()
    data["late"] = late_reports(agencies, year, today)
    return data


def records_against_imported(agency: Agency, year: int) -> list[dict]:
    """Where the platform's records of ``year`` (e.g. just brought in by `gongkai
    import-applications`) disagree with the report the agency published for that year and
    imported (`gongkai annual-report import`): each cell of Tables 2 and 3 that the report
    printed and the records count otherwise, as {"table", "row", "column", "report", "records"}.
    Empty when there is no imported report for the year or everything agrees. Blank cells are
    not compared; a group row printed blank is compared as the sum of its items."""
    report = AnnualReport.objects.filter(agency=agency, year=year, imported=True).first()
    if report is None:
        return []
    fmt, printed_tables = report_format(year), (report.data or {}).get("tables") or {}
    agencies = _only(agency)
    counted = table2_counts(agencies, year)
    differences = []
    printed2 = printed_tables.get("table2") or {}
    for row in table2_keys(fmt):
        for column in TABLE2_COLUMNS:
            figure = table2_figure(printed2, row, column, fmt)
            records = (counted.get(row) or {}).get(column, 0)
            if figure is not None and figure != records:
                differences.append(
                    {"table": "table2", "row": row, "column": column, "report": figure, "records": records}
                )
    printed3, counted3 = printed_tables.get("table3") or {}, table3_counts(agencies, year)
    for kind, _label in TABLE3_KINDS:
        for part in (*TABLE3_PARTS, "total"):
            figure = (printed3.get(kind) or {}).get(part)
            records = counted3[kind][part]
            if isinstance(figure, int) and not isinstance(figure, bool) and figure != records:
                differences.append(
                    {"table": "table3", "row": kind, "column": part, "report": figure, "records": records}
                )
    return differences
