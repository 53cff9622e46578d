"""Questions answered in public as data and pure functions: the answer period of 网上咨询 (set
by the deployment), the phases of an online interview (在线访谈) and the responses to a topic
proposal (点题公开). No database access here."""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# No statute sets a period for answering an online question; local rules do (commonly 5
# working days). The deployment sets it; the default is that common figure.
DEFAULT_ANSWER_WORKDAYS = 5
# A topic proposal is answered within the same kind of local period.
DEFAULT_PROPOSAL_WORKDAYS = 10


def answer_workdays() -> int:
    """Working days the agency has to answer a question, after the day it was asked."""
    return int(getattr(settings, "GONGKAI_QUESTION_ANSWER_WORKDAYS", DEFAULT_ANSWER_WORKDAYS))


def proposal_workdays() -> int:
    return int(getattr(settings, "GONGKAI_PROPOSAL_RESPONSE_WORKDAYS", DEFAULT_PROPOSAL_WORKDAYS))


class QuestionState(models.TextChoices):
    RECEIVED = "received", _("待答复")
    ANSWERED = "answered", _("已答复")


QUESTION_TRANSITIONS = {
    (QuestionState.RECEIVED, "answer"): QuestionState.ANSWERED,
    (QuestionState.ANSWERED, "answer"): QuestionState.ANSWERED,  # a corrected answer
}


def next_question_state(state: str, event: str) -> str | None:
    return QUESTION_TRANSITIONS.get((state, event))


def is_overdue(*, answered: bool, due_on: date, today: date) -> bool:
    """Unanswered after the answer date (derived on read, never stored)."""
    return not answered and due_on < today


class InterviewPhase(models.TextChoices):
    UPCOMING = "upcoming", _("预告")
    LIVE = "live", _("正在访谈")
    ENDED = "ended", _("已结束，待公开文字实录")
    PUBLISHED = "published", _("已公开文字实录")


def interview_phase(
    *, starts_at: datetime, ends_at: datetime, transcript_published: bool, now: datetime
) -> str:
    if transcript_published:
        return InterviewPhase.PUBLISHED
    if now < starts_at:
        return InterviewPhase.UPCOMING
    if now <= ends_at:
        return InterviewPhase.LIVE
    return InterviewPhase.ENDED


def takes_questions(phase: str) -> bool:
    """Questions are collected from the announcement until the interview ends."""
    return phase in (InterviewPhase.UPCOMING, InterviewPhase.LIVE)


class ProposalResponse(models.TextChoices):
    """The office's public answer to a topic proposed for disclosure (点题公开)."""

    WILL_PUBLISH = "will_publish", _("将予公开")
    ALREADY_PUBLIC = "already_public", _("已经公开")
    CANNOT = "cannot", _("不能公开")


def response_problem(kind: str, *, text: str, publish_by: date | None, link: str, today: date) -> str | None:
    """What a response lacks: a date for 将予公开, a link for 已经公开, the reason for 不能公开."""
    if kind not in ProposalResponse.values:
        return str(_("请选择答复类型。"))
    if kind == ProposalResponse.WILL_PUBLISH and (publish_by is None or publish_by < today):
        return str(_("将予公开的，请填写不早于今天的公开日期。"))
    if kind == ProposalResponse.ALREADY_PUBLIC and not link.strip():
        return str(_("已经公开的，请填写公开的网址。"))
    if kind == ProposalResponse.CANNOT and not text.strip():
        return str(_("不能公开的，须说明理由。"))
    return None
