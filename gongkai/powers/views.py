"""Public pages of the power lists (十公开): an agency's list by type, and one power with the
version in force, its flow chart and the versions before it. Thin and read-only."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from gongkai.agencies.models import Agency

from .flowchart import flowchart_svg
from .models import PowerType
from .selectors import public_power_get, public_powers

# As the portal's pages: a minute in browsers and proxies keeps load spikes off the application.
PUBLIC_MAX_AGE = getattr(settings, "GONGKAI_PUBLIC_MAX_AGE", 60)
MAX_QUERY = 100


def public_page(view):
    return require_safe(cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view))


def _agency(code: str) -> Agency:
    agency = Agency.objects.active().filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


@public_page
def power_list(request, agency_code: str):
    agency = _agency(agency_code)
    selected = request.GET.get("type", "")
    selected = selected if selected in PowerType.values else ""
    q = request.GET.get("q", "").strip()[:MAX_QUERY]
    powers = list(public_powers(agency))
    counts = {t: 0 for t in PowerType.values}
    for power in powers:
        counts[power.type] += 1
    shown = [
        p
        for p in powers
        if (not selected or p.type == selected) and (not q or q in p.name or q.lower() in p.code.lower())
    ]
    groups = [
        {"type": choice, "powers": [p for p in shown if p.type == choice.value]}
        for choice in PowerType
        if any(p.type == choice.value for p in shown)
    ]
    return render(
        request,
        "powers/power_list.html",
        {
            "agency": agency,
            "types": [{"value": c.value, "label": c.label, "count": counts[c.value]} for c in PowerType],
            "selected": selected,
            "q": q,
            "total": len(powers),
            "shown": len(shown),
            "groups": groups,
        },
    )


@public_page
def power_detail(request, agency_code: str, code: str):
    agency = _agency(agency_code)
    record = public_power_get(agency, code)
    if record is None:
        raise Http404
    shown = record.shown or record.versions[0]
    today = timezone.localdate()
    history = [
        {
            "version": v,
            "status": "upcoming"
            if v.effective_from > today
            else ("current" if v == record.current else "ended"),
        }
        for v in record.versions
    ]
    return render(
        request,
        "powers/power_detail.html",
        {
            "agency": agency,
            "record": record,
            "power": record.power,
            "version": shown,
            "flowchart": flowchart_svg(shown.procedure_steps),
            "history": history,
        },
    )
