"""Key areas (重点领域) in the workbench: the compliance view per agency and area with the
overdue list, the projects in scope, one project with the disclosures it owes (record the day the
information was formed, link the public document that discloses it), and the notice-board sheet
(政务公开栏, A3 PDF) of an office, made on demand. Every POST parses one form, calls one service
of gongkai.keyareas.services and goes back to the page (PRG)."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.catalogue.models import Document
from gongkai.consultations.selectors import public_consultations
from gongkai.keyareas import selectors, services
from gongkai.keyareas.board import Board, BoardEntry, BoardSection, board_pdf
from gongkai.keyareas.forms import ComplianceFilterForm, FulfilForm, OccurForm, ProjectForm

from .common import forbidden, page, run_service

BOARD_DOCUMENTS = 8
BOARD_CONSULTATIONS = 4
BOARD_PROJECTS = 6


@require_http_methods(["GET", "HEAD"])
@staff_required
def keyarea_compliance(request):
    """Per agency in scope and area: owed disclosures published in time, late, missing and
    still open; below, every overdue one, oldest first."""
    today = timezone.localdate()
    form = ComplianceFilterForm(request.GET or None)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    agencies = agencies_in_scope(request.user)
    context = {
        "form": form,
        "rows": selectors.compliance(agencies, today=today, year=year),
        "totals": selectors.keyarea_figures(agencies=agencies, today=today, year=year),
        "overdue": selectors.overdue_obligations(agencies, today=today),
        "boards": agencies.filter(office__isnull=False).order_by("path"),
        "year": year,
    }
    return page(request, "workbench/keyareas/compliance.html", context)


@require_http_methods(["GET", "HEAD"])
@staff_required
def keyarea_project_list(request):
    today = timezone.localdate()
    projects = [selectors.project_view(p, today) for p in selectors.projects_in_scope(request.user)]
    can_create = agencies_in_scope(request.user, *services.ACTING_ROLES).exists()
    return page(
        request, "workbench/keyareas/project_list.html", {"projects": projects, "can_create": can_create}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def keyarea_project_new(request):
    if not agencies_in_scope(request.user, *services.ACTING_ROLES).exists():
        return forbidden(request, _("您没有为任何机关登记重点领域项目的权限。"))
    form = ProjectForm(request.POST or None, user=request.user)
    error = ""
    if request.method == "POST" and form.is_valid():

        def refused(exc):
            nonlocal error
            error = str(exc)  # and None: the form again, with why

        response = run_service(
            request,
            lambda: services.project_create(
                agency=form.cleaned_data["agency"],
                area=form.cleaned_data["area"],
                fields=form.project_fields(),
                actor=request.user,
            ),
            errors=(services.KeyAreaError,),
            refused=refused,
            success=_("项目已登记。"),
            then=lambda project: redirect("workbench:keyarea_project_detail", pk=project.pk),
        )
        if response is not None:
            return response
    return page(
        request,
        "workbench/keyareas/project_new.html",
        {"form": form, "error": error},
        status=400 if error else 200,
    )


def _render_project(request, project, *, error: str = "", status: int = 200):
    view = selectors.project_view(project, timezone.localdate())
    context = {
        "view": view,
        "project": project,
        "can_act": services.can_act(request.user, project.agency),
        "error": error,
        "public_url": _public_project_url(project),
    }
    return page(request, "workbench/keyareas/project_detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def keyarea_project_detail(request, pk: int):
    return _render_project(request, selectors.project_for_staff(request.user, pk))


def _obligation_post(request, pk: int, opk: int, form, call, done: str):
    project = selectors.project_for_staff(request.user, pk)
    obligation = selectors.obligation_for_staff(request.user, project, opk)
    if form is not None and not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return _render_project(request, project, error=" ".join(problems), status=400)
    return run_service(
        request,
        lambda: call(obligation),
        errors=(services.KeyAreaError,),
        refused=lambda exc: _render_project(request, project, error=str(exc), status=400),
        success=done,
        then=lambda _result: redirect(
            reverse("workbench:keyarea_project_detail", args=[pk]) + f"#obligation-{opk}"
        ),
    )


@require_POST
@staff_required
def keyarea_obligation_occur(request, pk: int, opk: int):
    form = OccurForm(request.POST)
    return _obligation_post(
        request,
        pk,
        opk,
        form,
        lambda o: services.obligation_occur(
            obligation=o, occurred_on=form.cleaned_data["occurred_on"], actor=request.user
        ),
        _("已登记信息形成日期并计算公开期限。"),
    )


@require_POST
@staff_required
def keyarea_obligation_fulfil(request, pk: int, opk: int):
    project = selectors.project_for_staff(request.user, pk)
    form = FulfilForm(request.POST, agency=project.agency)
    return _obligation_post(
        request,
        pk,
        opk,
        form,
        lambda o: services.obligation_fulfil(obligation=o, document=form.document, actor=request.user),
        _("已关联公开文件。"),
    )


@require_POST
@staff_required
def keyarea_obligation_unlink(request, pk: int, opk: int):
    return _obligation_post(
        request,
        pk,
        opk,
        None,
        lambda o: services.obligation_unlink(obligation=o, actor=request.user),
        _("已取消关联。"),
    )


# --- the notice board --------------------------------------------------------------------------


def _public_project_url(project) -> str | None:
    try:
        return reverse("portal:keyarea_project", args=[project.pk])
    except NoReverseMatch:  # an API-only deployment has no public pages
        return None


def _absolute(request, name: str, *args) -> str | None:
    try:
        return request.build_absolute_uri(reverse(name, args=args))
    except NoReverseMatch:
        return None


def consultation_entries(request, agency, today) -> list[BoardEntry]:
    """Open consultations (征求意见) of ``agency`` for the board, through the consultations
    app's public selector; its public page by the portal's URL name."""
    entries = []
    for c in public_consultations(agency_code=agency.code, status="open", today=today)[:BOARD_CONSULTATIONS]:
        url = _absolute(request, "portal:consultation", c.pk) or _absolute(
            request, "portal:document", c.draft.index_no
        )
        if url:
            entries.append(
                BoardEntry(c.draft.title, _("征求意见截止：%(d)s") % {"d": c.closes_on.isoformat()}, url)
            )
    return entries


def build_board(request, agency, today) -> Board:
    """What the office's board shows today: its latest public documents, its open
    consultations and its key-area projects, each with the address of its public page."""
    documents = (
        Document.objects.public().filter(agency=agency).order_by("-published_on", "-id")[:BOARD_DOCUMENTS]
    )
    latest = [
        BoardEntry(
            d.title,
            _("%(date)s 发布 · 索引号 %(no)s") % {"date": d.published_on.isoformat(), "no": d.index_no},
            url,
        )
        for d in documents
        if (url := _absolute(request, "portal:document", d.index_no))
    ]
    projects = []
    for project in selectors.projects_public(agency=agency)[:BOARD_PROJECTS]:
        view = selectors.project_view(project, today)
        published = sum(1 for r in view.rows if r.document is not None)
        meta = _("%(area)s · 已公开 %(n)s / %(total)s 项") % {
            "area": project.area.name,
            "n": published,
            "total": len(view.rows),
        }
        if url := _absolute(request, "portal:keyarea_project", project.pk):
            projects.append(BoardEntry(project.title, meta, url))
    office = getattr(agency, "office", None)
    office_line = " · ".join(
        part
        for part in (
            office.name if office else "",
            _("地址：%s") % office.address if office and office.address else "",
            _("办公时间：%s") % office.hours if office and office.hours else "",
            _("电话：%s") % office.phone if office and office.phone else "",
        )
        if part
    )
    return Board(
        agency=agency.name,
        office=office_line,
        made_on=today,
        sections=[
            BoardSection(_("最新公开信息"), latest, _("暂无主动公开的政府信息。")),
            BoardSection(
                _("正在征求意见"),
                consultation_entries(request, agency, today),
                _("目前没有正在征求意见的事项。"),
            ),
            BoardSection(_("重点领域信息公开"), projects, _("暂无重点领域项目。")),
        ],
        footer=_("用手机扫描二维码查看全文"),
    )


@require_http_methods(["GET", "HEAD"])
@staff_required
def keyarea_board(request, code: str):
    """The office's notice-board sheet, made now from what is public now."""
    agency = agencies_in_scope(request.user).filter(code=code).first()
    if agency is None:
        raise Http404("no such agency")
    today = timezone.localdate()
    pdf = board_pdf(build_board(request, agency, today))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"board-{agency.code}-{today:%Y%m%d}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response
