"""Routing a case (交办/协办) and internal notes (issue 18 item 4): the handler's forms on the
case page (the panel comes from the ``casework`` template tag), the task page the division or
assisting agency answers on, its files and the assistance letter (协办函). Every write is a
service of gongkai.casework; who may see a task is casework.selectors (scope through
agencies/access.py)."""

from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Agency
from gongkai.casework import selectors, services
from gongkai.casework.models import Division, TaskFile
from gongkai.casework.rules import DEFAULT_DAYS, MAX_DAYS, TaskKind, TaskState

from .. import selectors_applications
from .applications import _download
from .common import page, run_form

# --- forms ----------------------------------------------------------------------------------------


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class TaskForm(forms.Form):
    """Hand the case (or part of it) to a division of the agency or to another agency."""

    prefix = "task"
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=TaskKind.choices, widget=forms.RadioSelect)
    division = forms.ModelChoiceField(
        label=gettext_lazy("交办科室"), queryset=Division.objects.none(), required=False
    )
    target_agency = forms.ModelChoiceField(
        label=gettext_lazy("协办机关"), queryset=Agency.objects.none(), required=False
    )
    part = forms.CharField(label=gettext_lazy("交办事项"), max_length=300)
    instructions = forms.CharField(
        label=gettext_lazy("办理要求"), required=False, widget=_textarea(3), max_length=8000
    )
    days = forms.IntegerField(
        label=gettext_lazy("办理时限（工作日）"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = selectors.divisions_of(application.agency_id)
        self.fields["target_agency"].queryset = Agency.objects.active().exclude(pk=application.agency_id)
        self.fields["part"].initial = application.description[:300]

    def clean(self):
        d = super().clean()
        if d.get("kind") == TaskKind.DIVISION and not d.get("division"):
            self.add_error("division", _("交办时请选择科室。"))
        if d.get("kind") == TaskKind.AGENCY and not d.get("target_agency"):
            self.add_error("target_agency", _("协办时请选择机关。"))
        return d


class NoteForm(forms.Form):
    prefix = "note"
    text = forms.CharField(
        label=gettext_lazy("内部备注（仅本机关工作人员可见）"), widget=_textarea(3), max_length=8000
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    prefix = "answer"
    answer = forms.CharField(
        label=gettext_lazy("答复意见（检索结果、答复建议）"), widget=_textarea(6), max_length=8000
    )
    files = MultipleFileField(
        label=gettext_lazy("附件"),
        required=False,
        help_text=gettext_lazy("可多选：PDF、Word、Excel、OFD、图片。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    prefix = "review"
    decision = forms.ChoiceField(
        label=gettext_lazy("审核"),
        choices=[("accept", gettext_lazy("采纳")), ("return", gettext_lazy("退回补充"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("意见（退回时必填）"), required=False, widget=_textarea(2), max_length=8000
    )
    days = forms.IntegerField(
        label=gettext_lazy("退回后的办理时限（工作日，可不填）"),
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    prefix = "withdraw"
    reason = forms.CharField(label=gettext_lazy("撤回理由"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class DivisionForm(forms.Form):
    """Create a division of an agency the user manages, or rename one and set its members."""

    division = forms.ModelChoiceField(
        label=gettext_lazy("科室"), queryset=Division.objects.none(), required=False,
        empty_label=gettext_lazy("（新建科室）"),
    )  # fmt: skip
    agency = forms.ModelChoiceField(label=gettext_lazy("机关"), queryset=Agency.objects.none())
    name = forms.CharField(label=gettext_lazy("科室名称"), max_length=100)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("成员"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("本机关的工作人员。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        managed = selectors.managed_agencies(user)
        self.fields["agency"].queryset = managed
        self.fields["division"].queryset = Division.objects.filter(agency__in=managed)
        self.fields["members"].queryset = (
            get_user_model().objects.filter(staff_roles__agency__in=managed).distinct().order_by("username")
        )
        self.fields["members"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


# --- the case page's panel (workbench/templatetags/casework_panel.py) ----------------------------


def panel_context(user, application, *, task_form=None, note_form=None) -> dict:
    """What the case page's routing and notes panel shows ``user``."""
    today = timezone.localdate()
    may_route = services.can_route(user, application)
    tasks = selectors.tasks_of_case(application, user)
    for t in tasks:
        t.overdue = t.is_overdue(today)
    return {
        "application": application,
        "tasks": tasks,
        "may_route": may_route,
        "routable": may_route and application.state in services.ROUTABLE_STATES,
        "task_form": task_form or TaskForm(application=application),
        "notes": selectors.notes_of_case(application) if services.can_read_notes(user, application) else None,
        "note_form": note_form or NoteForm(),
    }


def _case_form_page(request, application, **forms_sent):
    """A refused task or note: the panel again on a page of its own, with what was typed."""
    context = panel_context(request.user, application, **forms_sent)
    return page(request, "workbench/casework/case_form.html", context, status=400)


def _case_url(application) -> str:
    return reverse("workbench:application_detail", args=[application.pk]) + "#casework"


@require_POST
@staff_required
def casework_task_create(request, pk: int):
    application = selectors_applications.application_for_staff(request.user, pk)
    return run_form(
        request, TaskForm(request.POST, application=application),
        lambda d: services.task_create(
            application=application, kind=d["kind"], part=d["part"], instructions=d["instructions"],
            division=d["division"], target_agency=d["target_agency"], days=d["days"], actor=request.user,
        ),
        errors=(services.CaseworkError,),
        again=lambda form, status: _case_form_page(request, application, task_form=form),
        success=_("已交办，承办方可在“交办协办”中办理。"),
        then=lambda task: redirect("workbench:casework_task", pk=task.pk),
    )  # fmt: skip


@require_POST
@staff_required
def casework_note_add(request, pk: int):
    application = selectors_applications.application_for_staff(request.user, pk)
    return run_form(
        request, NoteForm(request.POST),
        lambda d: services.note_add(application=application, text=d["text"], actor=request.user),
        errors=(services.CaseworkError,),
        again=lambda form, status: _case_form_page(request, application, note_form=form),
        success=_("已添加内部备注。"),
        then=lambda _note: redirect(_case_url(application)),
    )  # fmt: skip


# --- the task pages -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@staff_required
def casework_tasks(request):
    """The user's tasks to answer (交办/协办 to them), then those they routed that are pending."""
    today = timezone.localdate()
    mine = list(
        selectors.answering_tasks(request.user).filter(state__in=(TaskState.OPEN, TaskState.RETURNED))
    )
    routed = list(
        selectors.tasks_for(request.user)
        .filter(application__agency__in=agencies_in_scope(request.user, *selectors.OVERSEEING_ROLES))
        .exclude(state__in=(TaskState.ACCEPTED, TaskState.WITHDRAWN))
        .order_by("due_on", "pk")
    )
    for t in mine + routed:
        t.overdue = t.is_overdue(today)
    return page(
        request, "workbench/casework/list.html", {"mine": mine, "routed": routed, "current": "casework"}
    )


def render_task(request, task, *, answer_form=None, review_form=None, withdraw_form=None, status=200):
    today = timezone.localdate()
    may_answer = services.can_answer(request.user, task)
    may_route = services.can_route(request.user, task.application)
    context = {
        "task": task,
        "application": task.application,
        "applicant": selectors.masked_applicant(task.application),
        "overdue": task.is_overdue(today),
        "may_route": may_route,
        "show_answer": (may_answer and task.is_pending) or answer_form is not None,
        "show_review": (may_route and task.state == TaskState.ANSWERED) or review_form is not None,
        "show_withdraw": may_route and task.state in (TaskState.OPEN, TaskState.ANSWERED, TaskState.RETURNED),
        "answer_form": answer_form or AnswerForm(initial={"version": task.version, "answer": task.answer}),
        "review_form": review_form or ReviewForm(initial={"version": task.version}),
        "withdraw_form": withdraw_form or WithdrawForm(initial={"version": task.version}),
        "current": "casework",
    }
    return page(request, "workbench/casework/task.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@staff_required
def casework_task(request, pk: int):
    return render_task(request, selectors.task_for(request.user, pk))


def _task_action(request, pk: int, form_class, key: str, call, success: str):
    task = selectors.task_for(request.user, pk)
    return run_form(
        request, form_class(request.POST, request.FILES), lambda d: call(task, d),
        errors=(services.CaseworkError,), conflict_status=409, success=success,
        again=lambda form, status: render_task(request, task, status=status if status != 200 else 400, **{key: form}),
        then=lambda t: redirect("workbench:casework_task", pk=t.pk),
    )  # fmt: skip


@require_POST
@staff_required
def casework_task_answer(request, pk: int):
    return _task_action(
        request, pk, AnswerForm, "answer_form",
        lambda task, d: services.task_answer(
            task=task, answer=d["answer"], files=[(f, f.name) for f in d["files"]],
            actor=request.user, expected_version=d["version"],
        ),
        _("已提交答复，等待承办人审核。"),
    )  # fmt: skip


@require_POST
@staff_required
def casework_task_review(request, pk: int):
    return _task_action(
        request, pk, ReviewForm, "review_form",
        lambda task, d: services.task_review(
            task=task, accept=d["decision"] == "accept", note=d["note"], days=d["days"],
            actor=request.user, expected_version=d["version"],
        ),
        _("已办理。"),
    )  # fmt: skip


@require_POST
@staff_required
def casework_task_withdraw(request, pk: int):
    return _task_action(
        request, pk, WithdrawForm, "withdraw_form",
        lambda task, d: services.task_withdraw(
            task=task, reason=d["reason"], actor=request.user, expected_version=d["version"]
        ),
        _("已撤回。"),
    )  # fmt: skip


@require_http_methods(["GET", "HEAD"])
@staff_required
def casework_task_file(request, pk: int, file_pk: int):
    task = selectors.task_for(request.user, pk)
    row = get_object_or_404(TaskFile, pk=file_pk, task=task)
    return _download(row.file.open("rb"), filename=row.title, content_type=row.content_type)


@require_http_methods(["GET", "HEAD"])
@staff_required
def casework_task_letter(request, pk: int):
    """The assistance letter (协办函) of a 协办 task, as PDF."""
    from gongkai.casework.letters import assistance_letter_pdf  # PyMuPDF: loaded on use only

    task = selectors.task_for(request.user, pk)
    if task.kind != TaskKind.AGENCY:
        return redirect("workbench:casework_task", pk=task.pk)
    return _download(
        assistance_letter_pdf(task),
        filename=f"协办函_{task.letter_no or task.pk}.pdf",
        content_type="application/pdf",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def casework_divisions(request):
    """The business divisions of the agencies the user manages (office head, administrator)."""
    form = DivisionForm(request.POST or None, user=request.user)

    def show(form, status=200):
        divisions = (
            Division.objects.filter(agency__in=selectors.managed_agencies(request.user))
            .select_related("agency")
            .prefetch_related("members")
        )
        context = {"form": form, "divisions": divisions, "current": "casework"}
        return page(request, "workbench/casework/divisions.html", context, status=400 if form.errors else 200)

    if request.method != "POST":
        return show(form)
    return run_form(
        request, form,
        lambda d: services.division_save(
            agency=d["agency"], name=d["name"], members=d["members"], actor=request.user, division=d["division"]
        ),
        errors=(services.CaseworkError,), again=show, success=_("已保存科室。"),
        then=lambda _division: redirect("workbench:casework_divisions"),
    )  # fmt: skip
