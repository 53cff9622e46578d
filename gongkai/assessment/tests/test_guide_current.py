"""The indicator "guide kept current" (公开指南及时更新) from the reviews the platform recorded:
a review counts for a period only when it was made on or before the period's end."""

from datetime import date
from decimal import Decimal

import pytest

from gongkai.agencies.models import DisclosureOffice, Role
from gongkai.agencies.services import OfficeData, guide_confirm, office_update
from gongkai.agencies.tests.clock import set_today
from gongkai.assessment import services
from gongkai.assessment.facts import facts_for
from gongkai.assessment.scoring import IndicatorKey, period_parse
from gongkai.publishing.tests.factories import make_staff

from .factories import make_area, make_scheme

pytestmark = pytest.mark.django_db
OFFICE = OfficeData(name="江州县教育局办公室", phone="0792-6221001")


@pytest.fixture
def area():
    return make_area()


def reviewed(facts_by_agency, agency):
    return facts_by_agency[agency.pk].guide_reviewed_on


def test_a_review_after_the_period_end_does_not_count_for_the_period(area, monkeypatch):
    head = make_staff(area.education, Role.OFFICE_HEAD)
    set_today(monkeypatch, date(2026, 3, 2))
    office_update(agency=area.education, data=OFFICE, actor=head)
    set_today(monkeypatch, date(2026, 5, 20))
    guide_confirm(agency=area.education, actor=head)

    q1 = facts_for([area.education.pk], period_parse("2026Q1"), today=date(2026, 7, 1))
    q2 = facts_for([area.education.pk], period_parse("2026Q2"), today=date(2026, 7, 1))
    before = facts_for([area.education.pk], period_parse("2025"), today=date(2026, 7, 1))
    assert reviewed(q1, area.education) == date(2026, 3, 2)  # the one in force on 31 March
    assert reviewed(q2, area.education) == date(2026, 5, 20)
    assert reviewed(before, area.education) is None  # no review yet at the end of 2025


def test_a_review_after_today_of_a_running_period_is_not_counted_either(area, monkeypatch):
    set_today(monkeypatch, date(2026, 2, 1))
    office_update(agency=area.education, data=OFFICE, actor=None)
    set_today(monkeypatch, date(2026, 3, 20))
    guide_confirm(agency=area.education, actor=None)
    facts = facts_for([area.education.pk], period_parse("2026Q1"), today=date(2026, 3, 10))
    assert reviewed(facts, area.education) == date(2026, 2, 1)


def test_never_reviewed_no_office_and_an_unrecorded_later_review_have_no_date(area):
    DisclosureOffice.objects.create(agency=area.education, name="江州县教育局办公室")  # never reviewed
    # A review day later than the period's end that the audit trail does not carry (set before
    # the trail recorded review days): what held on the period's end is unknown.
    DisclosureOffice.objects.create(
        agency=area.authority, name="江州县政府办公室", guide_reviewed_on=date(2026, 6, 1)
    )
    ids = [area.education.pk, area.finance.pk, area.authority.pk]
    facts = facts_for(ids, period_parse("2026Q1"), today=date(2026, 7, 1))
    assert [facts[pk].guide_reviewed_on for pk in ids] == [None, None, None]


def test_the_assessment_scores_and_ranks_by_how_recently_the_guide_was_reviewed(area, monkeypatch):
    scheme = make_scheme(year=2026, guide_current=100)
    # Full marks up to 30 days, none from 60 (the scheme's target, not the default year).
    scheme.indicators.filter(key=IndicatorKey.GUIDE_CURRENT).update(target=Decimal(30))
    set_today(monkeypatch, date(2026, 2, 14))  # 45 days before 31 March: half marks
    office_update(agency=area.finance, data=OFFICE, actor=None)
    set_today(monkeypatch, date(2026, 3, 30))
    office_update(agency=area.education, data=OFFICE, actor=None)
    set_today(monkeypatch, date(2026, 4, 20))  # after Q1: does not help finance in Q1
    guide_confirm(agency=area.finance, actor=None)

    results = services.assessment_compute(
        scheme=scheme,
        authority=area.authority,
        period="2026Q1",
        actor=area.supervisor,
        today=date(2026, 5, 1),
    )
    assert [(r.agency, r.total, r.rank) for r in results] == [
        (area.education, Decimal("100.00"), 1),
        (area.finance, Decimal("50.00"), 2),
    ]
