"""Handling the file: closing a lapsed application, merging a duplicate, assigning and linking."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from ..models import Application
from ..rules import ABANDONMENT_OUTCOME
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _save, _snapshot, _transition, can_handle
from .filing import file_on_close


@transaction.atomic
def application_abandon(*, application: Application, actor=None, today: date | None = None) -> Application:
    """Close an application the applicant let lapse (no correction, fee unpaid) once the clock
    says their time ran out; run daily by `gongkai remind`."""
    application = _lock(application)
    if actor is not None:
        _require(can_handle(actor, application.agency))
    state = clock_state(application, today=today)
    if state.abandoned is None:
        raise ApplicationError(_("申请人的期限尚未届满。"))
    before = _snapshot(application)
    application.state = _transition(application, "abandon")
    application.outcome = ABANDONMENT_OUTCOME[state.abandoned]
    application.closed_on = today or timezone.localdate()
    application = _save(application, actor, "application_abandon", before)
    file_on_close(application, actor)  # closing files the case (issue 18 item 6)
    return application


@transaction.atomic
def application_merge(*, duplicate: Application, into: Application, actor) -> Application:
    """Merge a duplicate into the application that is handled (the duplicate is kept, linked)."""
    duplicate = _lock(duplicate)
    _require(
        can_handle(actor, duplicate.agency)
        and into.agency_id == duplicate.agency_id
        and into.pk != duplicate.pk
    )
    before = _snapshot(duplicate)
    duplicate.state = _transition(duplicate, "merge")
    duplicate.merged_into = into
    return _save(duplicate, actor, "application_merge", before)


@transaction.atomic
def application_assign(*, application: Application, assignee, actor) -> Application:
    """Give the application to a clerk (or the office head) of the same agency."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if not can_handle(assignee, application.agency):
        raise ApplicationError(_("只能交由本机关的经办人或公开办负责人承办。"))
    before = _snapshot(application) | {"assigned_to": application.assigned_to_id}
    application.assigned_to = assignee
    return _save(application, actor, "application_assign", before)


@transaction.atomic
def applications_assign(*, applications, assignee, actor) -> list[Application]:
    """Give several applications to one handler from the list: all or none (each checked and
    audited as :func:`application_assign` does)."""
    applications = list(applications)
    if not applications:
        raise ApplicationError(_("请至少选择一件申请。"))
    return [application_assign(application=a, assignee=assignee, actor=actor) for a in applications]


@transaction.atomic
def application_link(*, application: Application, other: Application, actor) -> None:
    """Link an applicant's earlier application (both pages list the other)."""
    _require(can_handle(actor, application.agency) and other.agency_id == application.agency_id)
    if other.pk == application.pk:
        raise ApplicationError(_("不能关联自身。"))
    application.related.add(other)
    audit_record(actor=actor, action="application_link", obj=application, after={"related": other.pk})
