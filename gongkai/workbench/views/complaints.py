"""Complaints and suggestions in the workbench: the list with answer dates and lateness, the
page of one complaint, and its state changes (investigate, answer, publish). Each POST parses
one form, calls one service of gongkai.complaints.services and goes back to the page (PRG); a
refusal shows the page again with what was typed and why."""

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.complaints import selectors, services
from gongkai.complaints.models import Complaint
from gongkai.complaints.rules import Kind, State, next_state

from ..forms_complaints import AnswerForm, ComplaintFilterForm, InvestigateForm, PublishForm
from .common import page, run_service

PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD"])
@staff_required
def complaint_list(request):
    """Complaints routed to the agencies in scope: open ones first by answer date, personal data
    masked. Filters that do not parse are ignored; the valid ones still apply."""
    today = timezone.localdate()
    form = ComplaintFilterForm(request.GET or None)
    complaints = selectors.complaints_in_scope(request.user)
    if form.is_bound:
        form.is_valid()
        f = form.cleaned_data
        if f.get("q"):
            q = f["q"].strip()
            complaints = complaints.filter(Q(tracking_no__icontains=q) | Q(content__icontains=q))
        if f.get("kind"):
            complaints = complaints.filter(kind=f["kind"])
        if f.get("state"):
            complaints = complaints.filter(state=f["state"])
        if f.get("overdue"):
            complaints = complaints.overdue(today)
    page_obj = Paginator(selectors.by_due_date(complaints), PAGE_SIZE).get_page(request.GET.get("page"))
    filters = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "form": form,
        "page_obj": page_obj,
        "rows": selectors.decorate(page_obj.object_list, today),
        "filters": filters,
        "filtered": bool(filters),
    }
    return page(request, "workbench/complaints/list.html", context)


def _render(request, complaint: Complaint, *, forms: dict | None = None, error: str = "", status: int = 200):
    forms = forms or {}
    can_act = services.can_act(request.user, complaint)
    full = selectors.is_routed_staff(request.user, complaint)
    allowed = {
        event for event in ("investigate", "answer") if next_state(complaint.kind, complaint.state, event)
    }
    initial = {"version": complaint.version}
    publish_initial = {
        **initial,
        "public": not complaint.answer_public,
        "public_summary": complaint.public_summary,
        "public_answer": complaint.public_answer or complaint.answer,
    }
    context = {
        "complaint": complaint,
        "full_details": full,
        "author": {
            "name": complaint.name if full else selectors.masked_name(complaint.name),
            "contact": complaint.contact if full else selectors.masked_contact(complaint.contact),
        },
        "is_overdue": selectors.is_overdue(complaint, timezone.localdate()),
        "can_act": can_act,
        "show": {
            "investigate": can_act and "investigate" in allowed,
            "answer": can_act and "answer" in allowed,
            "publish": can_act and complaint.state == State.ANSWERED,
        },
        "must_investigate": complaint.kind == Kind.COMPLAINT,
        "investigate_form": forms.get("investigate") or InvestigateForm(initial=initial),
        "answer_form": forms.get("answer") or AnswerForm(initial=initial),
        "publish_form": forms.get("publish") or PublishForm(initial=publish_initial),
        "error": error,
    }
    return page(request, "workbench/complaints/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def complaint_detail(request, pk: int):
    return _render(request, selectors.complaint_for_staff(request.user, pk))


def _act(
    request, pk: int, form_class, call: Callable[[Complaint, dict], object], done: Callable[[dict], str]
):
    """Validate the form, run ``call`` and go back to the page; on a refusal show the page
    again with what was typed and why (409 when someone else acted first)."""
    complaint = selectors.complaint_for_staff(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render(request, complaint, forms={form.prefix: form})

    def refused(exc):
        form.add_error(None, str(exc))
        return _render(request, complaint, forms={form.prefix: form}, error=str(exc))

    def conflict(exc):
        fresh = selectors.complaint_for_staff(request.user, pk)
        return _render(request, fresh, error=str(exc), status=409)

    return run_service(
        request, lambda: call(complaint, form.cleaned_data), errors=(services.ComplaintError,),
        refused=refused, conflict=conflict, success=done(form.cleaned_data),
        then=lambda _result: redirect(reverse("workbench:complaint_detail", kwargs={"pk": pk})),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_investigate(request, pk: int):
    return _act(
        request, pk, InvestigateForm,
        lambda c, d: services.complaint_investigate(
            complaint=c, note=d["note"], actor=request.user, expected_version=d["version"]
        ),
        lambda d: _("已受理，转入调查处理。"),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_answer(request, pk: int):
    return _act(
        request, pk, AnswerForm,
        lambda c, d: services.complaint_answer(
            complaint=c, answer=d["answer"], upheld=d.get("upheld"), actor=request.user,
            expected_version=d["version"],
        ),
        lambda d: _("已答复，举报人、建议人可凭查询码查看。"),
    )  # fmt: skip


@require_POST
@staff_required
def complaint_publish(request, pk: int):
    def call(c, d):
        return services.complaint_publish(
            complaint=c, public=d["public"], public_summary=d["public_summary"],
            public_answer=d["public_answer"], actor=request.user, expected_version=d["version"],
        )  # fmt: skip

    return _act(
        request, pk, PublishForm, call, lambda d: _("答复已公开。") if d["public"] else _("已撤回公开。")
    )
