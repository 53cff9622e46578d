"""decision_totals: the 本年处理决定数量 of Table 1 from the power list's decision counts."""

import pytest

from gongkai.agencies.models import Agency
from gongkai.catalogue.tests.factories import make_agency
from gongkai.powers.models import PowerType
from gongkai.powers.selectors import decision_totals, decision_totals_by_agency
from gongkai.powers.services import decision_count_set

from .factories import make_power

pytestmark = pytest.mark.django_db


def counted(agency, code: str, type: str, **years):
    power = make_power(agency, code, f"事项{code}", type=type)
    for year, count in years.items():
        decision_count_set(power=power, year=int(year.removeprefix("y")), count=count, actor=None)
    return power


@pytest.fixture
def agency():
    agency = make_agency("江州市市场监督管理局")
    counted(agency, "XK-1", PowerType.LICENSING, y2024=10, y2025=1)
    counted(agency, "XK-2", PowerType.LICENSING, y2024=5)
    counted(agency, "CF-1", PowerType.PENALTY, y2024=7)
    counted(agency, "QZ-1", PowerType.ENFORCEMENT, y2025=2)
    counted(agency, "JC-1", PowerType.INSPECTION, y2024=100)  # not a Table 1 row
    counted(agency, "ZS-1", PowerType.LEVY, y2024=50)  # nor is this
    return agency


def test_licensing_penalty_and_enforcement_are_summed_by_type_for_the_year(agency):
    assert decision_totals(agency, 2024) == {"licensing": 15, "penalty": 7, "enforcement": 0}
    assert decision_totals(agency, 2025) == {"licensing": 1, "penalty": 0, "enforcement": 2}
    assert decision_totals(agency, 2023) == {"licensing": 0, "penalty": 0, "enforcement": 0}


def test_other_agencies_counts_are_not_included(agency):
    other = make_agency("江州市交通运输局")
    counted(other, "XK-1", PowerType.LICENSING, y2024=1000)
    assert decision_totals(agency, 2024)["licensing"] == 15
    assert decision_totals(other, 2024) == {"licensing": 1000, "penalty": 0, "enforcement": 0}


def test_by_agency_tells_a_recorded_zero_from_nothing_recorded(agency):
    other = make_agency("江州市交通运输局")
    counted(other, "CF-1", PowerType.PENALTY, y2024=0)
    totals = decision_totals_by_agency(Agency.objects.filter(pk__in=[agency.pk, other.pk]), 2024)
    assert totals == {agency.pk: {"licensing": 15, "penalty": 7}, other.pk: {"penalty": 0}}


def test_a_later_figure_replaces_the_earlier_one(agency):
    power = agency.powers.get(code="CF-1")
    decision_count_set(power=power, year=2024, count=9, actor=None)
    assert decision_totals(agency, 2024)["penalty"] == 9
