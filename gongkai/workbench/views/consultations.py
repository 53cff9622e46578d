"""Consultations on draft decisions in the workbench: the list (open, closing, awaiting the
adoption report), a new consultation (its draft enters the review chain as a record), and the
page of one consultation with its actions: period, moderation, grouping and adoption, the
report, links, hearings. Each POST parses one form, calls one service of
gongkai.consultations and goes back to the page (PRG); a refusal shows the page with why."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.consultations import hearings, selectors, services
from gongkai.consultations.forms import (
    CancelForm,
    ConsultationForm,
    DecideForm,
    GroupForm,
    HearingForm,
    LinkForm,
    ModerateForm,
    PeriodForm,
    RecordForm,
    ReportForm,
    SelectForm,
)
from gongkai.consultations.rules import Phase
from gongkai.consultations.services import ACTING_ROLES

from .common import page, run_service

PHASES = (Phase.DRAFTING, Phase.UPCOMING, Phase.OPEN, Phase.CLOSED, Phase.CONCLUDED, Phase.CANCELLED)


@require_http_methods(["GET", "HEAD"])
@staff_required
def consultation_list(request):
    """Consultations in scope with their phase; ``?phase=`` narrows, closing ones first."""
    rows = selectors.decorate(selectors.consultations_in_scope(request.user).order_by("closes_on", "pk"))
    wanted = request.GET.get("phase", "")
    if wanted in Phase.values:
        rows = [c for c in rows if c.phase == wanted]
    rows.sort(key=lambda c: (PHASES.index(c.phase) if c.phase != Phase.OPEN else -1, c.closes_on))
    context = {
        "rows": rows,
        "counts": selectors.workbench_counts(request.user),
        "phase": wanted,
        "phases": Phase.choices,
        "can_create": agencies_in_scope(request.user, *ACTING_ROLES).exists(),
    }
    return page(request, "workbench/consultations/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def consultation_new(request):
    agencies = agencies_in_scope(request.user, *ACTING_ROLES).order_by("path")
    if not agencies.exists():
        raise Http404
    form = ConsultationForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        response = run_service(
            request,
            lambda: services.consultation_create(
                agency=d["agency"], title=d["title"], draft_text=d["draft_text"], explanation=d["explanation"],
                opens_on=d["opens_on"], closes_on=d["closes_on"], short_period_reason=d["short_period_reason"],
                identity_rule=d["identity_rule"], actor=request.user,
            ),
            errors=(services.ConsultationError,),
            refused=lambda exc: form.add_error(None, str(exc)),  # None: the form again, with why
            success=_("征求意见稿已起草，请在审查流程中提交审查；审查通过并公开后开始征求意见。"),
            then=lambda c: redirect("workbench:consultation_detail", pk=c.pk),
        )  # fmt: skip
        if response is not None:
            return response
    return page(request, "workbench/consultations/new.html", {"form": form})


def _render(request, c, *, forms: dict | None = None, error: str = "", status: int = 200):
    forms = forms or {}
    comments = selectors.staff_comments(c)
    choices = [(m.pk, m.tracking_no) for m in comments]
    hearing_rows = selectors.staff_hearings(c)
    initial = {"version": c.version}
    context = {
        "c": c,
        "comments": comments,
        "groups": list(c.groups.all()),
        "hearings": hearing_rows,
        "can_act": services.can_act(request.user, c.agency),
        "report_problem": services.report_problem(c) if c.phase == Phase.CLOSED else None,
        "period_form": forms.get("period") or PeriodForm(initial={**initial, "opens_on": c.opens_on, "closes_on": c.closes_on, "short_period_reason": c.short_period_reason}),
        "cancel_form": forms.get("cancel") or CancelForm(initial=initial),
        "group_form": forms.get("group") or GroupForm(comment_choices=choices),
        "decide_form": forms.get("decide") or DecideForm(),
        "report_form": forms.get("report") or ReportForm(initial={**initial, "body": services.report_text(c) if c.phase == Phase.CLOSED else ""}),
        "link_form": forms.get("link") or LinkForm(initial={**initial, "final_index_no": getattr(c.final_document, "index_no", ""), "interpretation_index_no": getattr(c.interpretation, "index_no", "")}),
        "hearing_form": forms.get("hearing") or HearingForm(),
        "record_form": forms.get("record") or RecordForm(),
        "error": error,
    }  # fmt: skip
    return page(request, "workbench/consultations/detail.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def consultation_detail(request, pk: int):
    return _render(request, selectors.consultation_for_staff(request.user, pk))


def _act(request, pk: int, key: str, form, call, done: str):
    """Validate ``form``, run ``call(consultation, cleaned_data)`` and go back to the page."""
    c = selectors.consultation_for_staff(request.user, pk)
    if not form.is_valid():
        return _render(request, c, forms={key: form}, error=_("请修改表单中的错误。"))

    def refused(exc):
        form.add_error(None, str(exc))
        return _render(request, c, forms={key: form}, error=str(exc))

    def conflict(exc):
        fresh = selectors.consultation_for_staff(request.user, pk)
        return _render(request, fresh, error=str(exc), status=409)

    return run_service(
        request, lambda: call(c, form.cleaned_data), errors=(services.ConsultationError,),
        refused=refused, conflict=conflict, success=done,
        then=lambda _result: redirect(reverse("workbench:consultation_detail", kwargs={"pk": pk})),
    )  # fmt: skip


@require_POST
@staff_required
def consultation_period(request, pk: int):
    return _act(request, pk, "period", PeriodForm(request.POST), lambda c, d: services.consultation_set_period(
        consultation=c, opens_on=d["opens_on"], closes_on=d["closes_on"], short_period_reason=d["short_period_reason"],
        actor=request.user, expected_version=d["version"],
    ), _("征求意见期限已变更。"))  # fmt: skip


@require_POST
@staff_required
def consultation_cancel(request, pk: int):
    return _act(request, pk, "cancel", CancelForm(request.POST), lambda c, d: services.consultation_cancel(
        consultation=c, reason=d["reason"], actor=request.user, expected_version=d["version"]
    ), _("已终止征求意见。"))  # fmt: skip


@require_POST
@staff_required
def comment_moderate(request, pk: int, comment_pk: int):
    def call(c, d):
        comment = c.comments.filter(pk=comment_pk).first()
        if comment is None:
            raise Http404
        services.comment_moderate(
            comment=comment,
            event=d["event"],
            reason=d["reason"],
            actor=request.user,
            expected_version=d["version"],
        )

    return _act(request, pk, "moderate", ModerateForm(request.POST), call, _("审核结果已保存。"))


@require_POST
@staff_required
def comments_group(request, pk: int):
    """Put the ticked comments into a new group (summary) or an existing one (group)."""
    c = selectors.consultation_for_staff(request.user, pk)
    form = GroupForm(request.POST, comment_choices=[(m.pk, m.tracking_no) for m in c.comments.all()])
    existing = c.groups.filter(pk=request.POST.get("group") or 0).first()
    if existing is not None:
        form.fields["summary"].required = False

    def call(c, d):
        if existing is not None:
            services.comments_assign(group=existing, comment_ids=d["comments"], actor=request.user)
        else:
            services.group_create(
                consultation=c, summary=d["summary"], comment_ids=d["comments"], actor=request.user
            )

    return _act(request, pk, "group", form, call, _("意见已归类。"))


@require_POST
@staff_required
def group_decide(request, pk: int, group_pk: int):
    def call(c, d):
        group = c.groups.filter(pk=group_pk).first()
        if group is None:
            raise Http404
        services.group_decide(group=group, decision=d["decision"], reason=d["reason"], actor=request.user)

    return _act(request, pk, "decide", DecideForm(request.POST), call, _("采纳情况已保存。"))


@require_POST
@staff_required
def report_draft(request, pk: int):
    return _act(request, pk, "report", ReportForm(request.POST), lambda c, d: services.report_draft(
        consultation=c, body=d["body"], actor=request.user, expected_version=d["version"]
    ), _("意见采纳情况已起草，请在审查流程中提交审查；审查通过后公开。"))  # fmt: skip


@require_POST
@staff_required
def consultation_link(request, pk: int):
    return _act(request, pk, "link", LinkForm(request.POST), lambda c, d: services.consultation_link(
        consultation=c, final_document=d["final_index_no"], interpretation=d["interpretation_index_no"],
        actor=request.user, expected_version=d["version"],
    ), _("关联文件已保存。"))  # fmt: skip


@require_POST
@staff_required
def hearing_announce(request, pk: int):
    return _act(request, pk, "hearing", HearingForm(request.POST), lambda c, d: hearings.hearing_announce(
        consultation=c, actor=request.user, **d
    ), _("听证会已公告。"))  # fmt: skip


def _hearing(c, hearing_pk: int):
    hearing = c.hearings.filter(pk=hearing_pk).first()
    if hearing is None:
        raise Http404
    return hearing


@require_POST
@staff_required
def hearing_select(request, pk: int, hearing_pk: int):
    c = selectors.consultation_for_staff(request.user, pk)
    hearing = _hearing(c, hearing_pk)
    form = SelectForm(
        request.POST, registration_choices=[(r.pk, r.name) for r in hearing.registrations.all()]
    )
    return _act(request, pk, "select", form, lambda c, d: hearings.hearing_select(
        hearing=hearing, selected_ids=d["selected"], method=d["method"], actor=request.user
    ), _("参加人已确定。"))  # fmt: skip


@require_POST
@staff_required
def hearing_record(request, pk: int, hearing_pk: int):
    c = selectors.consultation_for_staff(request.user, pk)
    hearing = _hearing(c, hearing_pk)
    return _act(request, pk, "record", RecordForm(request.POST), lambda c, d: hearings.hearing_record_publish(
        hearing=hearing, record=d["record"], actor=request.user
    ), _("听证笔录已公开。"))  # fmt: skip
