"""Errors, permissions and the plumbing every application service shares (the lock, the state
step, the audit snapshot and the versioned save; gongkai.core.services underneath).
"""

from django.db.models import F
from django.utils.translation import gettext as _

from gongkai.agencies.access import roles_at
from gongkai.agencies.models import Agency, Role
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from ..models import Application
from ..rules import next_state


class ApplicationError(Exception):
    """A refusal with a message for the person who asked."""


class NotPermitted(ApplicationError, core_services.NotPermitted):
    pass


class Conflict(ApplicationError, core_services.Conflict):
    pass


class RateLimited(ApplicationError):
    pass


# --- permissions ----------------------------------------------------------------------------


def _roles(user, agency: Agency) -> set[str]:
    return roles_at(user, agency)


def can_handle(user, agency: Agency) -> bool:
    """Register, confirm, ask for corrections, consult, send notices, draft decisions."""
    return bool({Role.CLERK, Role.OFFICE_HEAD} & _roles(user, agency))


def can_approve(user, agency: Agency) -> bool:
    """Extensions and fee waivers need the head of the disclosure office (Art. 33, fees.md)."""
    return Role.OFFICE_HEAD in _roles(user, agency)


def _require(allowed: bool) -> None:
    core_services.require(allowed, NotPermitted)


def _transition(application: Application, event: str) -> str:
    return core_services.transition(application, next_state, event, ApplicationError)


def _lock(application: Application, expected_version: int | None = None) -> Application:
    return core_services.lock(
        application,
        expected_version,
        error=Conflict,
        message=_("该申请已被他人处理或修改，请刷新页面后查看最新状态。"),
    )


SNAPSHOT_FIELDS = ("state", "received_on", "reply_due_on", "outcome")


def _snapshot(a: Application) -> dict:
    return core_services.snapshot(a, SNAPSHOT_FIELDS)


def _save(application: Application, actor, action: str, before: dict) -> Application:
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db()
    audit_record(actor=actor, action=action, obj=application, before=before, after=_snapshot(application))
    return application
