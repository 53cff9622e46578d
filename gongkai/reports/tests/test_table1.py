"""Table 1 from the catalogue: regulations (规章) and normative documents (规范性文件) issued,
repealed and in force, by publication date and the day their force ended."""

from datetime import date

import pytest
from django.utils import timezone

from gongkai.catalogue.models import Genre, Validity
from gongkai.catalogue.services import document_set_validity
from gongkai.catalogue.tests.factories import make_agency, make_document
from gongkai.reports.annual import annual_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    agency = make_agency("江州市人民政府")
    regulation = Genre.objects.get(name="规章").pk
    normative = Genre.objects.get(name="规范性文件").pk

    def document(title, genre, published_on, **fields):
        fields.setdefault("written_on", published_on)
        return make_document(agency, title, genre_id=genre, published_on=published_on, **fields)

    document("江州市城市道路管理办法", regulation, date(2025, 3, 1))
    # Repealed with its 废止日期 recorded: in 2025, and in 2026 (still in force at the end of 2025).
    document("江州市市容管理规定", regulation, date(2020, 5, 1), validity=Validity.REPEALED,
             expires_on=date(2025, 6, 30))  # fmt: skip
    document("江州市停车场管理办法", regulation, date(2019, 1, 1), validity=Validity.REPEALED,
             expires_on=date(2026, 2, 1))  # fmt: skip
    fees = document("江州市行政事业性收费管理规定", normative, date(2025, 7, 1))
    amended = document("江州市物业服务收费实施细则", normative, date(2023, 4, 1))
    # Imported as already repealed, with no date: in force in no year we can know of.
    document("江州市旧城改造暂行办法", normative, date(2018, 1, 1), validity=Validity.REPEALED)
    # Not counted: unpublished, another genre, another agency.
    make_document(agency, "江州市停车收费管理办法（征求意见稿）", genre_id=normative, publish=False)
    document("江州市2025年重点工作安排", Genre.objects.get(name="计划总结").pk, date(2025, 2, 1))
    make_document(
        make_agency("江州市交通运输局"), "交通规范性文件", genre_id=normative, published_on=date(2025, 2, 1)
    )
    # Repealed and amended by staff now: the audit trail dates it to today.
    document_set_validity(document=fees, validity=Validity.REPEALED)
    document_set_validity(document=amended, validity=Validity.AMENDED)
    return agency


def test_documents_issued_repealed_and_in_force_in_a_past_year(agency):
    table1 = annual_report_data(agency=agency, year=2025)["tables"]["table1"]
    assert table1["regulations"] == {"issued": 1, "repealed": 1, "in_force": 2}
    # Repealed and amended only this year, so both were in force at the end of 2025.
    assert table1["normative_documents"] == {"issued": 1, "repealed": 0, "in_force": 2}


def test_a_repeal_recorded_by_staff_counts_in_the_year_it_was_recorded(agency):
    this_year = timezone.localdate().year
    table1 = annual_report_data(agency=agency, year=this_year)["tables"]["table1"]
    # The amended one is superseded by its new text, which is not a repeal.
    assert table1["normative_documents"] == {"issued": 0, "repealed": 1, "in_force": 0}


def test_a_year_before_a_document_was_published_does_not_count_it(agency):
    table1 = annual_report_data(agency=agency, year=2021)["tables"]["table1"]
    assert table1["regulations"] == {"issued": 0, "repealed": 0, "in_force": 2}
    assert table1["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 0}


def test_figures_not_entered_read_zero_and_are_not_marked_as_manual(agency):
    data = annual_report_data(agency=agency, year=2025)
    table1 = data["tables"]["table1"]
    assert [table1[k] for k in ("licensing", "penalty", "enforcement", "fees")] == [
        {"decisions": 0},
        {"decisions": 0},
        {"decisions": 0},
        {"amount_10k_yuan": "0"},
    ]
    assert data["manual"] == []


def test_power_list_counts_feed_table1_and_override_the_hand_figure_for_their_row(agency):
    from gongkai.powers.models import PowerType
    from gongkai.powers.services import decision_count_set
    from gongkai.powers.tests.factories import make_power
    from gongkai.reports.models import ManualFigure

    ManualFigure.objects.create(agency=agency, year=2025, key="table1.licensing.decisions", value=7)
    ManualFigure.objects.create(agency=agency, year=2025, key="table1.penalty.decisions", value=3)
    licence = make_power(agency, "XK-001")
    other_licence = make_power(agency, "XK-002", "建筑施工许可")
    decision_count_set(power=licence, year=2025, count=120, actor=None)
    decision_count_set(power=other_licence, year=2025, count=30, actor=None)
    penalty = make_power(agency, "CF-001", "违法建设处罚", type=PowerType.PENALTY)
    decision_count_set(power=penalty, year=2024, count=9, actor=None)  # another year: not counted
    data = annual_report_data(agency=agency, year=2025)
    table1 = data["tables"]["table1"]
    assert table1["licensing"] == {"decisions": 150}  # the power lists win over the typed 7
    assert table1["penalty"] == {"decisions": 3}  # nothing recorded for 2025: the typed figure
    assert data["manual"] == ["table1.penalty.decisions"]
