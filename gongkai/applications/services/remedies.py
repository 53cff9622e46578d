"""Reconsiderations and lawsuits about a reply (remedy cases), recorded and decided."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from ..models import (
    Application,
    RemedyCase,
)
from .base import ApplicationError, _require, can_handle


@transaction.atomic
def remedy_case_record(
    *, application: Application, kind: str, filed_on: date, actor, decided_on=None, result="", note=""
) -> RemedyCase:
    _require(can_handle(actor, application.agency))
    if kind not in RemedyCase.Kind.values or (result and result not in RemedyCase.Result.values):
        raise ApplicationError(_("请选择案件类型和结果。"))
    case = RemedyCase.objects.create(
        agency=application.agency, application=application, kind=kind, filed_on=filed_on, decided_on=decided_on,
        result=result, note=note,
    )  # fmt: skip
    audit_record(actor=actor, action="remedy_case_record", obj=case, after={"kind": kind, "result": result})
    return case


@transaction.atomic
def remedy_case_update(
    *, case: RemedyCase, decided_on: date, result: str, actor, note: str = ""
) -> RemedyCase:
    """Record the result of a reconsideration or lawsuit when it is decided."""
    case = RemedyCase.objects.select_for_update().get(pk=case.pk)
    _require(can_handle(actor, case.agency))
    if result not in RemedyCase.Result.values or decided_on < case.filed_on:
        raise ApplicationError(_("请选择结果，结案日期不能早于立案日期。"))
    before = {"decided_on": str(case.decided_on) if case.decided_on else None, "result": case.result}
    case.decided_on, case.result = decided_on, result
    if note.strip():
        case.note = note.strip()
    case.save()
    audit_record(
        actor=actor,
        action="remedy_case_update",
        obj=case,
        before=before,
        after={"decided_on": str(decided_on), "result": result},
    )
    return case
