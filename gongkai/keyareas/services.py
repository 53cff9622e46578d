"""State changes of key-area disclosure: one entry point each (STYLE.md, habit 3).

Each service checks the actor through gongkai/agencies/access.py, checks the state, writes and
audits in one transaction. "谁批准、谁公开，谁实施、谁公开，谁制作、谁公开": the agency that owns a
project records its facts and links the documents it published; its clerks, office heads and
administrators act, supervisors above it read (selectors.py). The catalogue itself is
platform-wide: superusers load it (or the migration and the command, with no actor).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency, Role
from gongkai.catalogue.models import Document
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record
from gongkai.core.calendar_store import workday_add

from . import catalogue_file
from . import models as m
from .models import KeyArea, Obligation, Project
from .rules import Due, DueUnit, due_date

# Roles of the owning agency that register projects, record facts and link documents.
ACTING_ROLES = (Role.CLERK, Role.OFFICE_HEAD, Role.ADMINISTRATOR)


class KeyAreaError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(KeyAreaError, core_services.NotPermitted):
    pass


def can_act(user, agency: Agency) -> bool:
    """Register projects of ``agency``, record their facts and link their documents."""
    return has_role(user, agency, *ACTING_ROLES)


def _require(user, agency: Agency) -> None:
    core_services.require(
        can_act(user, agency), NotPermitted, _("您没有为该机关办理重点领域信息公开的权限。")
    )


def obligation_due(*, unit: str, n: int, occurred_on: date) -> Due:
    """The due date of an item formed on ``occurred_on``, on the platform calendar."""

    def add(start: date, days: int) -> tuple[date, bool]:
        result = workday_add(start, days)
        return result.date, result.provisional

    return due_date(unit=unit, n=n, occurred_on=occurred_on, add_workdays=add)


# --- the catalogue -----------------------------------------------------------------------------


def keyareas_import(*, text: str | bytes, actor) -> catalogue_file.WriteResult:
    """Load a catalogue file (docs/keyareas.md); a version already loaded is left alone.
    ``actor`` None is the command line; a signed-in actor must be a superuser."""
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotPermitted(_("只有系统管理员可以载入重点领域目录。"))
    areas = catalogue_file.parse_catalogue(text)
    with transaction.atomic():
        label = actor.get_username() if actor is not None else "command"
        result = catalogue_file.write_catalogue(areas, models=m, loaded_by=label, now=timezone.now())
        for area in KeyArea.objects.filter(code__in=result.created + result.updated):
            audit_record(
                actor=actor,
                action="keyareas.catalogue_load",
                obj=area,
                after={"version": area.version, "items": area.items.filter(retired=False).count()},
            )
    return result


# --- projects ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFields:
    number: str
    title: str
    year: int | None = None
    budget_amount: Decimal | None = None
    summary: str = ""


@transaction.atomic
def project_create(*, agency: Agency, area: KeyArea, fields: ProjectFields, actor) -> Project:
    """Register a record of ``area`` for ``agency``; it owes one disclosure per stage item."""
    _require(actor, agency)
    if not area.record_kind:
        raise KeyAreaError(_("该重点领域没有结构化记录。"))
    number, title = fields.number.strip(), fields.title.strip()
    if not number or not title:
        raise KeyAreaError(_("请填写项目编号和项目名称。"))
    if Project.objects.filter(agency=agency, area=area, number=number).exists():
        raise KeyAreaError(_("本机关已登记编号为“%(number)s”的项目。") % {"number": number})
    if fields.budget_amount is not None and fields.budget_amount < 0:
        raise KeyAreaError(_("预算金额不能为负数。"))
    project = Project.objects.create(
        area=area,
        agency=agency,
        number=number,
        title=title,
        year=fields.year,
        budget_amount=fields.budget_amount,
        summary=fields.summary.strip(),
        created_by=actor,
    )
    stages = area.items.filter(is_stage=True, retired=False).order_by("sort_order")
    Obligation.objects.bulk_create(
        Obligation(project=project, item=item, sort_order=item.sort_order) for item in stages
    )
    audit_record(
        actor=actor,
        action="keyareas.project_create",
        obj=project,
        after={"area": area.code, "agency": agency.code, "number": number, "title": title},
    )
    return project


def _snapshot(obligation: Obligation) -> dict:
    return {
        "item": obligation.item.code,
        **core_services.snapshot(obligation, ("occurred_on", "due_on")),
        "document": obligation.document.index_no if obligation.document_id else None,
    }


def _locked(obligation: Obligation) -> Obligation:
    """The obligation's row alone is locked (its project, item and document are read as needed:
    the document is the nullable side of an outer join, which a row lock cannot cover)."""
    return core_services.lock(obligation)


@transaction.atomic
def obligation_occur(*, obligation: Obligation, occurred_on: date, actor) -> Obligation:
    """Record the day the item's information was formed or changed (批准, 签订, 确定 ...), or for
    a deadline counted back, the planned day; the due date is computed now, on the calendar as
    loaded, and stored."""
    obligation = _locked(obligation)
    _require(actor, obligation.project.agency)
    # A deadline counted back from a planned day (the procurement intention, 30 days before the
    # procurement starts) takes a future day; any other information exists once it is formed.
    if occurred_on > timezone.localdate() and obligation.item.due_unit != DueUnit.DAYS_BEFORE:
        raise KeyAreaError(_("信息形成或变更日期不能晚于今天。"))
    before = _snapshot(obligation)
    due = obligation_due(unit=obligation.item.due_unit, n=obligation.item.due_n, occurred_on=occurred_on)
    obligation.occurred_on, obligation.due_on, obligation.due_provisional = (
        occurred_on,
        due.on,
        due.provisional,
    )
    obligation.save(update_fields=["occurred_on", "due_on", "due_provisional"])
    audit_record(
        actor=actor,
        action="keyareas.obligation_occur",
        obj=obligation,
        before=before,
        after=_snapshot(obligation),
    )
    return obligation


@transaction.atomic
def obligation_fulfil(*, obligation: Obligation, document: Document, actor) -> Obligation:
    """Link the public catalogue document that discloses the item; it was disclosed on the
    document's publication date. Only the owning agency's own public documents fulfil."""
    obligation = _locked(obligation)
    _require(actor, obligation.project.agency)
    if obligation.occurred_on is None:
        raise KeyAreaError(_("请先登记信息形成或变更日期。"))
    if not Document.objects.public().filter(pk=document.pk).exists():
        raise KeyAreaError(_("只能关联已公开的政府信息。"))
    if document.agency_id != obligation.project.agency_id:
        raise KeyAreaError(_("只能关联本机关公开的政府信息。"))
    before = _snapshot(obligation)
    obligation.document = document
    obligation.save(update_fields=["document"])
    audit_record(
        actor=actor,
        action="keyareas.obligation_fulfil",
        obj=obligation,
        before=before,
        after=_snapshot(obligation),
    )
    return obligation


@transaction.atomic
def obligation_unlink(*, obligation: Obligation, actor) -> Obligation:
    """Undo a wrong link: the item is owed again."""
    obligation = _locked(obligation)
    _require(actor, obligation.project.agency)
    before = _snapshot(obligation)
    obligation.document = None
    obligation.save(update_fields=["document"])
    audit_record(
        actor=actor,
        action="keyareas.obligation_unlink",
        obj=obligation,
        before=before,
        after=_snapshot(obligation),
    )
    return obligation
