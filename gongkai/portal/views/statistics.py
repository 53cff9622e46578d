"""The public statistics page: the non-personal figures (counts and rates, by agency) of every
agency in the directory, with the same charts and downloads as the workbench. The figures are
kept for five minutes: every visit would otherwise count every application on the platform."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.reports.statistics_pages import (
    FORMATS,
    StatisticsFilterForm,
    statistics_context,
    statistics_response,
)

from .common import public_page


def _filter(request) -> StatisticsFilterForm:
    return StatisticsFilterForm(
        request.GET or None, agencies=Agency.objects.active(), today=timezone.localdate()
    )


@public_page
def statistics(request):
    context = statistics_context(_filter(request), request.GET.urlencode(), cache_as="public")
    return render(request, "portal/statistics.html", context)


@public_page
def statistics_data(request, fmt: str):
    """The figures as CSV or XLSX; with an invalid filter, the page with its errors."""
    if fmt not in FORMATS:
        raise Http404
    form = _filter(request)
    response = statistics_response(form, fmt, cache_as="public")
    if response is None:
        return render(request, "portal/statistics.html", statistics_context(form, request.GET.urlencode()))
    return response
