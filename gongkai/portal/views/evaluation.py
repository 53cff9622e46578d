"""The public's side of evaluation (社会评议): the applicant rates the reply on the progress page,
visitors rate portal pages ("本页是否有用"). Routed by gongkai/portal/urls.py under "evaluation/";
the scores and their rules are gongkai/assessment."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongkai.accounts.network import client_ip
from gongkai.agencies.models import Agency
from gongkai.applications.progress import applicant_application
from gongkai.applications.selectors import application_find, lookup_allowed
from gongkai.assessment import services
from gongkai.portal.selectors import public_document_get

from .applications import ACCESS_KEY


def _applicant_application(request, pk: int):
    """The application, if this session entered its code on the progress page, or if the
    request carries its tracking number and query code (throttled like the progress lookup)."""
    application = applicant_application(pk=pk, application_pks=request.session.get(ACCESS_KEY, []))
    tracking_no, code = request.POST.get("tracking_no", ""), request.POST.get("query_code", "")
    if application is None and tracking_no and code and lookup_allowed(client_ip(request)):
        found = application_find(tracking_no=tracking_no, query_code=code)
        application = found if found is not None and found.pk == pk else None
    return application


@never_cache
@require_POST
def reply_rate(request, pk: int):
    application = _applicant_application(request, pk)
    if application is None:
        raise Http404
    error = ""
    try:
        services.reply_evaluate(
            application=application, rating=request.POST.get("rating"), comment=request.POST.get("comment", ""),
            client_ip=client_ip(request),
        )  # fmt: skip
    except services.EvaluationError as exc:
        error = str(exc)
    return render(
        request, "assessment/thanks.html", {"error": error, "back": None}, status=400 if error else 200
    )  # fmt: skip


def _page_agency(path: str) -> Agency:
    """The agency a portal page belongs to: the document's publisher, or the agency page's own."""
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        raise Http404 from None
    if match.view_name == "portal:document":
        return public_document_get(index_no=match.kwargs["index_no"]).agency
    if match.view_name in ("portal:agency", "portal:guide"):
        return get_object_or_404(Agency.objects.active(), code=match.kwargs["code"])
    raise Http404


# Exempt from CSRF: the rating form sits on publicly cached pages, which cannot carry a
# per-visitor token; a forged vote changes nothing but a throttled, anonymous tally.
@csrf_exempt
@never_cache
@require_POST
def page_rate(request):
    path = request.POST.get("path", "")
    if not path.startswith("/") or path.startswith("//"):
        raise Http404
    agency = _page_agency(path)
    error, status = "", 200
    try:
        services.page_rate(
            path=path, agency=agency, rating=request.POST.get("rating"), client_ip=client_ip(request)
        )
    except services.RatedTooOften as exc:
        error, status = str(exc), 429
    except services.EvaluationError as exc:
        error, status = str(exc), 400
    return render(request, "assessment/thanks.html", {"error": error, "back": path}, status=status)
