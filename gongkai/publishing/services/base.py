"""Errors and the plumbing every publishing service shares: the permission check, the state step,
the row lock with its version check, the audit snapshot and the versioned save
(gongkai.core.services underneath), and how a refusal names an attachment.
"""

from django.utils.translation import gettext as _

from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from ..models import Submission
from ..rules import next_state


class PublishingError(Exception):
    """A refusal with a message for the person who asked (Chinese, says what to do)."""


class NotPermitted(PublishingError, core_services.NotPermitted):
    pass


class Conflict(PublishingError, core_services.Conflict):
    """Someone else acted first (two reviewers on one step): reload and look again."""


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def _transition(submission: Submission, event: str) -> str:
    return core_services.transition(submission, next_state, event, PublishingError)


def _lock(submission: Submission, expected_version: int | None) -> Submission:
    """Re-read the submission under a row lock; refuse when it changed since the form was shown."""
    return core_services.lock(submission, expected_version, error=Conflict)


SNAPSHOT_FIELDS = ("state", "step", "round", "due_at", "publish_at", "payload")


def _snapshot(s: Submission) -> dict:
    return core_services.snapshot(s, SNAPSHOT_FIELDS)


def _save(submission: Submission, actor, action: str, before: dict) -> Submission:
    submission.version += 1
    submission.save()
    audit_record(actor=actor, action=action, obj=submission, before=before, after=_snapshot(submission))
    return submission


def _attachment_label(attachment) -> str:
    """How a refusal names an attachment without quoting its title (which may itself hold
    what is being protected): by its place in the list."""
    ids = list(attachment.document.attachments.order_by("sort_order", "pk").values_list("pk", flat=True))
    number = ids.index(attachment.pk) + 1 if attachment.pk in ids else 0
    return _("第 %(n)d 个附件") % {"n": number} if number else _("附件")
