"""The agenda page (期限日程): every deadline in the user's scope by date, with "mine", search,
overdue and a week view (workbench/agenda.py composes what the apps say is due)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.decorators import staff_required

from .. import agenda
from ..forms import DateInput
from .common import page


class AgendaFilterForm(forms.Form):
    """Filters of the agenda; a value that does not parse is ignored."""

    q = forms.CharField(label=_("申请内容、编号、申请人或电话"), required=False, max_length=100)
    week = forms.DateField(label=_("按周查看（任选该周一天）"), required=False, widget=DateInput)
    mine = forms.BooleanField(label=_("仅看我承办的"), required=False)
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)


@require_http_methods(["GET", "HEAD"])
@staff_required
def agenda_view(request):
    today = timezone.localdate()
    form = AgendaFilterForm(request.GET or None)
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
        "keep": urlencode([(k, v) for k, v in request.GET.items() if k not in ("week", "page") and v]),
        "filtered": any(v for k, v in request.GET.items()),
        "current": "agenda",
    }
    return page(request, "workbench/agenda/agenda.html", context)
