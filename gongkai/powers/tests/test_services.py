"""Keeping the power list: versions with effective dates, the version in force on a day,
who may change the list, and the audit trail of every change."""

from datetime import date

import pytest
from django.db import IntegrityError

from gongkai.agencies.models import AgencyLevel, Role
from gongkai.catalogue.tests.factories import make_agency
from gongkai.core.audit import audit_verify
from gongkai.core.models import AuditEvent
from gongkai.powers.models import Power, PowerType, PowerVersion
from gongkai.powers.selectors import power_version_on, public_power_get
from gongkai.powers.services import (
    NotPermitted,
    PowerError,
    decision_count_set,
    power_create,
    power_revise,
)
from gongkai.publishing.tests.factories import make_staff

from .factories import fields, make_power

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return make_agency("江州市交通运输局")


def test_a_new_power_has_one_open_ended_version(agency):
    power = make_power(agency, effective_from=date(2024, 1, 1))
    (version,) = power.versions.all()
    assert (version.effective_from, version.effective_to) == (date(2024, 1, 1), None)
    assert version.procedure_steps == ["申请", "受理", "审查", "决定", "送达"]


def test_a_revision_ends_the_old_version_the_day_before_and_keeps_it(agency):
    power = make_power(agency, effective_from=date(2024, 1, 1), time_limit="20个工作日")
    power_revise(
        power=power, effective_from=date(2025, 3, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    old, new = power.versions.order_by("effective_from")
    assert (old.effective_from, old.effective_to, old.time_limit) == (
        date(2024, 1, 1),
        date(2025, 2, 28),
        "20个工作日",
    )
    assert (new.effective_from, new.effective_to, new.time_limit) == (date(2025, 3, 1), None, "15个工作日")


@pytest.mark.parametrize(
    ("day", "time_limit"),
    [
        (date(2023, 12, 31), None),  # before the first version
        (date(2024, 1, 1), "20个工作日"),
        (date(2025, 2, 28), "20个工作日"),  # the old version's last day
        (date(2025, 3, 1), "15个工作日"),
        (date(2030, 1, 1), "15个工作日"),
    ],
)
def test_the_version_in_force_on_a_day(agency, day, time_limit):
    power = make_power(agency, effective_from=date(2024, 1, 1), time_limit="20个工作日")
    power_revise(
        power=power, effective_from=date(2025, 3, 1), values=fields(time_limit="15个工作日"), actor=None
    )
    version = power_version_on(power, day)
    assert (version.time_limit if version else None) == time_limit
    record = public_power_get(agency, power.code, day=day)
    assert (record.current.time_limit if record.current else None) == time_limit


def test_a_revision_announced_for_later_leaves_the_current_version_in_force(agency):
    power = make_power(agency, effective_from=date(2024, 1, 1))
    power_revise(power=power, effective_from=date(2099, 1, 1), values=fields(fees="每件10元"), actor=None)
    record = public_power_get(agency, power.code, day=date(2026, 6, 1))
    assert record.current.fees == "不收费"
    assert record.upcoming.fees == "每件10元"


@pytest.mark.parametrize("day", [date(2023, 6, 1), date(2024, 1, 1)])
def test_a_revision_must_take_effect_after_the_latest_version(agency, day):
    power = make_power(agency, effective_from=date(2024, 1, 1))
    with pytest.raises(PowerError, match="须晚于最近一个版本的施行日期（2024-01-01）"):
        power_revise(power=power, effective_from=day, values=fields(fees="每件10元"), actor=None)
    assert power.versions.count() == 1


def test_a_revision_without_a_change_is_refused(agency):
    power = make_power(agency)
    with pytest.raises(PowerError, match="内容与最近一个版本相同"):
        power_revise(
            power=power, effective_from=date(2025, 1, 1), values=fields(time_limit=" 20个工作日 "), actor=None
        )


def test_the_code_is_unique_in_the_agency_but_not_across_agencies(agency):
    make_power(agency, "XK-001")
    with pytest.raises(PowerError, match="已有编码为“XK-001”的事项"):
        make_power(agency, "XK-001", "另一个许可")
    make_power(make_agency("江州市水利局"), "XK-001")
    with pytest.raises(IntegrityError):
        Power.objects.create(agency=agency, code="XK-001", type=PowerType.PENALTY, name="重复")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "XK/001"}, "权力编码只能由"),
        ({"name": "  "}, "不能为空"),
        ({"type": "tax"}, "不是有效选项|不是合法选项|is not a valid choice"),
        ({"procedure_steps": ["申请", " "]}, "步骤名称不能为空"),
        ({"procedure_steps": ["步"] * 31}, "不能超过30个步骤"),
    ],
)
def test_invalid_input_is_refused_with_what_to_fix(agency, changes, message):
    steps = changes.pop("procedure_steps", None)
    kwargs = {"code": "XK-001", "name": "道路旅客运输经营许可", "type": PowerType.LICENSING, **changes}
    values = fields(procedure_steps=steps) if steps is not None else fields()
    with pytest.raises(PowerError, match=message):
        power_create(agency=agency, effective_from=date(2024, 1, 1), values=values, actor=None, **kwargs)
    assert not Power.objects.exists()


def test_the_database_refuses_two_open_versions_of_one_power(agency):
    power = make_power(agency)
    with pytest.raises(IntegrityError):
        PowerVersion.objects.create(power=power, effective_from=date(2025, 1, 1))


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.OFFICE_HEAD])
def test_the_administrator_and_the_office_head_keep_the_list(agency, role):
    staff = make_staff(agency, role)
    power = make_power(agency, actor=staff)
    version = power_revise(
        power=power, effective_from=date(2025, 1, 1), values=fields(fees="10元"), actor=staff
    )
    assert version.created_by == staff
    assert decision_count_set(power=power, year=2024, count=3, actor=staff).count == 3


def test_an_administrator_above_the_agency_keeps_its_list(agency):
    city = make_agency("江州市人民政府")
    agency.parent = city
    agency.save()
    make_power(agency, actor=make_staff(city, Role.ADMINISTRATOR))


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR])
def test_other_roles_may_not_change_the_list(agency, role):
    staff = make_staff(agency, role)
    with pytest.raises(NotPermitted):
        make_power(agency, actor=staff)


def test_every_service_checks_the_actor(agency):
    power = make_power(agency)
    outsider = make_staff(make_agency("江州市水利局", level=AgencyLevel.DEPARTMENT), Role.OFFICE_HEAD)
    calls = [
        lambda: make_power(agency, "XK-002", actor=outsider),
        lambda: power_revise(
            power=power, effective_from=date(2025, 1, 1), values=fields(fees="1元"), actor=outsider
        ),
        lambda: decision_count_set(power=power, year=2024, count=1, actor=outsider),
    ]
    for call in calls:
        with pytest.raises(NotPermitted):
            call()
    assert power.versions.count() == 1 and not power.decision_counts.exists()


# --- audit -----------------------------------------------------------------------------------


def test_every_change_is_audited_with_before_and_after(agency):
    head = make_staff(agency, Role.OFFICE_HEAD)
    power = make_power(agency, actor=head)
    power_revise(power=power, effective_from=date(2025, 1, 1), values=fields(fees="每件10元"), actor=head)
    decision_count_set(power=power, year=2024, count=7, actor=head)
    decision_count_set(power=power, year=2024, count=9, actor=head)
    decision_count_set(power=power, year=2024, count=9, actor=head)  # no change, no event
    events = list(AuditEvent.objects.filter(actor=head).order_by("id"))
    assert [e.action for e in events] == [
        "power_create", "power_revise", "decision_count_set", "decision_count_set",
    ]  # fmt: skip
    created, revised, first, second = events
    assert created.after["code"] == "XK-001" and created.after["version"]["effective_from"] == "2024-01-01"
    assert revised.before["fees"] == "不收费" and revised.after["version"]["fees"] == "每件10元"
    assert (first.before, first.after["count"]) == (None, 7)
    assert (second.before["count"], second.after["count"]) == (7, 9)
    assert audit_verify() == []


def test_decision_counts_refuse_years_not_begun_and_negative_counts(agency):
    power = make_power(agency)
    with pytest.raises(PowerError, match="年度应在"):
        decision_count_set(power=power, year=2999, count=1, actor=None)
    with pytest.raises(PowerError, match="不小于0的整数"):
        decision_count_set(power=power, year=2024, count=-1, actor=None)
    assert not power.decision_counts.exists()
