"""When the disclosure guide (公开指南, Art. 12) was last reviewed: imports that change the
office, the office's own edits and confirmations record the day; nothing else does."""

import json
from dataclasses import replace
from datetime import date

import pytest

from gongkai.agencies.importing import import_agencies
from gongkai.agencies.models import AgencyLevel, DisclosureOffice, Role
from gongkai.agencies.selectors import guide_reviews_as_of
from gongkai.agencies.services import (
    AgencyData,
    AgencyError,
    NotPermitted,
    OfficeData,
    agency_upsert,
    guide_confirm,
    office_update,
)
from gongkai.catalogue.tests.factories import make_agency, make_agency_code
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.factories import make_staff

from .clock import set_today

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 2)
JUNE = date(2026, 6, 15)
OFFICE = OfficeData(
    name="江州市教育局办公室",
    address="江州市长虹大道88号",
    hours="工作日 9:00—17:00",
    phone="0792-8221001",
    email="jyj@jiangzhou.example.cn",
    postcode="332000",
)


def reviewed_on(agency) -> date | None:
    return DisclosureOffice.objects.get(agency=agency).guide_reviewed_on


def education(code: str, office: OfficeData = OFFICE, name: str = "江州市教育局") -> AgencyData:
    return AgencyData(code=code, name=name, level=AgencyLevel.DEPARTMENT, office=office)


def test_an_upsert_that_creates_the_office_records_a_review_that_day(monkeypatch):
    set_today(monkeypatch, MARCH)
    agency, outcome = agency_upsert(data=education(make_agency_code()))
    assert outcome == "created" and reviewed_on(agency) == MARCH
    assert AuditEvent.objects.get(action="agency_create").after["guide_reviewed_on"] == "2026-03-02"


def test_an_unchanged_reimport_keeps_the_day_of_the_last_review(monkeypatch):
    code = make_agency_code()
    office = {"name": OFFICE.name, "phone": OFFICE.phone}
    record = json.dumps({"code": code, "name": "江州市教育局", "level": "department", "office": office})
    set_today(monkeypatch, MARCH)
    import_agencies([record])
    set_today(monkeypatch, JUNE)
    assert import_agencies([record]).unchanged == 1
    assert reviewed_on(DisclosureOffice.objects.get().agency) == MARCH


def test_renaming_the_agency_alone_is_not_a_review_of_its_guide(monkeypatch):
    code = make_agency_code()
    set_today(monkeypatch, MARCH)
    agency, _ = agency_upsert(data=education(code))
    set_today(monkeypatch, JUNE)
    _, outcome = agency_upsert(data=education(code, name="江州市教育体育局"))
    assert outcome == "updated" and reviewed_on(agency) == MARCH
    assert "guide_reviewed_on" not in AuditEvent.objects.get(action="agency_update").after


def test_a_reimport_that_changes_the_office_records_a_review(monkeypatch):
    code = make_agency_code()
    set_today(monkeypatch, MARCH)
    agency, _ = agency_upsert(data=education(code))
    set_today(monkeypatch, JUNE)
    agency_upsert(data=education(code, office=replace(OFFICE, phone="0792-8229999")))
    assert reviewed_on(agency) == JUNE


def test_the_office_head_edits_the_guide_details_and_the_change_is_audited(monkeypatch):
    agency = make_agency("江州市教育局")
    head = make_staff(agency, Role.OFFICE_HEAD)
    set_today(monkeypatch, MARCH)
    office_update(agency=agency, data=OFFICE, actor=head)
    set_today(monkeypatch, JUNE)
    office = office_update(agency=agency, data=replace(OFFICE, hours="工作日 8:30—17:30"), actor=head)
    assert office.hours == "工作日 8:30—17:30" and reviewed_on(agency) == JUNE
    event = AuditEvent.objects.filter(action="office_update").order_by("-id").first()
    assert event.actor == head and event.object_id == str(agency.pk)
    assert event.before["hours"] == "工作日 9:00—17:00" and event.before["guide_reviewed_on"] == "2026-03-02"
    assert event.after["hours"] == "工作日 8:30—17:30" and event.after["guide_reviewed_on"] == "2026-06-15"
    assert audit_verify() == []


def test_the_administrator_above_the_agency_may_edit_its_guide_details():
    city = make_agency("江州市人民政府")
    agency = make_agency("江州市教育局", parent=city)
    office_update(agency=agency, data=OFFICE, actor=make_staff(city, Role.ADMINISTRATOR))
    assert DisclosureOffice.objects.get(agency=agency).name == OFFICE.name


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-address"}, "电子邮箱"),
        ({"postcode": "3320"}, "邮政编码"),
        ({"name": ""}, "机构名称"),
    ],
)
def test_invalid_details_are_refused_and_nothing_changes(change, message):
    agency = make_agency("江州市教育局")
    head = make_staff(agency, Role.OFFICE_HEAD)
    office_update(agency=agency, data=OFFICE, actor=head)
    with pytest.raises(AgencyError, match=message):
        office_update(agency=agency, data=replace(OFFICE, **change), actor=head)
    assert DisclosureOffice.objects.get(agency=agency).email == OFFICE.email
    assert AuditEvent.objects.filter(action="office_update").count() == 1


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR])
def test_other_roles_may_neither_edit_nor_confirm_the_guide(role):
    agency = make_agency("江州市教育局")
    office_update(agency=agency, data=OFFICE, actor=None)  # the operator at the command line
    staff = make_staff(agency, role)
    with pytest.raises(NotPermitted):
        office_update(agency=agency, data=replace(OFFICE, phone="110"), actor=staff)
    with pytest.raises(NotPermitted):
        guide_confirm(agency=agency, actor=staff)
    assert DisclosureOffice.objects.get(agency=agency).phone == OFFICE.phone
    assert not AuditEvent.objects.filter(action="guide_confirm").exists()


def test_the_office_head_of_another_agency_may_not_touch_this_guide():
    agency, other = make_agency("江州市教育局"), make_agency("江州市财政局")
    with pytest.raises(NotPermitted):
        office_update(agency=agency, data=OFFICE, actor=make_staff(other, Role.OFFICE_HEAD))
    assert not DisclosureOffice.objects.exists()


def test_confirming_the_guide_records_the_day_and_is_audited(monkeypatch):
    agency = make_agency("江州市教育局")
    head = make_staff(agency, Role.OFFICE_HEAD)
    set_today(monkeypatch, MARCH)
    office_update(agency=agency, data=OFFICE, actor=head)
    set_today(monkeypatch, JUNE)
    guide_confirm(agency=agency, actor=head)
    assert reviewed_on(agency) == JUNE
    event = AuditEvent.objects.get(action="guide_confirm")
    assert event.actor == head and event.object_id == str(agency.pk)
    assert (event.before, event.after) == (
        {"guide_reviewed_on": "2026-03-02"},
        {"guide_reviewed_on": "2026-06-15"},
    )


def test_a_guide_without_an_office_cannot_be_confirmed():
    agency = make_agency("江州市教育局")
    with pytest.raises(AgencyError, match="尚未登记"):
        guide_confirm(agency=agency, actor=make_staff(agency, Role.OFFICE_HEAD))
    assert not AuditEvent.objects.exists()


def test_the_review_in_force_on_a_day_is_read_back_from_the_trail(monkeypatch):
    agency, never, no_office = (
        make_agency("江州市教育局"),
        make_agency("江州市财政局"),
        make_agency("江州市档案馆"),
    )
    head = make_staff(agency, Role.OFFICE_HEAD)
    DisclosureOffice.objects.create(agency=never, name="江州市财政局办公室")  # never reviewed
    set_today(monkeypatch, MARCH)
    office_update(agency=agency, data=OFFICE, actor=head)
    set_today(monkeypatch, JUNE)
    guide_confirm(agency=agency, actor=head)
    ids = [agency.pk, never.pk, no_office.pk]
    assert guide_reviews_as_of(ids, date(2026, 6, 30)) == {
        agency.pk: JUNE,
        never.pk: None,
        no_office.pk: None,
    }
    assert guide_reviews_as_of(ids, date(2026, 3, 31))[agency.pk] == MARCH
    assert guide_reviews_as_of(ids, date(2026, 3, 1))[agency.pk] is None


def test_the_trail_is_read_in_one_query_for_many_agencies(monkeypatch, django_assert_num_queries):
    agencies = [make_agency(f"江州市第{n}局") for n in range(5)]
    set_today(monkeypatch, MARCH)
    for agency in agencies:
        office_update(agency=agency, data=OFFICE, actor=None)
    set_today(monkeypatch, JUNE)
    for agency in agencies:
        guide_confirm(agency=agency, actor=None)
    with django_assert_num_queries(2):  # the offices, then the trail for those reviewed later
        reviews = guide_reviews_as_of([a.pk for a in agencies], date(2026, 3, 31))
    assert set(reviews.values()) == {MARCH}
