"""Complaints (举报/投诉) and suggestions (意见建议) as data (regulation.md, "Remedies and
supervision"): the kinds, the states and their transitions, and the answer period."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Regulation sets no period for answering a complaint (Art. 51 only says it must be
# investigated and handled): the local rule decides, so the period is a setting, in working days.
DEFAULT_ANSWER_WORKDAYS = 15


def answer_workdays() -> int:
    """Working days the routed agency has to answer, after the day of receipt."""
    return int(getattr(settings, "GONGKAI_COMPLAINT_ANSWER_WORKDAYS", DEFAULT_ANSWER_WORKDAYS))


class Kind(models.TextChoices):
    # Art. 51: a complaint that an agency fails its disclosure duties, to the upper agency or
    # the competent authority. A suggestion is about the agency's disclosure work and goes to it.
    COMPLAINT = "complaint", _("举报投诉")
    SUGGESTION = "suggestion", _("意见建议")


class State(models.TextChoices):
    RECEIVED = "received", _("已收到")
    INVESTIGATING = "investigating", _("调查处理中")
    ANSWERED = "answered", _("已答复")


TRANSITIONS = {
    (State.RECEIVED, "investigate"): State.INVESTIGATING,
    (State.INVESTIGATING, "answer"): State.ANSWERED,
}
# A suggestion may be answered without an investigation; a complaint must be investigated
# first (Art. 51: "应当予以调查处理").
SHORTCUTS = {
    (Kind.SUGGESTION, State.RECEIVED, "answer"): State.ANSWERED,
}
OPEN_STATES = (State.RECEIVED, State.INVESTIGATING)


def next_state(kind: str, state: str, event: str) -> str | None:
    """The state after ``event``, or None when the event is not allowed now."""
    return TRANSITIONS.get((state, event)) or SHORTCUTS.get((kind, state, event))
