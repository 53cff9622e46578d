"""Projects owe their stages' disclosures; the owning agency records when the information was
formed and links the public document; the status, figures and reminders follow on read."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.catalogue.services import document_withdraw
from gongkai.core.models import AuditEvent
from gongkai.keyareas import selectors, services
from gongkai.keyareas.models import KeyArea
from gongkai.keyareas.reminders import obligation_line, obligations_due
from gongkai.keyareas.rules import Status

from .factories import make_procurement, make_world, publish_doc, stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_a_procurement_project_owes_its_five_disclosures(world):
    project = make_procurement(world)
    assert [o.item.code for o in project.obligations.order_by("sort_order")] == [
        "intention", "announcement", "documents", "result", "contract",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="keyareas.project_create", object_id=str(project.pk)).exists()


def test_only_the_owning_agencys_acting_staff_register_and_record(world):
    with pytest.raises(services.NotPermitted):
        make_procurement(world.__class__(**{**world.__dict__, "clerk": world.outsider}))
    project = make_procurement(world)
    for user in (world.outsider, world.supervisor):  # a supervisor above reads but does not act
        with pytest.raises(services.NotPermitted):
            services.obligation_occur(
                obligation=stage(project, "result"), occurred_on=date(2026, 3, 2), actor=user
            )


def test_the_result_is_due_two_working_days_after_it_is_determined(world):
    project = make_procurement(world)
    # Friday 2026-04-03 is before the Qingming holiday (4-4 .. 4-6 in the 2026 notice)
    ob = services.obligation_occur(
        obligation=stage(project, "result"), occurred_on=date(2026, 4, 3), actor=world.clerk
    )
    assert ob.due_on == date(2026, 4, 8) and not ob.due_provisional
    event = AuditEvent.objects.filter(action="keyareas.obligation_occur").latest("id")
    assert event.after["due_on"] == "2026-04-08"


def test_a_budget_is_due_twenty_calendar_days_after_approval(world):
    budget = services.project_create(
        agency=world.bureau,
        area=KeyArea.objects.get(code="budget"),
        fields=services.ProjectFields(number="2026", title="江州市教育局2026年部门预算和决算", year=2026),
        actor=world.clerk,
    )
    ob = services.obligation_occur(
        obligation=stage(budget, "dept-budget"), occurred_on=date(2026, 2, 20), actor=world.clerk
    )
    assert ob.due_on == date(2026, 3, 12)


def test_publishing_late_in_time_and_not_at_all(world):
    project = make_procurement(world)
    today = timezone.localdate()
    occurred = today - timedelta(days=60)
    for code in ("announcement", "result", "contract"):
        services.obligation_occur(obligation=stage(project, code), occurred_on=occurred, actor=world.clerk)
    on_time = publish_doc(world.bureau, "采购公告", occurred)
    late = publish_doc(world.bureau, "中标结果公告", occurred + timedelta(days=20))
    services.obligation_fulfil(obligation=stage(project, "announcement"), document=on_time, actor=world.clerk)
    services.obligation_fulfil(obligation=stage(project, "result"), document=late, actor=world.clerk)
    view = selectors.project_view(selectors.project_public(project.pk), today)
    assert {r.item.code: r.status for r in view.rows} == {
        "intention": Status.NOT_YET,
        "announcement": Status.IN_TIME,
        "documents": Status.NOT_YET,
        "result": Status.LATE,
        "contract": Status.MISSING,
    }
    figures = selectors.keyarea_figures(
        agencies=world.city.__class__.objects.filter(pk=world.bureau.pk), today=today
    )
    assert (figures.due, figures.in_time, figures.late, figures.missing, figures.rate) == (3, 1, 1, 1, 0.3333)
    overdue = selectors.overdue_obligations(world.city.__class__.objects.all(), today=today)
    assert [r.item.code for r in overdue] == ["contract"]


def test_a_withdrawn_document_no_longer_fulfils(world):
    project = make_procurement(world)
    occurred = timezone.localdate() - timedelta(days=30)
    services.obligation_occur(obligation=stage(project, "contract"), occurred_on=occurred, actor=world.clerk)
    doc = publish_doc(world.bureau, "采购合同", occurred)
    services.obligation_fulfil(obligation=stage(project, "contract"), document=doc, actor=world.clerk)
    document_withdraw(document=doc, reason="误发", actor=None)
    row = selectors.obligation_row(stage(project, "contract"), timezone.localdate())
    assert row.status == Status.MISSING and row.document is None


def test_only_the_agencys_own_public_documents_fulfil(world):
    project = make_procurement(world)
    services.obligation_occur(
        obligation=stage(project, "result"), occurred_on=date(2026, 3, 2), actor=world.clerk
    )
    other = publish_doc(world.city, "市政府的文件", date(2026, 3, 3))
    with pytest.raises(services.KeyAreaError, match="本机关"):
        services.obligation_fulfil(obligation=stage(project, "result"), document=other, actor=world.clerk)


def test_a_document_cannot_be_linked_before_the_date_is_recorded(world):
    project = make_procurement(world)
    doc = publish_doc(world.bureau, "采购意向公开", date(2026, 3, 3))
    with pytest.raises(services.KeyAreaError, match="先登记"):
        services.obligation_fulfil(obligation=stage(project, "intention"), document=doc, actor=world.clerk)


def test_compliance_per_agency_and_area_and_the_reminders(world):
    project = make_procurement(world)
    today = timezone.localdate()
    services.obligation_occur(
        obligation=stage(project, "contract"), occurred_on=today - timedelta(days=30), actor=world.clerk
    )
    services.obligation_occur(obligation=stage(project, "announcement"), occurred_on=today, actor=world.clerk)
    rows = selectors.compliance(world.city.__class__.objects.all(), today=today)
    assert [(r.agency, r.area.code, r.figures.missing, r.figures.open) for r in rows] == [
        (world.bureau, "procurement", 1, 1)
    ]
    due = obligations_due(days=3, today=today)
    assert [r.item.code for r in due[world.clerk.pk]] == ["contract", "announcement"]
    assert world.supervisor.pk not in due and world.outsider.pk not in due
    assert "已逾期" in obligation_line(due[world.clerk.pk][0])


def test_the_same_number_twice_is_refused(world):
    make_procurement(world)
    with pytest.raises(services.KeyAreaError, match="已登记"):
        make_procurement(world)
