"""Demo annual reports (年度报告) for last year: the city education bureau's, written and
published, and the city ecology and environment bureau's, a draft in progress. Called by
gongkai.operations.demo.load_demo after the other demos (the power lists give Table 1 its decision
counts); safe to run again.

A report is computed from the records of its year, and the demo's own applications are recent
ones, so last year's are loaded first as an agency brings its former system's history: through
the historical import (`gongkai import-applications`, interfaces.md), applications closed during
the year with a few reconsideration and litigation cases. Every write is a service call by the
person whose job it is: the administrator imports, the office's clerk writes, its head publishes.
"""

import json
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.services import staff_role_grant
from gongkai.applications.importing import import_applications
from gongkai.applications.models import Application

from .annual import can_report_for_region
from .checks import broken_rules
from .models import AnnualReport
from .services import (
    annual_report_explain,
    annual_report_publish,
    annual_report_save_narrative,
    annual_report_start,
)

ENVIRONMENT_CLERK = "sthj-clerk"  # writes the environment bureau's report (and handles its cases)
CITY_OFFICE = "szf-office"  # the city government office: writes and publishes the region's report

# Last year's applications: (received MM-DD, channel, applicant type, closed MM-DD, outcome),
# all closed within the year, so nothing is left open in today's workbench.
EDUCATION_HISTORY = [
    ("01-08", "online", "natural_person", "01-22", "disclosed"),
    ("02-19", "online", "natural_person", "03-05", "disclosed"),
    ("03-03", "post", "natural_person", "03-20", "partially_disclosed"),
    ("03-17", "online", "commercial_enterprise", "04-03", "disclosed"),
    ("04-09", "in_person", "natural_person", "04-25", "unavailable_not_held"),
    ("05-06", "online", "natural_person", "05-21", "disclosed"),
    ("05-28", "online", "legal_service_org", "06-13", "withheld_process"),
    ("06-16", "post", "natural_person", "07-04", "disclosed"),
    ("07-01", "online", "natural_person", "07-15", "unprocessed_repeat"),
    ("07-22", "online", "commercial_enterprise", "08-08", "partially_disclosed"),
    ("08-19", "online", "natural_person", "09-02", "disclosed"),
    ("09-08", "fax", "natural_person", "09-26", "unavailable_needs_creation"),
    ("10-13", "online", "natural_person", "10-28", "disclosed"),
    ("10-27", "post", "research_institution", "11-14", "disclosed"),
    ("11-17", "online", "natural_person", "12-26", "other_no_correction"),
    ("12-01", "online", "natural_person", "12-15", "disclosed"),
]
# (kind, filed MM-DD, decided MM-DD or None, result, index of the application in the history)
EDUCATION_CASES = [
    ("reconsideration", "07-10", "09-05", "upheld", 6),
    ("litigation_direct", "06-20", None, "", 4),  # still before the court at 31 December
]
ENVIRONMENT_HISTORY = [
    ("01-15", "online", "social_welfare_org", "02-01", "disclosed"),
    ("02-24", "online", "natural_person", "03-10", "disclosed"),
    ("03-12", "post", "commercial_enterprise", "03-31", "withheld_third_party"),
    ("04-07", "online", "natural_person", "04-22", "partially_disclosed"),
    ("05-19", "online", "social_welfare_org", "06-05", "disclosed"),
    ("06-23", "online", "natural_person", "07-08", "unavailable_not_held"),
    ("08-04", "in_person", "natural_person", "08-19", "disclosed"),
    ("09-15", "online", "legal_service_org", "09-29", "disclosed"),
    ("10-20", "online", "natural_person", "11-05", "withheld_enforcement"),
    ("11-24", "online", "commercial_enterprise", "12-10", "disclosed"),
]
ENVIRONMENT_CASES = [
    ("reconsideration", "04-20", "06-18", "corrected", 2),  # the withholding was overturned
]


def history_lines(prefix: str, year: int, applications: list[tuple], cases: list[tuple]) -> list[str]:
    """The import lines of one agency's history for ``year``."""

    def day(month_day: str) -> str:
        return f"{year}-{month_day}"

    def ref(index: int) -> str:
        return f"{prefix}-{year}-{index + 1:03d}"

    lines = [
        {"ref": ref(i), "received_on": day(received), "channel": channel, "applicant_type": applicant,
         "closed_on": day(closed), "outcome": outcome}
        for i, (received, channel, applicant, closed, outcome) in enumerate(applications)
    ]  # fmt: skip
    lines += [
        {"record": "case", "kind": kind, "filed_on": day(filed), "application_ref": ref(index),
         **({"decided_on": day(decided), "result": result} if decided else {})}
        for kind, filed, decided, result, index in cases
    ]  # fmt: skip
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def _import_history(agency: Agency, prefix: str, year: int, history, cases, admin) -> int:
    """Import the agency's history for ``year`` unless it has imported history already."""
    if Application.objects.filter(agency=agency).exclude(legacy_ref="").exists():
        return 0
    return import_applications(
        history_lines(prefix, year, history, cases), agency=agency, actor=admin
    ).imported


def _figures(data: dict) -> dict:
    """The figures the narrative quotes, from the report's own tables."""
    table1, table2, table3 = (data["tables"][key] for key in ("table1", "table2", "table3"))
    total = {row: cells["total"] for row, cells in table2.items()}
    return {
        "year": data["year"],
        "received": total["received"],
        "closed": total["total"],
        "disclosed": total["disclosed"],
        "partially": total["partially_disclosed"],
        "licensing": table1["licensing"]["decisions"],
        "penalty": table1["penalty"]["decisions"],
        "enforcement": table1["enforcement"]["decisions"],
        "reconsideration": table3["reconsideration"]["total"],
        "litigation": table3["litigation_direct"]["total"]
        + table3["litigation_after_reconsideration"]["total"],
        "corrected": sum(cells["corrected"] for cells in table3.values()),
        "fee_notices": data["fees_section"]["notices"],
    }


EDUCATION_NARRATIVE = {
    "overview": (
        "{year}年，江州市教育局坚持以公开为常态、不公开为例外，围绕招生入学、学生资助、教育收费等"
        "群众关切事项，全面推进政府信息公开工作。\n"
        "（一）主动公开。通过门户网站“政府信息公开”专栏及时公开招生入学政策、民办学校审批结果和"
        "教育收费标准，同步发布政策解读。全年作出行政许可决定{licensing}件、行政处罚决定{penalty}件，"
        "结果均依法公开。\n"
        "（二）依申请公开。全年新收政府信息公开申请{received}件，办结{closed}件，其中予以公开{disclosed}件、"
        "部分公开{partially}件，均在法定期限内答复。\n"
        "（三）政府信息管理。开展规范性文件清理，动态更新政府信息公开指南和目录。\n"
        "（四）平台建设。门户网站与市政府信息公开平台实现目录统一、检索统一。\n"
        "（五）监督保障。将政务公开纳入科室年度考核，全年未发生因信息公开引发的责任追究。"
    ),
    "problems": (
        "一是政策解读形式较为单一，图解、问答等群众易懂的形式运用不够；二是部分科室对依申请公开的"
        "法定时限把握不严，个别答复临近期限。下一步，我局将推行“政策+解读”同步起草、同步审签，"
        "并对依申请公开实行到期前5个工作日提醒，确保按时答复。"
    ),
    "other_matters": (
        "（一）本年度发出收费通知{fee_notices}件，未收取信息处理费。\n"
        "（二）本年度政府信息公开行政复议{reconsideration}件、行政诉讼{litigation}件，"
        "被纠错{corrected}件。\n"
        "（三）落实上级年度政务公开工作要点情况：已按要点完成招生入学、教育收费等重点领域信息公开。"
    ),
}
ENVIRONMENT_NARRATIVE = {
    "overview": (
        "{year}年，江州市生态环境局围绕环境质量、建设项目环评审批、执法监管等重点领域推进信息公开。"
        "全年作出建设项目环评审批决定{licensing}件、行政处罚决定{penalty}件、查封扣押决定{enforcement}件，"
        "新收政府信息公开申请{received}件。\n（待补充：平台建设和监督保障情况。）"
    ),
    "problems": (
        "全年有{corrected}件政府信息公开行政复议案件被纠错，反映出涉及第三方商业秘密的申请"
        "在征求意见和区分处理方面还不够规范。（待完善改进措施。）"
    ),
}


CITY_NARRATIVE = {
    "overview": (
        "{year}年，江州市人民政府深入贯彻《中华人民共和国政府信息公开条例》，统筹推进全市政府信息公开工作。\n"
        "（一）主动公开。市政府及各部门通过政府门户网站主动公开政府信息，全年作出行政许可决定{licensing}件、"
        "行政处罚决定{penalty}件。\n"
        "（二）依申请公开。全年新收政府信息公开申请{received}件，办结{closed}件，其中予以公开{disclosed}件、"
        "部分公开{partially}件。\n"
        "（三）政府信息管理、平台建设和监督保障情况从略。"
    ),
    "problems": "部分部门政策解读质量有待提高。下一步，市政府办公室将加强对各部门的业务指导和培训。",
    "other_matters": ("本年度全市政府信息公开行政复议{reconsideration}件、行政诉讼{litigation}件。"),
}


@dataclass
class ReportsDemoResult:
    logins: list[tuple] = field(default_factory=list)  # (username, password, agency, role label)
    applications_imported: int = 0
    reports_started: int = 0


def _written(report: AnnualReport, narrative: dict, clerk) -> AnnualReport:
    """The narrative with the report's figures filled in, and every broken rule explained."""
    figures = _figures(report.data)
    text = {key: value.format(**figures) for key, value in narrative.items()}
    report = annual_report_save_narrative(report=report, narrative=text, actor=clerk)
    for rule in broken_rules(report.data["checks"]):
        report = annual_report_explain(
            report=report,
            rule=rule,
            text="原系统导入的历史数据与本年度办理记录统计口径不同，已逐件核对，本表数据以办理记录为准。",
            actor=clerk,
        )
    return report


def reports_demo_load(
    *,
    education: Agency,
    environment: Agency,
    education_admin: str,
    environment_admin: str,
    education_clerk: str,
    education_head: str,
    ensure_user,
    password_for,
) -> ReportsDemoResult:
    """Last year's history of both bureaus, the education bureau's report published and the
    environment bureau's in draft, and the environment bureau's clerk (returned as a login)."""
    result = ReportsDemoResult()
    clerk = ensure_user(ENVIRONMENT_CLERK, pw := password_for(ENVIRONMENT_CLERK), superuser=False)
    staff_role_grant(user=clerk, agency=environment, role=Role.CLERK)
    result.logins.append((ENVIRONMENT_CLERK, pw, environment.name, str(Role.CLERK.label)))

    year = timezone.localdate().year - 1
    users = get_user_model().objects.in_bulk(
        [education_admin, environment_admin, education_clerk, education_head], field_name="username"
    )
    result.applications_imported += _import_history(
        education, "JYJ", year, EDUCATION_HISTORY, EDUCATION_CASES, users[education_admin]
    )
    result.applications_imported += _import_history(
        environment, "STHJJ", year, ENVIRONMENT_HISTORY, ENVIRONMENT_CASES, users[environment_admin]
    )

    if not AnnualReport.objects.filter(agency=education, year=year).exists():
        report = annual_report_start(agency=education, year=year, actor=users[education_clerk])
        report = _written(report, EDUCATION_NARRATIVE, users[education_clerk])
        annual_report_publish(report=report, actor=users[education_head])
        result.reports_started += 1
    if not AnnualReport.objects.filter(agency=environment, year=year).exists():
        report = annual_report_start(agency=environment, year=year, actor=clerk)
        _written(report, ENVIRONMENT_NARRATIVE, clerk)
        result.reports_started += 1
    city = education.parent
    if city is not None and can_report_for_region(city):
        result.reports_started += _regional_report(city, year, ensure_user, password_for)
    return result


def _regional_report(city: Agency, year: int, ensure_user, password_for) -> int:
    """The city government's report for the whole government (its office and its bureaus),
    written and published by the government office (the user works in the workbench only as
    the author of record; the city's supervisor reads the report there)."""
    if AnnualReport.objects.filter(agency=city, year=year).exists():
        return 0
    office = ensure_user(CITY_OFFICE, password_for(CITY_OFFICE), superuser=False)
    for role in (Role.CLERK, Role.OFFICE_HEAD):
        staff_role_grant(user=office, agency=city, role=role)
    report = annual_report_start(agency=city, year=year, actor=office, regional=True)
    report = _written(report, CITY_NARRATIVE, office)
    annual_report_publish(report=report, actor=office)
    return 1
