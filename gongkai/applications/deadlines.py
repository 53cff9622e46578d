"""Reads: every deadline an open application holds, from the statutory clock (clock.py via
selectors.clock_state) and the letters not yet delivered. The workbench agenda composes these
with the other apps' deadlines (gongkai/workbench/agenda.py); nothing here writes."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Application, Consultation, Letter
from .rules import ApplicationState, LetterStatus
from .selectors import clock_state


class DeadlineKind(models.TextChoices):
    REPLY = "reply", _("答复期限")
    CORRECTION_NOTICE = "correction_notice", _("补正告知期限（7个工作日）")
    APPLICANT_CORRECTION = "applicant_correction", _("申请人补正期限")
    FEE_PAYMENT = "fee_payment", _("申请人缴费期限")
    CONSULTATION = "consultation", _("征求意见答复期限")
    EXTENSION_NOTICE = "extension_notice", _("延期告知送达期限")
    UNDELIVERED = "undelivered", _("已决定待送达")


# Deadlines that only say by when an optional step may still be taken: once past they are gone,
# not overdue (a correction notice after the 7 days is allowed, the reply period just runs on).
OPTIONAL_KINDS = frozenset({DeadlineKind.CORRECTION_NOTICE})
# Deadlines that run against the applicant or a third party, not the office.
OTHERS_KINDS = frozenset(
    {DeadlineKind.APPLICANT_CORRECTION, DeadlineKind.FEE_PAYMENT, DeadlineKind.CONSULTATION}
)


@dataclass(frozen=True)
class Deadline:
    on: date
    kind: str
    application: Application
    detail: str = ""

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)


HANDLED_STATES = (ApplicationState.RECEIVED, ApplicationState.AWAITING_CORRECTION)


def with_deadline_facts(applications: models.QuerySet) -> models.QuerySet:
    """The open applications of ``applications`` with what their deadlines are read from, in a
    fixed number of queries."""
    return applications.filter(state__in=(*HANDLED_STATES, ApplicationState.DECIDED)).prefetch_related(
        "clock_events",
        Prefetch(
            "consultations",
            queryset=Consultation.objects.filter(answer=Consultation.Answer.PENDING),
            to_attr="pending_consultations",
        ),
        Prefetch(
            "letters",
            queryset=Letter.objects.filter(superseded_by__isnull=True)
            .exclude(status=LetterStatus.VOID)
            .prefetch_related("deliveries"),
            to_attr="current_letters",
        ),
    )


def _undelivered(application: Application, kind: str | None = None, *, drafts: bool = True) -> list[Letter]:
    """Letters not yet delivered; drafts (awaiting sign-off, issue 18 item 2) only if ``drafts``."""
    return [
        letter
        for letter in application.current_letters
        if (kind is None or letter.kind == kind)
        and (drafts or letter.status == LetterStatus.SIGNED)
        and not letter.deliveries.all()
    ]


def deadlines_of(application: Application, today: date) -> list[Deadline]:
    """The deadlines of one application prepared by :func:`with_deadline_facts`."""
    out: list[Deadline] = []
    if application.state == ApplicationState.DECIDED:
        letters = _undelivered(application)
        if letters:
            on = application.reply_due_on or application.decided_on or today
            titles = "、".join(
                letter.title
                + (f"（{LetterStatus.DRAFT.label}）" if letter.status == LetterStatus.DRAFT else "")
                for letter in letters
            )
            out.append(Deadline(on, DeadlineKind.UNDELIVERED, application, titles))
        return out
    if application.state not in HANDLED_STATES:
        return out
    state = clock_state(application, today=today)
    if state.reply_due_on and not state.paused:
        out.append(Deadline(state.reply_due_on, DeadlineKind.REPLY, application))
    if state.correction_notice_due_on and state.correction_notice_due_on >= today:
        out.append(Deadline(state.correction_notice_due_on, DeadlineKind.CORRECTION_NOTICE, application))
    if state.correction_due_on:
        out.append(Deadline(state.correction_due_on, DeadlineKind.APPLICANT_CORRECTION, application))
    if state.fee_payment_due_on:
        out.append(Deadline(state.fee_payment_due_on, DeadlineKind.FEE_PAYMENT, application))
    names = {str(c.pk): c.party_name for c in application.pending_consultations}
    for ref, on in sorted(state.consultation_answers_due.items(), key=lambda kv: kv[1]):
        out.append(Deadline(on, DeadlineKind.CONSULTATION, application, names.get(ref, "")))
    if state.original_due_on and _undelivered(application, "extension", drafts=False):
        # An extension must reach the applicant before the original reply date (Art. 33).
        out.append(Deadline(state.original_due_on, DeadlineKind.EXTENSION_NOTICE, application))
    return out


def application_deadlines(applications: models.QuerySet, today: date) -> list[Deadline]:
    """Every deadline of the open applications of ``applications``, earliest first."""
    out: list[Deadline] = []
    for application in with_deadline_facts(applications):
        out.extend(deadlines_of(application, today))
    out.sort(key=lambda d: (d.on, d.application.pk))
    return out
