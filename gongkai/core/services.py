"""The plumbing every domain service shares (STYLE.md, habit 3): the two refusals every app
knows, the permission check, the state-machine step, the row lock with its version check and
the audit snapshot.

Each app keeps its own error classes (``ApplicationError``, ``PublishingError``, ...) with
``NotPermitted`` and ``Conflict`` subclassing both the app's base and the ones here, so
``except publishing.services.NotPermitted`` keeps working and a presentation layer may catch
every app's refusal at once (``except gongkai.core.services.NotPermitted``).
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.utils.translation import gettext as _

from .query_codes import query_code_check, query_code_miss


class NotPermitted(Exception):
    """The actor may not do this (a view answers 403)."""


class Conflict(Exception):
    """Someone else acted first: the row changed since the form was shown (a view answers 409)."""


def require(allowed: bool, error: type[Exception] = NotPermitted, message: str | None = None) -> None:
    """Refuse with ``error`` (the app's own ``NotPermitted``) unless ``allowed``."""
    if not allowed:
        raise error(message if message is not None else _("您没有办理此事项的权限。"))


def transition(obj, machine: Callable[[str, str], str | None], event: str, error: type[Exception]) -> str:
    """The state ``obj`` reaches by ``event`` under ``machine`` (the app's ``next_state``), or
    ``error`` naming the current state when the machine does not allow it."""
    state = machine(obj.state, event)
    if state is None:
        raise error(_("当前状态为“%(state)s”，不能进行此操作。") % {"state": obj.get_state_display()})
    return state


def lock(
    obj,
    expected_version: int | None = None,
    *,
    error: type[Exception] = Conflict,
    message: str | None = None,
    related: Iterable[str] = (),
):
    """Re-read ``obj`` under a row lock (inside the caller's transaction); refuse with ``error``
    when its ``version`` is no longer the one the form was shown at."""
    query = type(obj).objects.select_for_update()
    if related:
        query = query.select_related(*related)
    locked = query.get(pk=obj.pk)
    if expected_version is not None and locked.version != expected_version:
        raise error(
            message if message is not None else _("该事项已被他人处理或修改，请刷新页面后查看最新状态。")
        )
    return locked


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return dict(value)
    return value


def snapshot(obj, fields: Iterable[str | tuple[str, str]]) -> dict:
    """What the audit trail records of ``obj``: each field by name (or ``(key, attribute)``),
    dates as ISO text, dictionaries copied."""
    out = {}
    for field in fields:
        key, attribute = field if isinstance(field, tuple) else (field, field)
        out[key] = _plain(getattr(obj, attribute))
    return out


def row_for_query_code(row, query_code: str):
    """``row`` (an application or complaint found by its tracking number, or None) when
    ``query_code`` is its code, else None: the same answer and the same work for a wrong number
    as for a wrong code (timing says nothing). A hash from before the keyed HMAC is upgraded."""
    if row is None:
        query_code_miss(query_code)
        return None
    checked = query_code_check(query_code, row.query_code_hash)
    if not checked.matches:
        return None
    if checked.upgrade:
        type(row).objects.filter(pk=row.pk, query_code_hash=row.query_code_hash).update(
            query_code_hash=checked.upgrade
        )
        row.query_code_hash = checked.upgrade
    return row
