"""The disclosure guide (公开指南, Art. 12) on the workbench. The guide itself is generated on
every request; what goes stale is the office's details. The agency's administrator or office
head edits them or confirms they are still accurate, which records the day the guide was last
reviewed (the assessment's "guide kept current")."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies import services
from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency
from gongkai.agencies.selectors import guide_text_versions
from gongkai.assessment.selectors import guide_review_limit_days

from ..forms_guide import GuideTextForm, OfficeForm, RemedyForm
from .common import page, run_service


def _agency_chosen(request, value) -> tuple[list[Agency], Agency | None]:
    """The agencies whose guide the user keeps, and the one asked for (the first when none is
    named; None when the user keeps none); 404 when another agency is named."""
    agencies = list(
        agencies_in_scope(request.user, *services.GUIDE_ROLES)
        .active()
        .select_related("office")
        .order_by("path", "sort_order")
    )
    if not value:
        return agencies, agencies[0] if agencies else None
    agency = next((a for a in agencies if str(a.pk) == str(value)), None)
    if agency is None:
        raise Http404
    return agencies, agency


def _guide_url(agency: Agency) -> str:
    return f"{reverse('workbench:guide')}?{urlencode({'agency': agency.pk})}"


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def guide(request):
    """GET: the chosen agency's guide status, office form, remedies form and the office's text
    (proactive disclosure, other channels) with its versions; POST: save the office details,
    (``part=remedies``) who hears the remedies, or (``part=text``) a new version of the text."""
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST" and not data.get("agency"):
        raise Http404  # a write names its agency; never "the first one" by default
    agencies, agency = _agency_chosen(request, data.get("agency"))
    if agency is None:
        # Staff who keep no agency's guide: say whose task it is.
        return page(request, "workbench/guide.html", {"agency": None})
    office = getattr(agency, "office", None)
    remedy_form = RemedyForm(initial=RemedyForm.initial_from(agency))
    form = OfficeForm(initial=OfficeForm.initial_from(office))
    versions = guide_text_versions(agency)
    text_form = GuideTextForm(initial=GuideTextForm.initial_from(versions[0] if versions else None))
    if request.method == "POST" and data.get("part") == "text":
        text_form = GuideTextForm(request.POST)
        if text_form.is_valid():
            response = run_service(
                request,
                lambda: services.guide_text_update(
                    agency=agency, actor=request.user, **text_form.cleaned_data
                ),
                errors=(services.AgencyError,),
                refused=lambda exc: text_form.add_error(None, str(exc)),
                success=_("已保存公开指南的主动公开说明和其他渠道，原内容保留在版本记录中。"),
                then=lambda _result: redirect(_guide_url(agency)),
            )
            if response is not None:
                return response
    elif request.method == "POST" and data.get("part") == "remedies":
        remedy_form = RemedyForm(request.POST)
        if remedy_form.is_valid():
            response = run_service(
                request,
                lambda: services.agency_remedies_update(
                    agency=agency, data=remedy_form.remedy_data(), actor=request.user
                ),
                errors=(services.AgencyError,),
                refused=lambda exc: remedy_form.add_error(None, str(exc)),
                success=_("已保存行政复议机关和管辖人民法院。"),
                then=lambda _result: redirect(_guide_url(agency)),
            )
            if response is not None:
                return response
    elif request.method == "POST":
        form = OfficeForm(request.POST)
        if form.is_valid():
            response = run_service(
                request,
                lambda: services.office_update(agency=agency, data=form.office_data(), actor=request.user),
                errors=(services.AgencyError,),
                refused=lambda exc: form.add_error(None, str(exc)),
                success=_("已保存公开指南的机构信息，指南更新日期记为今天。"),
                then=lambda _result: redirect(_guide_url(agency)),
            )
            if response is not None:
                return response
    today = timezone.localdate()
    reviewed_on = office.guide_reviewed_on if office else None
    limit_days = guide_review_limit_days(today.year)
    age_days = (today - reviewed_on).days if reviewed_on else None
    context = {
        "agencies": agencies,
        "agency": agency,
        "office": office,
        "form": form,
        "remedy_form": remedy_form,
        "text_form": text_form,
        "text_versions": versions,
        "remedy_missing": agency.remedy_missing(),
        "reviewed_on": reviewed_on,
        "age_days": age_days,
        "limit_days": limit_days,
        "stale": age_days is None or age_days > limit_days,
    }
    return page(request, "workbench/guide.html", context)


@require_POST
@staff_required
def guide_confirm(request):
    """The office states that the guide's details are still accurate."""
    if not request.POST.get("agency"):
        raise Http404  # a write names its agency; never "the first one" by default
    _agencies, agency = _agency_chosen(request, request.POST["agency"])

    def refused(exc):
        messages.error(request, str(exc))
        return redirect(_guide_url(agency))

    return run_service(
        request,
        lambda: services.guide_confirm(agency=agency, actor=request.user),
        errors=(services.AgencyError,),
        refused=refused,
        success=_("已确认公开指南内容无误，指南更新日期记为今天。"),
        then=lambda _result: redirect(_guide_url(agency)),
    )
