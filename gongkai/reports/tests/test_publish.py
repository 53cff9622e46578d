"""The stored report: the narrative carried from last year, figures entered by hand, publishing
refused while a rule is broken and unexplained, and every change in the audit trail."""

from decimal import Decimal

import pytest

from gongkai.agencies.models import Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports import services
from gongkai.reports.checks import RULE_CARRY_OVER
from gongkai.reports.models import AnnualReport, ManualKey, ReportStatus

from .history import application, load

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    agency = make_agency("江州市交通运输局")
    load(
        agency,
        [
            application("A1", "2024-03-01", "natural_person", "2024-03-20", "disclosed"),
            application("A2", "2024-12-10", "commercial_enterprise"),  # carried into 2025
            application("A3", "2024-12-20", "research_institution"),  # carried into 2025
            application("A4", "2025-02-10", "natural_person", "2025-03-01", "withheld_process"),
        ],
    )
    return {
        "agency": agency,
        "clerk": make_staff(agency, Role.CLERK),
        "head": make_staff(agency, Role.OFFICE_HEAD),
        "outsider": make_staff(make_agency("江州市水利局"), Role.OFFICE_HEAD),
    }


def published(office, year: int, **narrative) -> AnnualReport:
    report = services.annual_report_start(agency=office["agency"], year=year, actor=office["clerk"])
    if narrative:
        services.annual_report_save_narrative(report=report, narrative=narrative, actor=office["clerk"])
    return services.annual_report_publish(report=report, actor=office["head"])


def test_a_new_report_starts_from_last_years_text(office):
    published(office, 2024, overview="2024年，我局认真贯彻《条例》……", problems="公开指南更新不及时。")
    report = services.annual_report_start(agency=office["agency"], year=2025, actor=office["clerk"])
    assert report.status == ReportStatus.DRAFT
    assert report.narrative == {
        "overview": "2024年，我局认真贯彻《条例》……",
        "problems": "公开指南更新不及时。",
        "other_matters": "",
    }
    assert services.annual_report_start(agency=office["agency"], year=2025, actor=office["clerk"]) == report
    report = services.annual_report_save_narrative(
        report=report, narrative={"overview": "  2025年，我局……  "}, actor=office["clerk"]
    )
    assert report.narrative["overview"] == "2025年，我局……"
    assert report.narrative["problems"] == "公开指南更新不及时。"  # not given: kept


def test_publishing_freezes_the_tables_and_is_audited(office):
    report = published(office, 2024, overview="总体情况")
    assert (
        report.status == ReportStatus.PUBLISHED
        and report.published_at
        and report.published_by == office["head"]
    )
    assert report.data["tables"]["table2"]["carried_forward"]["total"] == 2
    load(
        office["agency"],
        [application("A2", "2024-12-10", "commercial_enterprise", "2024-12-31", "disclosed")],
    )
    report.refresh_from_db()
    assert report.data["tables"]["table2"]["carried_forward"]["total"] == 2  # as published
    actions = set(
        AuditEvent.objects.filter(object_type="reports.annualreport", object_id=str(report.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == {"annual_report_start", "annual_report_save_narrative", "annual_report_publish"}
    assert services.annual_report_published(office["agency"], 2024) == report


def test_a_published_report_cannot_be_changed(office):
    report = published(office, 2024)
    with pytest.raises(services.ReportError, match="已发布"):
        services.annual_report_save_narrative(
            report=report, narrative={"overview": "改"}, actor=office["clerk"]
        )
    with pytest.raises(services.ReportError, match="已发布"):
        services.annual_report_publish(report=report, actor=office["head"])
    with pytest.raises(services.ReportError, match="已发布"):
        services.manual_figure_set(
            agency=office["agency"], year=2024, key=ManualKey.LICENSING, value=3, actor=office["clerk"]
        )


def test_only_the_office_may_write_and_only_its_head_or_leader_publish(office):
    with pytest.raises(services.NotPermitted):
        services.annual_report_start(agency=office["agency"], year=2024, actor=office["outsider"])
    report = services.annual_report_start(agency=office["agency"], year=2024, actor=office["clerk"])
    with pytest.raises(services.NotPermitted):
        services.annual_report_publish(report=report, actor=office["clerk"])
    with pytest.raises(services.NotPermitted):
        services.annual_report_save_narrative(
            report=report, narrative={"overview": "x"}, actor=office["outsider"]
        )
    leader = make_staff(office["agency"], Role.LEADER)
    assert services.annual_report_publish(report=report, actor=leader).status == ReportStatus.PUBLISHED


def test_a_year_whose_history_changed_after_last_years_report_is_refused_until_explained(office):
    published(office, 2024)  # 四: A2 and A3 open at the end of 2024
    # The former system's next export says A3 was in fact closed on 30 December 2024.
    load(
        office["agency"], [application("A3", "2024-12-20", "research_institution", "2024-12-30", "disclosed")]
    )
    report = services.annual_report_start(agency=office["agency"], year=2025, actor=office["clerk"])
    assert {(c["rule"], c["column"], c["expected"], c["actual"]) for c in report.data["checks"]} == {
        (RULE_CARRY_OVER, "research_institution", 1, 0),
        (RULE_CARRY_OVER, "total", 2, 1),
    }
    with pytest.raises(services.ReportError, match=RULE_CARRY_OVER):
        services.annual_report_publish(report=report, actor=office["head"])
    services.annual_report_explain(
        report=report,
        rule=RULE_CARRY_OVER,
        text="上年度报告发布后，原系统更正了一件申请的办结日期。",
        actor=office["clerk"],
    )
    report = services.annual_report_publish(report=report, actor=office["head"])
    assert report.status == ReportStatus.PUBLISHED
    assert report.explanations == {RULE_CARRY_OVER: "上年度报告发布后，原系统更正了一件申请的办结日期。"}
    assert [c["rule"] for c in report.data["checks"]] == [RULE_CARRY_OVER, RULE_CARRY_OVER]


def test_only_known_rules_and_sections_are_accepted(office):
    report = services.annual_report_start(agency=office["agency"], year=2025, actor=office["clerk"])
    with pytest.raises(services.ReportError, match="未知的勾稽关系"):
        services.annual_report_explain(report=report, rule="随便", text="说明", actor=office["clerk"])
    with pytest.raises(services.ReportError, match="未知的报告部分"):
        services.annual_report_save_narrative(
            report=report, narrative={"section9": "x"}, actor=office["clerk"]
        )


def test_figures_entered_by_hand_fill_table_1_and_are_marked(office):
    agency, clerk = office["agency"], office["clerk"]
    services.manual_figure_set(agency=agency, year=2025, key=ManualKey.LICENSING, value=120, actor=clerk,
                               note="行政审批系统统计")  # fmt: skip
    services.manual_figure_set(agency=agency, year=2025, key=ManualKey.PENALTY, value="35", actor=clerk)
    services.manual_figure_set(
        agency=agency, year=2025, key=ManualKey.FEES, value=Decimal("12.35"), actor=clerk
    )
    services.manual_figure_set(
        agency=agency, year=2025, key=ManualKey.PENALTY, value=36, actor=clerk
    )  # corrected
    report = services.annual_report_start(agency=agency, year=2025, actor=clerk)
    table1 = report.data["tables"]["table1"]
    assert (table1["licensing"], table1["penalty"], table1["enforcement"]) == (
        {"decisions": 120},
        {"decisions": 36},
        {"decisions": 0},
    )
    assert table1["fees"] == {"amount_10k_yuan": "12.35"}
    assert report.data["manual"] == sorted([ManualKey.LICENSING, ManualKey.PENALTY, ManualKey.FEES])
    assert AuditEvent.objects.filter(action="manual_figure_set").count() == 4
    with pytest.raises(services.ReportError, match="整数"):
        services.manual_figure_set(
            agency=agency, year=2025, key=ManualKey.LICENSING, value="1.5", actor=clerk
        )
    with pytest.raises(services.ReportError, match="不小于0"):
        services.manual_figure_set(agency=agency, year=2025, key=ManualKey.FEES, value="-1", actor=clerk)
    with pytest.raises(services.NotPermitted):
        services.manual_figure_set(
            agency=agency, year=2025, key=ManualKey.FEES, value=1, actor=office["outsider"]
        )
