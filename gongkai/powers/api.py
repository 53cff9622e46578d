"""Public JSON API of the power lists: /api/v1/powers/<agency_code> and
/api/v1/powers/<agency_code>/<code> (routes in gongkai/api/urls.py, described in
gongkai/api/openapi.py). Read-only, no login."""

from dataclasses import asdict
from datetime import date

from django.http import JsonResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency

from .models import PowerType, PowerVersion
from .selectors import public_power_get, public_powers
from .services import VersionFields

PUBLIC_CACHE = cache_control(public=True, max_age=60)


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, message: str, **fields) -> JsonResponse:
    body = {"error": message}
    if fields:
        body["errors"] = fields
    return _json(body, status)


def _agency(code: str) -> Agency | None:
    return Agency.objects.active().filter(code=code).first()


def _page_url(request, agency_code: str, code: str | None = None) -> str | None:
    try:
        name, args = ("powers:detail", [agency_code, code]) if code else ("powers:list", [agency_code])
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:  # the public pages are not installed in an API-only deployment
        return None


def version_to_dict(version: PowerVersion) -> dict:
    return {
        "effective_from": version.effective_from.isoformat(),
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        **asdict(VersionFields.of(version)),
    }


@require_GET
@PUBLIC_CACHE
def power_list(request, agency_code: str):
    """The agency's powers in force or announced, optionally of one type."""
    agency = _agency(agency_code)
    if agency is None:
        return _error(404, "未找到该机关")
    power_type = request.GET.get("type") or None
    if power_type is not None and power_type not in PowerType.values:
        return _error(400, "参数 type 无效", type=["可选值：" + "、".join(PowerType.values)])
    rows = public_powers(agency, type=power_type)
    results = [
        {
            "code": p.code,
            "type": p.type,
            "type_label": str(PowerType(p.type).label),
            "name": p.name,
            "in_force_from": p.in_force_from.isoformat() if p.in_force_from else None,
            "starts_on": None if p.in_force_from else p.starts_on.isoformat(),
            "url": _page_url(request, agency.code, p.code),
        }
        for p in rows
    ]
    return _json(
        {
            "agency": {"code": agency.code, "name": agency.name},
            "count": len(results),
            "results": results,
            "url": _page_url(request, agency.code),
        }
    )


@require_GET
@PUBLIC_CACHE
def power_detail(request, agency_code: str, code: str):
    """One power: the version in force (on ``on``, default today), every version, decision counts."""
    agency = _agency(agency_code)
    if agency is None:
        return _error(404, "未找到该机关")
    day = None
    if request.GET.get("on"):
        try:
            day = date.fromisoformat(request.GET["on"])
        except ValueError:
            return _error(400, "参数 on 无效", on=["日期格式：YYYY-MM-DD"])
    record = public_power_get(agency, code, day=day)
    if record is None:
        return _error(404, "未找到该权力事项")
    current, power = record.current, record.power
    return _json(
        {
            "agency": {"code": agency.code, "name": agency.name},
            "code": power.code,
            "type": power.type,
            "type_label": str(PowerType(power.type).label),
            "name": power.name,
            "current": version_to_dict(current) if current else None,
            "versions": [version_to_dict(v) for v in record.versions],
            "decision_counts": [{"year": row.year, "count": row.count} for row in record.decision_counts],
            "url": _page_url(request, agency.code, power.code),
        }
    )
