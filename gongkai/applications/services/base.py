"""Errors, permissions and the plumbing every application service shares (the lock, the state
step, the audit snapshot and the versioned save; gongkai.core.services underneath).
"""

from django.db.models import F
from django.utils.translation import gettext as _

from gongkai.agencies.access import roles_at
from gongkai.agencies.models import Agency, Role
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from ..models import Application, CaseFiling
from ..rules import ADVERSE, Outcome, next_state


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
    locked = core_services.lock(
        application,
        expected_version,
        error=Conflict,
        message=_("该申请已被他人处理或修改，请刷新页面后查看最新状态。"),
    )
    # A filed case (归档, services/filing.py) is read-only; only its remedy records, which
    # take no lock on the application, are added later.
    if CaseFiling.objects.filter(application_id=locked.pk).exists():
        raise ApplicationError(_("该申请已归档，案卷不能再修改（复议诉讼记录除外）。"))
    return locked


SNAPSHOT_FIELDS = ("state", "received_on", "reply_due_on", "outcome")


def _snapshot(a: Application) -> dict:
    return core_services.snapshot(a, SNAPSHOT_FIELDS)


def _save(application: Application, actor, action: str, before: dict) -> Application:
    application.version = F("version") + 1
    application.save()
    application.refresh_from_db()
    audit_record(actor=actor, action=action, obj=application, before=before, after=_snapshot(application))
    return application


def check_outcome_grounds(outcome: str, reasons: str, withheld_parts, other_agency: str) -> None:
    """What an outcome must state, for a whole reply (decisions) and for each item of a split
    one (items): an adverse outcome its reasons, a partial disclosure what it withholds (Art. 37),
    information held by another agency that agency unless the reasons say none holds it."""
    if outcome in ADVERSE and not reasons.strip():
        raise ApplicationError(_("不予公开、部分公开、无法提供或不予处理的，须说明理由。"))
    if outcome == Outcome.PARTIALLY_DISCLOSED and not withheld_parts:
        raise ApplicationError(_("部分公开须列明不予公开的部分及理由（《条例》第三十七条）。"))
    if outcome == Outcome.UNAVAILABLE_NOT_HELD and not other_agency.strip() and "不掌握" not in reasons:
        raise ApplicationError(
            _("能够确定负责公开该信息的机关的，须告知其名称和联系方式（《条例》第三十六条第五项）。")
        )
