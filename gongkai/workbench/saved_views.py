"""Saved views of the agenda (issue 18 item 1: "saved views"): a person names the filters they
use every week (mine, overdue, a search) and finds them as links above the list. Only the
list's own filter keys are kept, each as the filter form cleans it; a view is its owner's alone.
The audit trail records the name, never the query (a search may hold a phone number)."""

from django.db import transaction
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongkai.core.audit import audit_record

from .models import SavedView

MAX_VIEWS = 20  # per person and list: a short menu, not a second list


class SavedViewError(Exception):
    """A view that cannot be saved or deleted, with the reason for the person."""


def saved_views(user, page: str) -> list[SavedView]:
    return list(SavedView.objects.filter(user=user, page=page))


def clean_query(data, keys: tuple[str, ...]) -> str:
    """The query string of the filters in ``keys`` that have a value, in that order."""
    return urlencode([(k, data[k]) for k in keys if data.get(k) not in (None, "", [])])


@transaction.atomic
def saved_view_save(*, user, page: str, name: str, query: str) -> SavedView:
    """Save (or, under a name already used, replace) the user's view of ``page``."""
    name = name.strip()
    if not name:
        raise SavedViewError(_("请填写视图名称。"))
    if not query:
        raise SavedViewError(_("当前没有筛选条件，无需保存。"))
    view = SavedView.objects.select_for_update().filter(user=user, page=page, name=name).first()
    if view is None:
        if SavedView.objects.filter(user=user, page=page).count() >= MAX_VIEWS:
            raise SavedViewError(_("最多保存 %(n)d 个视图，请先删除不用的。") % {"n": MAX_VIEWS})
        view = SavedView(user=user, page=page, name=name)
    view.query = query
    view.save()
    audit_record(actor=user, action="saved_view_save", obj=view, after={"page": page, "name": name})
    return view


@transaction.atomic
def saved_view_delete(*, user, pk: int) -> None:
    """Delete one of the user's own views; another's is not found."""
    view = SavedView.objects.select_for_update().filter(user=user, pk=pk).first()
    if view is None:
        raise SavedViewError(_("该视图不存在或已删除。"))
    audit_record(
        actor=user, action="saved_view_delete", obj=view, before={"page": view.page, "name": view.name}
    )
    view.delete()
