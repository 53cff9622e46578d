"""The workbench home and the list of records."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone

from gongkai.accounts.decorators import staff_required
from gongkai.complaints.selectors import complaint_counts

from .. import agenda, selectors, selectors_applications
from ..forms import FilterForm
from .common import page

PAGE_SIZE = 20


@staff_required
def dashboard(request):
    context = {
        "board": selectors.dashboard_for(request.user),
        "applications": selectors_applications.application_counts(request.user, timezone.localdate()),
        "complaints": complaint_counts(request.user, timezone.localdate()),
        # "What is due this week", from the same list the agenda page shows (workbench/agenda.py).
        "agenda": agenda.agenda_counts(request.user, timezone.localdate()),
    }
    return page(request, "workbench/dashboard.html", context)


@staff_required
def record_list(request):
    form = FilterForm(request.GET or None, user=request.user)
    records = selectors.submissions_in_scope(request.user).order_by("-updated_at", "-pk")
    if form.is_bound and form.is_valid():
        f = form.cleaned_data
        if f["q"]:
            records = records.filter(document__title__icontains=f["q"])
        if f["state"]:
            records = records.filter(state=f["state"])
        if f["kind"]:
            records = records.filter(kind=f["kind"])
        if f["agency"]:
            records = records.filter(agency=f["agency"])
        if f["overdue"]:
            records = records.overdue()
    paginator = Paginator(records, PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    # Page links keep the filters.
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    return page(
        request,
        "workbench/record_list.html",
        {"form": form, "page_obj": page_obj, "filters": filters, "filtered": bool(filters)},
    )
