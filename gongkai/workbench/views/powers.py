"""Power lists (权力清单) in the workbench: the powers of the agencies in scope with the version in
force and this year's and last year's decision counts; adding a power, its page (current content,
flow chart, versions, yearly counts), a revision from a date, and a year's decision count.

Each POST parses one form and calls one service of gongkai.powers.services; a refusal shows the
form again with what was typed and why. Keeping a list is for the agency's administrator and
the head of its disclosure office; the other roles read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.powers import selectors, services
from gongkai.powers.flowchart import flowchart_svg
from gongkai.powers.models import TABLE1_DECISION_TYPES
from gongkai.powers.selectors import PowerRecord
from gongkai.powers.services import PowerError

from ..forms_powers import DecisionCountForm, PowerCreateForm, PowerFilterForm, ReviseForm
from .common import forbidden, page, run_service

PAGE_SIZE = 50


def _detail_url(pk: int, anchor: str = "") -> str:
    return reverse("workbench:power_detail", kwargs={"pk": pk}) + (f"#{anchor}" if anchor else "")


@require_http_methods(["GET", "HEAD"])
@staff_required
def power_list(request):
    """Powers of the agencies in scope by agency, type and code. Filters that do not parse are
    ignored; the valid ones still apply."""
    today = timezone.localdate()
    form = PowerFilterForm(request.GET or None, user=request.user)
    powers = selectors.powers_in_scope(request.user)
    if form.is_bound:
        form.is_valid()
        f = form.cleaned_data
        if f.get("agency"):
            powers = powers.filter(agency=f["agency"])
        if f.get("type"):
            powers = powers.filter(type=f["type"])
        if f.get("q", "").strip():
            q = f["q"].strip()
            powers = powers.filter(Q(code__icontains=q) | Q(name__icontains=q))
    powers = selectors.with_list_figures(powers, day=today).order_by("agency__path", "type", "code")
    page_obj = Paginator(powers, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "form": form,
        "page_obj": page_obj,
        "filters": filters,
        "filtered": bool(filters),
        "this_year": today.year,
        "last_year": today.year - 1,
        "can_create": selectors.agencies_managed(request.user).exists(),
    }
    return page(request, "workbench/powers/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def power_new(request):
    """Add a power with its first version to the list of an agency the user keeps."""
    if not selectors.agencies_managed(request.user).exists():
        raise Http404  # like everything out of scope: only those who keep a list have this page
    posted = request.method == "POST"
    form = PowerCreateForm(request.POST if posted else None, user=request.user)
    if not posted:
        return page(request, "workbench/powers/form.html", {"form": form, "power": None})
    if form.is_valid():
        d = form.cleaned_data

        def created(power):
            messages.success(request, _("已添加权力事项“%(name)s”。") % {"name": power.name})
            return redirect(_detail_url(power.pk))

        response = run_service(
            request,
            lambda: services.power_create(
                agency=d["agency"], code=d["code"], type=d["type"], name=d["name"],
                effective_from=d["effective_from"], values=form.version_fields(), actor=request.user,
            ),
            errors=(PowerError,),
            refused=lambda exc: form.add_error(None, str(exc)),
            refusal_page=False,  # NotPermitted included: shown on the form like the others
            then=created,
        )  # fmt: skip
        if response is not None:
            return response
    return page(request, "workbench/powers/form.html", {"form": form, "power": None}, status=400)


def _render(request, record: PowerRecord, *, decision_form=None, status: int = 200):
    """The power page; ``decision_form`` is a bound form to show again with its errors."""
    today = timezone.localdate()
    shown = record.shown or (record.versions[0] if record.versions else None)
    history = [
        {
            "version": v,
            "status": "upcoming"
            if v.effective_from > today
            else ("current" if v == record.current else "ended"),
        }
        for v in record.versions
    ]
    context = {
        "record": record,
        "power": record.power,
        "agency": record.power.agency,
        "version": shown,
        "flowchart": flowchart_svg(shown.procedure_steps) if shown else "",
        "history": history,
        "can_manage": services.can_manage_powers(request.user, record.power.agency),
        "in_table1": record.power.type in TABLE1_DECISION_TYPES.values(),
        "decision_form": decision_form or DecisionCountForm(),
    }
    return page(request, "workbench/powers/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def power_detail(request, pk: int):
    return _render(request, selectors.power_for_staff(request.user, pk))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def power_revise(request, pk: int):
    """A new version from a date, prefilled from the latest version; the one before it ends the
    day before (services.power_revise refuses an earlier date and an unchanged content)."""
    record = selectors.power_for_staff(request.user, pk)
    power = record.power
    if not services.can_manage_powers(request.user, power.agency):
        return forbidden(request, _("您没有维护该机关权力清单的权限。"))
    latest = record.versions[0] if record.versions else None
    posted = request.method == "POST"
    form = ReviseForm(request.POST if posted else None, latest=latest)
    context = {"form": form, "power": power, "latest": latest}
    if not posted:
        return page(request, "workbench/powers/form.html", context)
    if form.is_valid():
        day = form.cleaned_data["effective_from"]
        response = run_service(
            request,
            lambda: services.power_revise(
                power=power, effective_from=day, values=form.version_fields(), actor=request.user
            ),
            errors=(PowerError,),
            refused=lambda exc: form.add_error(None, str(exc)),
            success=_("已修订，新版本自%(day)s起施行。") % {"day": day.isoformat()},
            then=lambda _result: redirect(_detail_url(power.pk, "history")),
        )
        if response is not None:
            return response
    return page(request, "workbench/powers/form.html", context, status=400)


@require_POST
@staff_required
def power_decision_count(request, pk: int):
    """Record the number of decisions of a year (replacing the figure recorded before)."""
    record = selectors.power_for_staff(request.user, pk)
    if not services.can_manage_powers(request.user, record.power.agency):
        return forbidden(request, _("您没有维护该机关权力清单的权限。"))
    form = DecisionCountForm(request.POST)
    if not form.is_valid():
        return _render(request, record, decision_form=form, status=400)
    year, count = form.cleaned_data["year"], form.cleaned_data["count"]

    def refused(exc):
        form.add_error(None, str(exc))
        return _render(request, record, decision_form=form, status=400)

    return run_service(
        request,
        lambda: services.decision_count_set(power=record.power, year=year, count=count, actor=request.user),
        errors=(PowerError,),
        refused=refused,
        success=_("已保存%(year)s年的处理决定数量：%(count)s件。") % {"year": year, "count": count},
        then=lambda _result: redirect(_detail_url(record.power.pk, "decisions")),
    )
