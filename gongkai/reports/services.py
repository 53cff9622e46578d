"""State changes of the annual report: one entry point each (STYLE.md, habit 3). Each checks
the actor's role in the agency, writes and records the audit event in one transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from . import printed
from .annual import annual_report_data, can_report_for_region, previous_report
from .checks import ALL_RULES, annual_report_checks, broken_rules
from .models import (
    AMOUNT_KEYS,
    AnnualReport,
    ManualFigure,
    ManualKey,
    ReportReview,
    ReportStatus,
    manual_key_signed,
)
from .rows import NARRATIVE_SECTIONS, report_format

NARRATIVE_KEYS = tuple(key for key, _label in NARRATIVE_SECTIONS)
MAX_NARRATIVE = 100_000  # characters per section; a report is a few pages
MAX_EXPLANATION = 2_000  # characters: the agency's explanation of one finding


class ReportError(Exception):
    """A user error in a report action; the message says what to fix."""


class NotPermitted(ReportError, core_services.NotPermitted):
    pass


def can_edit(user, agency: Agency) -> bool:
    """Write the narrative, explain a broken rule, enter figures: the disclosure office."""
    return has_role(user, agency, Role.CLERK, Role.OFFICE_HEAD)


def can_publish(user, agency: Agency) -> bool:
    """Publishing is the office head's or the agency leader's decision."""
    return has_role(user, agency, Role.OFFICE_HEAD, Role.LEADER)


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def _snapshot(report: AnnualReport) -> dict:
    return core_services.snapshot(
        report, (("agency", "agency_id"), "year", "status", "narrative", "explanations")
    )


def _lock(report: AnnualReport) -> AnnualReport:
    return core_services.lock(report, related=("agency",))


def _require_draft(report: AnnualReport) -> None:
    if report.status == ReportStatus.PUBLISHED:
        raise ReportError(_("%(year)s年度报告已发布，不能再修改。") % {"year": report.year})


def annual_report_published(agency: Agency, year: int) -> AnnualReport | None:
    """The agency's published report for ``year`` (what the public sees), or None."""
    return AnnualReport.objects.filter(agency=agency, year=year, status=ReportStatus.PUBLISHED).first()


@transaction.atomic
def annual_report_start(*, agency: Agency, year: int, actor, regional: bool = False) -> AnnualReport:
    """The agency's report for ``year``, created as a draft if there is none yet. A new report's
    narrative starts from last year's text, which the office then brings up to date.
    ``regional``: a government's report for the whole government (its own and its departments'
    records), for governments at county level and above."""
    _require(can_edit(actor, agency))
    if year > timezone.localdate().year:
        raise ReportError(_("%(year)s年尚未开始。") % {"year": year})
    if regional and not can_report_for_region(agency):
        raise ReportError(_("只有县级以上人民政府编制本级政府的年度报告。"))
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    last = AnnualReport.objects.filter(agency=agency, year=year - 1).first()
    narrative = {key: (last.narrative if last else {}).get(key, "") for key in NARRATIVE_KEYS}
    report = AnnualReport.objects.create(
        agency=agency,
        year=year,
        narrative=narrative,
        regional=regional,
        data=annual_report_data(agency=agency, year=year, regional=regional),
    )
    audit_record(actor=actor, action="annual_report_start", obj=report, after=_snapshot(report))
    return report


@transaction.atomic
def annual_report_save_narrative(*, report: AnnualReport, narrative: dict, actor) -> AnnualReport:
    """Save the text of sections 一, 五 and 六 (keys of NARRATIVE_SECTIONS); a section not given
    keeps its text."""
    report = _lock(report)
    _require(can_edit(actor, report.agency))
    _require_draft(report)
    unknown = sorted(set(narrative) - set(NARRATIVE_KEYS))
    if unknown:
        raise ReportError(_("未知的报告部分：%(keys)s") % {"keys": "、".join(unknown)})
    if any(len(text or "") > MAX_NARRATIVE for text in narrative.values()):
        raise ReportError(_("每一部分不能超过%(n)s字。") % {"n": MAX_NARRATIVE})
    before = _snapshot(report)
    report.narrative = {**report.narrative, **{k: (v or "").strip() for k, v in narrative.items()}}
    report.save(update_fields=["narrative", "updated_at"])
    audit_record(
        actor=actor, action="annual_report_save_narrative", obj=report, before=before, after=_snapshot(report)
    )
    return report


@transaction.atomic
def annual_report_explain(*, report: AnnualReport, rule: str, text: str, actor) -> AnnualReport:
    """Explain why a broken rule's figures are right nonetheless (e.g. last year's report was
    made before the records were corrected); blank text withdraws the explanation."""
    report = _lock(report)
    _require(can_edit(actor, report.agency))
    _require_draft(report)
    if rule not in ALL_RULES:
        raise ReportError(_("未知的勾稽关系：%(rule)s") % {"rule": rule})
    before = _snapshot(report)
    explanations = dict(report.explanations)
    if text.strip():
        explanations[rule] = text.strip()
    else:
        explanations.pop(rule, None)
    report.explanations = explanations
    report.save(update_fields=["explanations", "updated_at"])
    audit_record(
        actor=actor, action="annual_report_explain", obj=report, before=before, after=_snapshot(report)
    )
    return report


@transaction.atomic
def annual_report_refresh(*, report: AnnualReport, actor) -> AnnualReport:
    """Regenerate a draft's tables from the records as they are now."""
    report = _lock(report)
    _require(can_edit(actor, report.agency))
    _require_draft(report)
    report.data = annual_report_data(agency=report.agency, year=report.year, regional=report.regional)
    report.save(update_fields=["data", "updated_at"])
    audit_record(
        actor=actor,
        action="annual_report_refresh",
        obj=report,
        after={"checks": report.data["checks"], "manual": report.data["manual"]},
    )
    return report


@transaction.atomic
def annual_report_publish(*, report: AnnualReport, actor) -> AnnualReport:
    """Publish the report with its tables regenerated and frozen. Refused while a rule is broken
    without an explanation of that rule."""
    report = _lock(report)
    _require(can_publish(actor, report.agency))
    _require_draft(report)
    data = annual_report_data(agency=report.agency, year=report.year, regional=report.regional)
    unexplained = [
        rule for rule in broken_rules(data["checks"]) if not report.explanations.get(rule, "").strip()
    ]
    if unexplained:
        raise ReportError(
            _("以下勾稽关系不成立，请核实数据，或逐项说明原因后再发布：%(rules)s")
            % {"rules": "；".join(unexplained)}
        )
    before = _snapshot(report)
    report.data = data
    report.status = ReportStatus.PUBLISHED
    report.published_at, report.published_by = timezone.now(), actor
    report.save(update_fields=["data", "status", "published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="annual_report_publish",
        obj=report,
        before=before,
        after=_snapshot(report) | {"checks": data["checks"], "manual": data["manual"]},
    )
    return report


def _figure_value(key: str, value) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        # "请填写…" only for an empty field (issue 10): anything else typed is a format error.
        raise ReportError(_("请填写数值。") if not str(value).strip() else _("数值格式有误，请输入数字。"))
    if number < 0 and not manual_key_signed(key):
        raise ReportError(_("数值须不小于0。"))
    if key not in AMOUNT_KEYS and number != number.to_integral_value():
        raise ReportError(_("件数应为整数。"))
    if abs(number) >= Decimal("1e12"):
        raise ReportError(_("数值过大，请核实。"))
    if number != number.quantize(Decimal("0.0001")):
        raise ReportError(_("金额（万元）最多保留四位小数。"))
    return number


@transaction.atomic
def manual_figure_set(*, agency: Agency, year: int, key: str, value, note: str = "", actor) -> ManualFigure:
    """Enter a Table 1 figure the platform does not hold; the report marks it as entered by hand."""
    _require(can_edit(actor, agency))
    if key not in ManualKey.values:
        raise ReportError(_("未知的填报项目：%(key)s") % {"key": key})
    if annual_report_published(agency, year) is not None:
        raise ReportError(_("%(year)s年度报告已发布，不能再修改。") % {"year": year})
    number = _figure_value(key, value)
    figure = ManualFigure.objects.select_for_update().filter(agency=agency, year=year, key=key).first()
    before = {"value": str(figure.value), "note": figure.note} if figure else None
    if figure is None:
        figure = ManualFigure(agency=agency, year=year, key=key)
    figure.value, figure.note, figure.entered_by = number, note.strip(), actor
    figure.save()
    audit_record(
        actor=actor,
        action="manual_figure_set",
        obj=figure,
        before=before,
        after={"year": year, "key": key, "value": str(number), "note": figure.note},
    )
    return figure


def can_import(user, agency: Agency) -> bool:
    """Bringing in a report published before the platform: the operator at the command line
    (``None``) or the agency's disclosure-office head."""
    return user is None or has_role(user, agency, Role.OFFICE_HEAD)


@transaction.atomic
def annual_report_import(*, agency: Agency, year: int, data: dict, actor=None) -> AnnualReport:
    """Store the report ``agency`` published for ``year`` before it used the platform, as printed
    (``data``: printed.normalise's shape; blank cells stay null). It is published and read-only,
    marked imported; the carry-over rule of the next year checks against it. Refused when the
    agency already has a report for that year, or the year has not ended."""
    _require(can_import(actor, agency))
    if year >= timezone.localdate().year:
        raise ReportError(_("%(year)s年度尚未结束，不能导入该年度报告。") % {"year": year})
    if AnnualReport.objects.select_for_update().filter(agency=agency, year=year).exists():
        raise ReportError(
            _("%(agency)s已有%(year)s年度报告，不能再导入。") % {"agency": agency.name, "year": year}
        )
    fmt = data.get("format") or report_format(year)
    if fmt != report_format(year):
        raise ReportError(
            _("%(year)s年度报告应为%(expected)s格式，文件为%(fmt)s格式。")
            % {"year": year, "expected": report_format(year), "fmt": fmt}
        )
    stored = {
        "agency": {"code": agency.code, "name": agency.name},
        "year": year,
        "format": fmt,
        "tables": data["tables"],
        "manual": [],
        "imported": True,
    }
    if data.get("published_on"):
        stored["published_on"] = str(data["published_on"])
    stored["checks"] = annual_report_checks(stored, previous_report(agency, year))
    narrative = {key: str(data.get("narrative", {}).get(key) or "") for key in NARRATIVE_KEYS}
    report = AnnualReport.objects.create(
        agency=agency,
        year=year,
        data=stored,
        narrative=narrative,
        status=ReportStatus.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
        imported=True,
    )
    audit_record(
        actor=actor,
        action="annual_report_import",
        obj=report,
        after=_snapshot(report) | {"tables": stored["tables"], "checks": stored["checks"]},
    )
    return report


# ---------------------------------------------------------------- checking published reports


def can_review(user, agency: Agency) -> bool:
    """Checking a report an agency published (年报质量检查): its supervisors and administrators,
    whose scope reaches every agency below theirs."""
    return has_role(user, agency, Role.SUPERVISOR, Role.ADMINISTRATOR)


def can_explain_review(user, agency: Agency) -> bool:
    """Recording the agency's explanation of a finding: the supervisor who checks, or the
    agency's own disclosure office."""
    return can_review(user, agency) or has_role(user, agency, Role.CLERK, Role.OFFICE_HEAD)


@transaction.atomic
def report_review_create(*, agency: Agency, year: int, data: dict, filename: str, actor) -> ReportReview:
    """Check a report ``agency`` published for ``year`` (``data`` as printed.read_json or
    read_xlsx give it) and keep the upload with its findings. With ``--previous``'s rule: 二 is
    checked against the agency's report of the year before when the platform holds one."""
    _require(can_review(actor, agency))
    if data.get("year") not in (None, year):
        raise ReportError(
            _("文件是%(file_year)s年度的报告，不是%(year)s年度。") % {"file_year": data["year"], "year": year}
        )
    if data.get("format") != report_format(year):
        raise ReportError(
            _("%(year)s年度报告应为%(expected)s格式，文件为%(fmt)s格式。")
            % {"year": year, "expected": report_format(year), "fmt": data.get("format")}
        )
    stored = {**data, "year": year, "agency": {"code": agency.code, "name": agency.name}}
    findings = printed.check(stored, previous_report(agency, year))
    review = ReportReview.objects.create(
        agency=agency, year=year, filename=filename[:200], data=stored, findings=findings, created_by=actor
    )
    audit_record(
        actor=actor,
        action="report_review_create",
        obj=review,
        after={"agency": agency.pk, "year": year, "filename": review.filename, "findings": findings},
    )
    return review


@transaction.atomic
def report_review_explain(*, review: ReportReview, key: str, text: str, actor) -> ReportReview:
    """Record the agency's explanation of one finding (blank text withdraws it)."""
    review = ReportReview.objects.select_for_update().select_related("agency").get(pk=review.pk)
    _require(can_explain_review(actor, review.agency))
    if key not in {ReportReview.finding_key(f) for f in review.findings}:
        raise ReportError(_("该检查结果不存在，请刷新页面后重试。"))
    if len(text) > MAX_EXPLANATION:
        raise ReportError(_("说明不能超过%(n)s字。") % {"n": MAX_EXPLANATION})
    before = dict(review.explanations)
    explanations = dict(review.explanations)
    if text.strip():
        explanations[key] = text.strip()
    else:
        explanations.pop(key, None)
    review.explanations = explanations
    review.save(update_fields=["explanations", "updated_at"])
    audit_record(
        actor=actor,
        action="report_review_explain",
        obj=review,
        before={"explanations": before},
        after={"explanations": explanations},
    )
    return review
