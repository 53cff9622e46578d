"""Statistics for staff and supervisors: the figures of the agencies in the user's scope (for
supervisors, the agencies below theirs too), with charts, tables and CSV/XLSX downloads."""

from django.http import Http404
from django.utils import timezone
from django.views.decorators.http import require_safe

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.reports.statistics_pages import (
    FORMATS,
    StatisticsFilterForm,
    statistics_context,
    statistics_response,
)

from .common import page

TEMPLATE = "workbench/statistics/statistics.html"


def _filter(request) -> StatisticsFilterForm:
    return StatisticsFilterForm(
        request.GET or None, agencies=agencies_in_scope(request.user), today=timezone.localdate()
    )


@require_safe
@staff_required
def statistics(request):
    return page(request, TEMPLATE, statistics_context(_filter(request), request.GET.urlencode()))


@require_safe
@staff_required
def statistics_data(request, fmt: str):
    """The page's figures as CSV or XLSX; with an invalid filter, the page with its errors."""
    if fmt not in FORMATS:
        raise Http404
    form = _filter(request)
    response = statistics_response(form, fmt)
    if response is None:
        return page(request, TEMPLATE, statistics_context(form, request.GET.urlencode()))
    return response
