"""The workbench's assessment page (考核评议): the ranked table of the agencies under the user's
competent authority for a period, with the public's ratings, and recomputation for assessors."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.assessment import selectors, services
from gongkai.assessment.models import Evaluation
from gongkai.assessment.scoring import PeriodError, period_of, period_parse, periods_of_year

from .common import page, run_service


def _authority_and_period(request, data):
    """The authority the user chose among theirs (404 for any other) and the period."""
    authorities = selectors.authorities_for(request.user)
    if not authorities:
        raise Http404
    chosen = str(data.get("authority") or authorities[0].pk)
    authority = next((a for a in authorities if str(a.pk) == chosen), None)
    if authority is None:
        raise Http404
    try:
        period = period_parse(data.get("period") or "")
    except PeriodError:
        period = period_of(timezone.localdate())
    return authorities, authority, period


@staff_required
def assessment_table(request):
    if not selectors.authorities_for(request.user):
        # Staff of an assessed agency: the ranking is the competent authority's to see.
        return page(request, "assessment/table.html", {"no_authority": True})
    authorities, authority, period = _authority_and_period(request, request.GET)
    scheme = selectors.scheme_for_year(period.year)
    indicators = list(scheme.indicators.all()) if scheme else []
    results = selectors.results_for(scheme, authority, period.label) if scheme else []
    ids = [r.agency_id for r in results]
    every = selectors.evaluation_summary(ids, start=period.start, end=period.end)
    replies = selectors.evaluation_summary(
        ids, kind=Evaluation.Kind.APPLICATION_REPLY, start=period.start, end=period.end
    )
    rows = [
        {
            "result": r,
            "scores": [r.scores.get(str(ind.pk)) for ind in indicators],
            "all_ratings": every[r.agency_id],
            "reply_ratings": replies[r.agency_id],
        }
        for r in results
    ]
    context = {
        "authorities": authorities,
        "authority": authority,
        "period": period,
        "periods": periods_of_year(period.year - 1) + periods_of_year(period.year),
        "scheme": scheme,
        "indicators": indicators,
        "rows": rows,
        "computed_at": max((r.computed_at for r in results), default=None),
        "can_compute": scheme is not None and services.can_assess(request.user, authority),
    }
    return page(request, "assessment/table.html", context)


@staff_required
@require_POST
def assessment_compute(request):
    _authorities, authority, period = _authority_and_period(request, request.POST)
    scheme = selectors.scheme_for_year(period.year)
    if scheme is None:
        messages.error(request, _("%(year)d年度没有启用的考核方案。") % {"year": period.year})
    else:
        run_service(
            request,
            lambda: services.assessment_compute(
                scheme=scheme, authority=authority, period=period.label, actor=request.user
            ),
            errors=(services.AssessmentError,),
            refused=lambda exc: messages.error(request, str(exc)),
            refusal_page=False,  # refused or not permitted: said on the table page
            then=lambda results: messages.success(
                request, _("已重新计算%(n)d个机关的考核得分。") % {"n": len(results)}
            ),
        )
    query = urlencode({"authority": authority.pk, "period": period.label})
    return redirect(f"{reverse('workbench:assessment')}?{query}")
