"""Consultation of third parties and other agencies (Art. 32, 34) and the extension of the reply
period (Art. 33(2)).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from .. import clock as clock_engine
from ..models import (
    Application,
    ApplicationFile,
    Consultation,
    ConsultationOpinion,
    Letter,
)
from ..rules import ApplicationState
from ..selectors import clock_state
from .base import ApplicationError, _lock, _require, _save, _snapshot, can_approve, can_handle
from .clock_bridge import _event
from .intake import _file_snapshot, _store_file
from .letters import letter_create


@transaction.atomic
def consultation_start(
    *, application: Application, party: str, party_name: str, on: date, actor
) -> Consultation:
    """Consult a third party (Art. 32) or another agency (Art. 34); the time does not count."""
    application = _lock(application)
    _require(can_handle(actor, application.agency))
    if application.state != ApplicationState.RECEIVED:
        raise ApplicationError(_("只有办理中的申请可以征求意见。"))
    consultation = Consultation.objects.create(
        application=application, party=party, party_name=party_name.strip(), started_on=on
    )
    _event(
        application, clock_engine.EventKind.CONSULTATION_STARTED, on, actor=actor, ref=str(consultation.pk),
        basis="《条例》第三十二条" if party == Consultation.Party.THIRD_PARTY else "《条例》第三十四条",
    )  # fmt: skip
    consultation.answer_due_on = _answer_due(application, consultation)
    consultation.save(update_fields=["answer_due_on"])
    if party == Consultation.Party.THIRD_PARTY:
        letter_create(
            application=application, kind="third_party_request", actor=actor, third_party_name=party_name
        )
        letter_create(
            application=application,
            kind="third_party_applicant_notice",
            actor=actor,
            third_party_name=party_name,
        )
    else:
        letter_create(
            application=application, kind="agency_consultation", actor=actor, other_agency_name=party_name
        )
    _save(application, actor, "consultation_start", _snapshot(application))
    return consultation


def _answer_due(application: Application, consultation: Consultation) -> date | None:
    """The consulted party's answer deadline, whether the period is still running or over."""
    state, ref = clock_state(application), str(consultation.pk)
    return state.consultation_answers_due.get(ref) or state.consultations_lapsed.get(ref)


@transaction.atomic
def consultation_delivered(*, consultation: Consultation, on: date, actor) -> Consultation:
    """The consulted party received the request on ``on``: its 15 working days run from then
    (Art. 32); the pause ends by itself when they run out unanswered."""
    application = _lock(consultation.application)
    _require(can_handle(actor, application.agency))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on is not None or consultation.party_received_on is not None:
        raise ApplicationError(_("该征求意见已办结或已登记送达。"))
    if on < consultation.started_on or on > timezone.localdate():
        raise ApplicationError(_("送达日期不能早于发出日期，也不能晚于今天。"))
    before = _snapshot(application)
    _event(application, clock_engine.EventKind.CONSULTATION_DELIVERED, on, actor=actor,
           ref=str(consultation.pk), basis="《条例》第三十二条")  # fmt: skip
    consultation.party_received_on = on
    consultation.answer_due_on = _answer_due(application, consultation)
    consultation.save(update_fields=["party_received_on", "answer_due_on"])
    _save(application, actor, "consultation_delivered", before)
    return consultation


@transaction.atomic
def consultation_end(
    *, consultation: Consultation, on: date, answer: str, reasons: str = "", actor, opinion=None
) -> Consultation:
    """Record the consulted party's answer; ``opinion``, its written opinion's scan (an upload),
    is kept with the consultation (issue 18 item 3)."""
    application = _lock(consultation.application)
    _require(can_handle(actor, application.agency))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.answered_on is not None:
        raise ApplicationError(_("该征求意见已办结。"))
    if answer not in (Consultation.Answer.CONSENT, Consultation.Answer.REFUSE, Consultation.Answer.SILENT):
        raise ApplicationError(_("请选择征求意见的结果。"))
    consultation.answered_on, consultation.answer, consultation.reasons = on, answer, reasons.strip()
    consultation.save()
    if opinion is not None:
        _opinion_store(consultation, opinion, getattr(opinion, "name", ""), actor)
    _event(
        application,
        clock_engine.EventKind.CONSULTATION_ENDED,
        on,
        actor=actor,
        ref=str(consultation.pk),
        basis="《条例》第三十二条",
    )
    _save(application, actor, "consultation_end", _snapshot(application))
    return consultation


def _opinion_store(consultation: Consultation, data, filename: str, actor) -> ApplicationFile:
    row = _store_file(
        consultation.application, data=data, filename=filename, kind=ApplicationFile.Kind.OPINION
    )
    ConsultationOpinion.objects.create(consultation=consultation, file=row)
    audit_record(actor=actor, action="consultation_opinion_attach", obj=row,
                 after=_file_snapshot(row) | {"consultation": consultation.pk})  # fmt: skip
    return row


@transaction.atomic
def consultation_opinion_attach(*, consultation: Consultation, data, filename: str, actor) -> ApplicationFile:
    """Keep the consulted party's written opinion (书面意见) as a scan with its consultation."""
    application = _lock(consultation.application)
    _require(can_handle(actor, application.agency))
    return _opinion_store(consultation, data, filename, actor)


@transaction.atomic
def extension_grant(
    *, application: Application, days: int, reason: str, actor, on: date | None = None
) -> Letter:
    """Extend the reply period with the office head's consent (Art. 33(2)); the applicant is
    told in writing before the original deadline."""
    application = _lock(application)
    _require(can_approve(actor, application.agency))
    on = on or timezone.localdate()
    try:
        state = clock_state(application)
    except clock_engine.ClockError as exc:
        raise ApplicationError(str(exc)) from exc
    refusal = clock_engine.extension_allowed(state, days, on)
    if refusal:
        raise ApplicationError(refusal)
    before = _snapshot(application)
    _event(
        application,
        clock_engine.EventKind.EXTENDED,
        on,
        actor=actor,
        days=days,
        note=reason,
        basis="《条例》第三十三条第二款",
    )
    letter = letter_create(
        application=application, kind="extension", actor=actor, extension_days=days, new_due_on=application.reply_due_on,
        reasons=reason,
    )  # fmt: skip
    _save(application, actor, "extension_grant", before)
    return letter
