"""The rules of routing a case (交办/协办): the two kinds of task and the task's state machine.

A handler hands a case, or part of it, to a business division of the agency (交办) or to another
agency on the platform (协办) to search for the information and draft an answer by a deadline.
The answer comes back to the handler, who accepts it or returns it for more work; the handler
may withdraw a task that is no longer needed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    DIVISION = "division", _("交办（本机关业务科室）")
    AGENCY = "agency", _("协办（其他机关）")


class TaskState(models.TextChoices):
    OPEN = "open", _("办理中")
    ANSWERED = "answered", _("已答复待审核")
    RETURNED = "returned", _("已退回补充")
    ACCEPTED = "accepted", _("已采纳")
    WITHDRAWN = "withdrawn", _("已撤回")


# (state, event) -> next state. The assignee answers an open or returned task; the handler
# accepts or returns an answer, or withdraws the task before it is accepted.
TRANSITIONS = {
    (TaskState.OPEN, "answer"): TaskState.ANSWERED,
    (TaskState.RETURNED, "answer"): TaskState.ANSWERED,
    (TaskState.ANSWERED, "accept"): TaskState.ACCEPTED,
    (TaskState.ANSWERED, "return"): TaskState.RETURNED,
    (TaskState.OPEN, "withdraw"): TaskState.WITHDRAWN,
    (TaskState.ANSWERED, "withdraw"): TaskState.WITHDRAWN,
    (TaskState.RETURNED, "withdraw"): TaskState.WITHDRAWN,
}

# The states in which the assignee owes an answer: these have a deadline and can be overdue.
PENDING_STATES = (TaskState.OPEN, TaskState.RETURNED)
# The working days a task is given unless the handler says otherwise.
DEFAULT_DAYS = 5
MAX_DAYS = 20  # a task serves a reply due within 20 (+20) working days (Art. 33)


def next_state(state: str, event: str) -> str | None:
    return TRANSITIONS.get((state, event))
