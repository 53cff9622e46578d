"""The agenda page (期限日程): every deadline in the user's scope by date, with "mine", search,
overdue, a week view and the person's saved views (workbench/agenda.py composes what the apps
say is due; workbench/saved_views.py keeps the views)."""

from datetime import timedelta

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required

from .. import agenda
from ..forms import DateInput
from ..models import SavedView
from ..saved_views import SavedViewError, clean_query, saved_view_delete, saved_view_save, saved_views
from .common import page, run_form


class AgendaFilterForm(forms.Form):
    """Filters of the agenda; a value that does not parse is ignored."""

    q = forms.CharField(label=_("申请内容、编号、申请人或电话"), required=False, max_length=100)
    week = forms.DateField(label=_("按周查看（任选该周一天）"), required=False, widget=DateInput)
    mine = forms.BooleanField(label=_("仅看我承办的"), required=False)
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)


FILTER_KEYS = ("q", "week", "mine", "overdue")


class SavedViewForm(forms.Form):
    """The name of the current filters, sent with them (hidden fields of the filter keys)."""

    name = forms.CharField(label=_("视图名称"), max_length=40, help_text=_("例如：本周我的补正期限"))


def _current_query(data) -> str:
    """The filters of ``data`` as the filter form accepts them, raw values kept."""
    form = AgendaFilterForm(data)
    form.is_valid()
    return clean_query({k: data.get(k) for k in FILTER_KEYS if form.cleaned_data.get(k)}, FILTER_KEYS)


@require_http_methods(["GET", "HEAD"])
@staff_required
def agenda_view(request):
    return _agenda_page(request, request.GET)


@require_POST
@staff_required
def agenda_view_save(request):
    """Save the filters shown (sent back as hidden fields) under a name; a refusal shows the
    agenda again with those filters and the name as typed."""
    query = _current_query(request.POST)
    return run_form(
        request,
        SavedViewForm(request.POST),
        lambda d: saved_view_save(user=request.user, page=SavedView.Page.AGENDA, name=d["name"], query=query),
        errors=(SavedViewError,),
        success=lambda d: _("已保存视图“%(name)s”。") % {"name": d["name"].strip()},
        then=lambda view: redirect(f"{reverse('workbench:agenda')}?{view.query}"),
        again=lambda form, status=200: _agenda_page(request, request.POST, save_form=form, status=400),
    )


@require_POST
@staff_required
def agenda_view_delete(request, pk: int):
    def back():
        return redirect("workbench:agenda")

    return run_form(
        request,
        forms.Form(request.POST),
        lambda _d: saved_view_delete(user=request.user, pk=pk),
        errors=(SavedViewError,),
        success=_("已删除视图。"),
        then=lambda _r: back(),
        back=back,
    )


def _agenda_page(request, data, *, save_form=None, status=200):
    today = timezone.localdate()
    data = {k: v for k, v in data.items() if k in FILTER_KEYS}
    form = AgendaFilterForm(data or None)
    f = {}
    if form.is_bound:
        form.is_valid()
        f = form.cleaned_data
    start = end = None
    days = []
    if f.get("week"):
        start, end = agenda.week_of(f["week"])
    items = agenda.agenda_for(
        request.user,
        today,
        mine=bool(f.get("mine")),
        q=f.get("q") or "",
        start=start,
        end=end,
        overdue_only=bool(f.get("overdue")),
    )
    if start is not None:
        days = [
            {
                "on": start + timedelta(days=n),
                "items": [i for i in items if i.on == start + timedelta(days=n)],
            }
            for n in range(7)
        ]
    monday, _sunday = agenda.week_of(today)
    context = {
        "form": form,
        "items": items,
        "days": days,
        "today": today,
        "this_week": monday,
        "previous_week": start - timedelta(days=7) if start else None,
        "next_week": start + timedelta(days=7) if start else None,
        "keep": urlencode([(k, v) for k, v in data.items() if k not in ("week", "page") and v]),
        "filtered": any(v for v in data.values()),
        "current": "agenda",
        "saved_views": saved_views(request.user, SavedView.Page.AGENDA),
        "current_filters": [(k, data[k]) for k in FILTER_KEYS if data.get(k)],
        "save_form": save_form or SavedViewForm(),
    }
    return page(request, "workbench/agenda/agenda.html", context, status=status)
