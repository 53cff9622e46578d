"""Tables 2 and 3 of the annual report from a year of applications and cases: every cell, the
identities of the national format, carry-over across years, and merged duplicates left out."""

from datetime import date

import pytest

from gongkai.agencies.models import Role
from gongkai.applications import services as applications
from gongkai.applications.rules import ApplicantType, Channel, Outcome
from gongkai.catalogue.tests.factories import make_agency
from gongkai.publishing.tests.factories import make_staff
from gongkai.reports.annual import annual_report_data
from gongkai.reports.rows import TABLE2_COLUMNS, TABLE2_KEYS

from .history import application, case, load

pytestmark = pytest.mark.django_db

YEAR = 2025
TYPES = ApplicantType.values
NP, CE, RI, SW, LS, OO = TYPES


def one_of_each_outcome() -> list[dict]:
    """Outcome i, received and closed in 2025, by applicant type i mod 6."""
    return [
        application(f"Y{i:02d}", "2025-02-03", TYPES[i % 6], f"2025-03-{i + 1:02d}", outcome)
        for i, outcome in enumerate(Outcome.values)
    ]


BOUNDARIES = [
    application("C1", "2024-12-20", NP, "2025-01-10", "disclosed"),  # 二, closed in the year
    application("C2", "2024-11-05", CE),  # 二 and 四: still open
    application("C3", "2024-12-30", LS, "2025-01-01", "unavailable_not_held"),  # closed on 1 January
    application("C4", "2024-06-01", RI, "2024-12-31", "disclosed"),  # closed on 31 December before
    application("P1", "2025-12-15", SW, "2026-01-05", "disclosed"),  # 一 and 四: closed next year
    application("P2", "2025-12-31", OO),  # received on the last day, open
    application("P3", "2025-11-20", NP),
    application("N1", "2026-01-04", NP, "2026-01-20", "disclosed"),  # next year's
]


def person(agency, description: str) -> dict:
    return {
        "agency": agency,
        "applicant_type": NP,
        "name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "address": "江州市滨江区江滨路1号",
        "description": description,
        "form": "paper",
        "delivery": "post",
    }


def handled_through_the_workbench(agency, clerk) -> None:
    """Three applications received in May 2025: one answered, a duplicate merged into it, one
    whose applicant never sent the correction asked for."""

    def register(description: str):
        data = person(agency, description)
        return applications.application_register(
            data=data, channel=Channel.POST, received_on=date(2025, 5, 6), actor=clerk
        ).application

    answered = register("2024年江州市财政预算执行情况")
    duplicate = register("江州市2024年财政预算执行情况")
    lapsed = register("有关文件")
    applications.application_merge(duplicate=duplicate, into=answered, actor=clerk)
    letter = applications.application_decide(application=answered, outcome=Outcome.DISCLOSED, actor=clerk)
    applications.letter_deliver(letter=letter, method="post", on=date(2025, 5, 20), actor=clerk)
    applications.correction_request(application=lapsed, items=["写明文件名称"], days=10, actor=clerk,
                                    on=date(2025, 5, 7))  # fmt: skip
    # The applicant's 10 days run from the return receipt (issue 9).
    applications.notice_receipt_record(application=lapsed, notice="correction", on=date(2025, 5, 9),
                                       method="post", actor=clerk)  # fmt: skip
    applications.application_abandon(application=lapsed, today=date(2025, 6, 30))


@pytest.fixture
def agency():
    agency = make_agency("江州市财政局")
    load(agency, one_of_each_outcome() + BOUNDARIES)
    handled_through_the_workbench(agency, make_staff(agency, Role.CLERK))
    return agency


def row(total: int, **cells: int) -> dict:
    return {column: cells.get(column, 0) for column in TYPES} | {"total": total}


def one(applicant_type: str, n: int = 1) -> dict:
    return row(n, **{applicant_type: n})


EXPECTED_2025 = {
    "received": row(26, natural_person=7, commercial_enterprise=4, research_institution=4,
                    social_welfare_org=4, legal_service_org=3, other_org=4),
    "carried_over": row(3, natural_person=1, commercial_enterprise=1, legal_service_org=1),
    "disclosed": one(NP, 3),  # Y00, C1 and the one answered through the workbench
    "partially_disclosed": one(CE),
    "withheld": row(8, natural_person=1, commercial_enterprise=1, research_institution=2,
                    social_welfare_org=2, legal_service_org=1, other_org=1),
    "withheld_state_secret": one(RI),
    "withheld_law": one(SW),
    "withheld_security": one(LS),
    "withheld_third_party": one(OO),
    "withheld_internal": one(NP),
    "withheld_process": one(CE),
    "withheld_enforcement": one(RI),
    "withheld_inquiry": one(SW),
    "unavailable": row(4, natural_person=1, legal_service_org=2, other_org=1),
    "unavailable_not_held": one(LS, 2),  # Y10 and C3
    "unavailable_needs_creation": one(OO),
    "unavailable_unclear": one(NP),
    "unprocessed": row(5, commercial_enterprise=1, research_institution=1, social_welfare_org=1,
                       legal_service_org=1, other_org=1),
    "unprocessed_petition": one(CE),
    "unprocessed_repeat": one(RI),
    "unprocessed_publication": one(SW),
    "unprocessed_excessive": one(LS),
    "unprocessed_confirmation": one(OO),
    "other_handling": row(4, natural_person=2, commercial_enterprise=1, research_institution=1),
    "other_no_correction": one(NP, 2),  # Y18 and the lapsed correction
    "other_fee_unpaid": one(CE),
    "other": one(RI),
    "total": row(25, natural_person=7, commercial_enterprise=4, research_institution=4,
                 social_welfare_org=3, legal_service_org=4, other_org=3),
    "carried_forward": row(4, natural_person=1, commercial_enterprise=1, social_welfare_org=1, other_org=1),
}  # fmt: skip


def test_every_cell_of_table_2_follows_the_counting_rules(agency):
    table2 = annual_report_data(agency=agency, year=YEAR)["tables"]["table2"]
    assert list(table2) == list(TABLE2_KEYS)
    for key in TABLE2_KEYS:
        assert list(table2[key]) == list(TABLE2_COLUMNS), key
        assert table2[key] == EXPECTED_2025[key], key


def test_the_national_identities_hold_in_every_column(agency):
    data = annual_report_data(agency=agency, year=YEAR)
    table2 = data["tables"]["table2"]
    for column in TABLE2_COLUMNS:
        assert (
            table2["received"][column] + table2["carried_over"][column]
            == table2["total"][column] + table2["carried_forward"][column]
        )
    assert data["checks"] == []


def test_this_years_carried_over_is_last_years_carried_forward(agency):
    last = annual_report_data(agency=agency, year=YEAR)["tables"]["table2"]
    this = annual_report_data(agency=agency, year=YEAR + 1)
    assert this["tables"]["table2"]["carried_over"] == last["carried_forward"]
    assert this["tables"]["table2"]["received"] == one(NP)  # N1
    assert this["tables"]["table2"]["disclosed"] == row(2, natural_person=1, social_welfare_org=1)  # N1, P1
    assert this["checks"] == []


def test_a_year_before_the_records_counts_the_open_applications_only(agency):
    table2 = annual_report_data(agency=agency, year=2024)["tables"]["table2"]
    assert table2["received"] == row(4, natural_person=1, commercial_enterprise=1, research_institution=1,
                                     legal_service_org=1)  # fmt: skip
    assert table2["disclosed"] == one(RI)  # C4, closed on 31 December 2024
    assert table2["carried_forward"] == row(3, natural_person=1, commercial_enterprise=1, legal_service_org=1)


def test_the_report_names_the_agency_and_the_format(agency):
    data = annual_report_data(agency=agency, year=YEAR)
    assert data["agency"] == {"code": agency.code, "name": "江州市财政局"}
    assert (data["year"], data["format"], data["manual"]) == (YEAR, "2021", [])
    assert set(data) == {
        "agency", "year", "format", "tables", "checks", "manual", "fees_section", "assessment_section",
        "participation_section",
    }  # fmt: skip


def test_another_agencys_applications_are_not_counted(agency):
    load(make_agency("江州市教育局"), one_of_each_outcome())
    assert annual_report_data(agency=agency, year=YEAR)["tables"]["table2"]["total"]["total"] == 25


def test_the_report_takes_a_fixed_number_of_queries(agency, django_assert_max_num_queries):
    load(
        agency,
        [application(f"M{i}", "2025-04-01", TYPES[i % 6], "2025-04-30", "disclosed") for i in range(60)],
    )
    # 25 for the tables and section 六, 11 for the consultation and question figures.
    with django_assert_max_num_queries(36):
        data = annual_report_data(agency=agency, year=YEAR)
    assert data["tables"]["table2"]["disclosed"]["total"] == 63


# --- Table 3 ---------------------------------------------------------------------------------

CASES = [
    case("Y00", "reconsideration", "2025-04-01", "2025-05-30", "upheld"),
    case("Y01", "reconsideration", "2025-06-01", "2026-01-10", "corrected"),  # decided next year
    case("Y02", "reconsideration", "2025-11-01"),  # not decided
    case("Y03", "litigation_direct", "2025-03-01", "2025-09-01", "corrected"),
    case("Y04", "litigation_after_reconsideration", "2025-07-01", "2025-12-31", "other"),
    case("C1", "reconsideration", "2024-12-30", "2025-02-01", "upheld"),  # filed the year before
]


def cells(upheld=0, corrected=0, other=0, pending=0) -> dict:
    return {
        "upheld": upheld,
        "corrected": corrected,
        "other": other,
        "pending": pending,
        "total": upheld + corrected + other + pending,
    }


def test_table_3_counts_cases_filed_in_the_year_with_their_result_at_its_end(agency):
    load(agency, CASES)
    table3 = annual_report_data(agency=agency, year=YEAR)["tables"]["table3"]
    assert table3 == {
        "reconsideration": cells(upheld=1, pending=2),
        "litigation_direct": cells(corrected=1),
        "litigation_after_reconsideration": cells(other=1),
    }


def test_a_case_decided_after_the_year_is_pending_in_that_years_report(agency):
    load(agency, CASES)
    table3 = annual_report_data(agency=agency, year=2024)["tables"]["table3"]
    assert table3["reconsideration"] == cells(pending=1)
    assert table3["litigation_direct"] == cells()


def test_a_case_recorded_and_decided_in_the_workbench_counts_too(agency):
    clerk = make_staff(agency, Role.CLERK)
    answered = agency.applications.get(state="closed", legacy_ref="", outcome=Outcome.DISCLOSED)
    pending = applications.remedy_case_record(
        application=answered, kind="litigation_direct", filed_on=date(2025, 8, 1), actor=clerk
    )
    assert annual_report_data(agency=agency, year=YEAR)["tables"]["table3"]["litigation_direct"] == cells(
        pending=1
    )
    applications.remedy_case_update(case=pending, decided_on=date(2025, 10, 8), result="upheld", actor=clerk)
    assert annual_report_data(agency=agency, year=YEAR)["tables"]["table3"]["litigation_direct"] == cells(
        upheld=1
    )


# --- section 六 -------------------------------------------------------------------------------


def test_fees_of_imported_applications_are_reported_in_section_six(agency):
    load(agency, [application("F1", "2025-08-01", NP, "2025-08-29", "disclosed", fee=300),
                  application("F2", "2025-08-01", NP, "2026-01-10", "disclosed", fee=100)])  # fmt: skip
    assert annual_report_data(agency=agency, year=YEAR)["fees_section"] == {
        "notices": 1,
        "amount_yuan": "300.00",
    }
