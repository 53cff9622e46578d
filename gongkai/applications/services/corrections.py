"""Correction (Art. 30), the Art. 35 request for reasons and later reply date, and papers added
to the file.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from .. import clock as clock_engine
from ..models import (
    Application,
    ApplicationFile,
    Letter,
)
from ..rules import ApplicationState
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _save, _snapshot, _transition, can_approve, can_handle
from .clock_bridge import _event
from .delivery import _notice_online_receipt
from .intake import _file_snapshot, _store_file
from .letters import letter_create


def late_correction_allowed() -> bool:
    """The deployment's choice (settings.GONGKAI_ALLOW_LATE_CORRECTION, default off): may a
    correction notice go out after the 7-working-day window, leaving the reply period as it is?"""
    return bool(getattr(settings, "GONGKAI_ALLOW_LATE_CORRECTION", False))


def correction_lateness(application: Application, on: date) -> str:
    """Empty when a correction notice sent on ``on`` is within the Art. 30 window; otherwise
    the reason, in Chinese, for the refusal or for the warning shown before sending."""
    try:
        state = clock_state(application, today=max(on, timezone.localdate()))
    except clock_engine.ClockError:
        return ""
    due = state.correction_notice_due_on
    if due is None or on <= due:
        return ""
    text = _(
        "补正告知应在收到申请之日起7个工作日内（%(due)s前）发出（《条例》第三十条）；逾期告知补正不能使答复期限"
        "重新计算。"
    ) % {"due": f"{due.year}年{due.month}月{due.day}日"}
    if late_correction_allowed():
        return text + _("本平台允许逾期告知：发出后答复期限不停止、不重新计算，仍为%(reply)s。") % {
            "reply": f"{state.reply_due_on:%Y-%m-%d}" if state.reply_due_on else _("原期限")
        }
    return text + _("本平台不允许逾期发出补正告知，请按现有材料依法答复。")


@transaction.atomic
def correction_request(
    *, application: Application, items: list[str], days: int, actor, on: date | None = None
) -> Letter:
    """Tell the applicant once, in writing, what to correct and by when (Art. 30)."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if not [i for i in items if i.strip()]:
        raise ApplicationError(_("请写明需要补正的事项。"))
    if application.clock_events.filter(kind=clock_engine.EventKind.CORRECTION_REQUESTED).exists():
        raise ApplicationError(_("补正只能告知一次（《条例》第三十条）。"))
    on = on or timezone.localdate()
    late = correction_lateness(application, on)
    if late and not late_correction_allowed():
        raise ApplicationError(late)
    before = _snapshot(application)
    if late:  # the reply period runs on: the application stays in hand, nothing restarts
        if application.state != ApplicationState.RECEIVED:
            _transition(application, "request_correction")  # the same refusal as in time
    else:
        application.state = _transition(application, "request_correction")
    _event(
        application,
        clock_engine.EventKind.CORRECTION_REQUESTED,
        on,
        actor=actor,
        days=days,
        basis="《条例》第三十条",
    )
    letter = letter_create(
        application=application, kind="correction", actor=actor, correction_items=[i.strip() for i in items if i.strip()],
        correction_days=days, correction_late=bool(late), due_on=application.reply_due_on if late else None,
    )  # fmt: skip
    _notice_online_receipt(application, letter)
    _save(application, actor, "correction_request", before)
    return letter


def _correction_arrives(application: Application) -> None:
    """The state change when a corrected application arrives: back to being handled, or, after
    a late notice (the application never left that state), nothing to change."""
    if application.state == ApplicationState.RECEIVED:
        try:
            outstanding = clock_state(application).correction_outstanding
        except clock_engine.ClockError:
            outstanding = False
        if outstanding:
            return
    application.state = _transition(application, "receive_correction")


@transaction.atomic
def correction_receive(*, application: Application, on: date, actor, description: str = "") -> Application:
    """The corrected application arrived: the reply period starts again from this day."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    before = _snapshot(application)
    _correction_arrives(application)
    if description.strip():
        application.description = description.strip()
    _event(application, clock_engine.EventKind.CORRECTION_RECEIVED, on, actor=actor, basis="《条例》第三十条")
    return _save(application, actor, "correction_receive", before)


@transaction.atomic
def correction_submit_by_applicant(
    *, application: Application, description: str, doc_no: str = ""
) -> Application:
    """The applicant sends the corrected application online (progress page, with the query
    code): received today, the reply period starts again (Art. 30)."""
    application = _lock(application)
    if not description.strip():
        raise ApplicationError(_("请填写补正后的申请内容。"))
    before = _snapshot(application)
    _correction_arrives(application)
    application.description = description.strip()[:4000]
    if doc_no.strip():
        application.doc_no = doc_no.strip()[:300]
    _event(
        application, clock_engine.EventKind.CORRECTION_RECEIVED, timezone.localdate(), actor=None,
        basis="《条例》第三十条", note="申请人在线提交补正",
    )  # fmt: skip
    return _save(application, None, "correction_submit_by_applicant", before)


@transaction.atomic
def excessive_reasons_request(*, application: Application, actor, on: date | None = None) -> Letter:
    """Art. 35: the number or frequency clearly exceeds a reasonable range; ask for reasons."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以要求说明理由。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.EXCESSIVE_REASONS_REQUESTED, on or timezone.localdate(), actor=actor,
           basis="《条例》第三十五条")  # fmt: skip
    letter = letter_create(application=application, kind="excessive_reasons", actor=actor)
    _save(application, actor, "excessive_reasons_request", before)
    return letter


@transaction.atomic
def excessive_later_date_set(
    *, application: Application, until: date, reason: str, actor, on: date | None = None
) -> Application:
    """Art. 35: the reasons given are sound, the request is large: set a reasonable later reply
    date (office head)."""
    application = _lock(application)
    _require(can_approve(actor, application.agency))
    if not application.clock_events.filter(kind=clock_engine.EventKind.EXCESSIVE_REASONS_REQUESTED).exists():
        raise ApplicationError(_("须先要求申请人说明理由（《条例》第三十五条）。"))
    if not reason.strip():
        raise ApplicationError(_("请写明确定延迟答复期限的理由。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.EXCESSIVE_LATER_DATE, on or timezone.localdate(), actor=actor,
           until=until, note=reason.strip(), basis="《条例》第三十五条")  # fmt: skip
    return _save(application, actor, "excessive_later_date_set", before)


@transaction.atomic
def application_file_add(
    *, application: Application, data, filename: str, kind: str, actor
) -> ApplicationFile:
    """Add the applicant's papers to the file (a scanned letter, a fax, an identity proof)."""
    _require(can_handle(actor, application.agency))
    if kind not in (ApplicationFile.Kind.IDENTITY_PROOF, ApplicationFile.Kind.OTHER):
        raise ApplicationError(_("请选择材料类型。"))
    row = _store_file(application, data=data, filename=filename, kind=kind)
    audit_record(actor=actor, action="application_file_add", obj=row, after=_file_snapshot(row))
    return row
