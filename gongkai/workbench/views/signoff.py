"""Letters as drafts on the workbench (issue 18 item 2): the sign-off queue of the approver
(office head, 法制审核, leader), and the POSTs on a letter of the case page (sign, edit within the
template, void, reissue) and a clerk's extension proposal. Each calls one service and goes back
(PRG) to the case page or, from the queue, to the queue."""

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.services import ApplicationError

from .. import selectors_applications as selectors
from .common import page, run_form

ROLE_LABELS = dict(Role.choices)


class SignForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("签发意见"), required=False, max_length=300)


class LetterEditForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    provided_how = forms.CharField(label=gettext_lazy("提供方式"), required=False, max_length=300)
    other_agency_name = forms.CharField(label=gettext_lazy("负责公开的机关"), required=False, max_length=300)


class VoidForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("作废理由"), max_length=300)


class ExtensionProposeForm(forms.Form):
    days = forms.IntegerField(label=gettext_lazy("延长的工作日"), min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label=gettext_lazy("延期理由"), max_length=500)


def _back(request, application, letter=None):
    if request.POST.get("next") == "queue":
        return redirect(reverse("workbench:application_signoff_queue"))
    url = reverse("workbench:application_detail", kwargs={"pk": application.pk})
    return redirect(url + (f"#letter-{letter.pk}" if letter is not None else "#letters"))


def _run(request, application, form, call, done: str):
    """Run ``call`` with the form's data; a refusal is flashed and the user goes back."""
    return run_form(
        request, form, call, errors=(ApplicationError,), back=lambda: _back(request, application),
        success=done, then=lambda letter: _back(request, application, letter),
    )  # fmt: skip


def _letter(request, pk: int, letter_pk: int):
    application = selectors.application_for_staff(request.user, pk)
    return application, selectors.letter_of(application, letter_pk)


@staff_required
def application_signoff_queue(request):
    """The drafts waiting for the user's sign-off, oldest first."""
    rows = []
    for letter in services.letters_awaiting(request.user):
        rows.append(
            {
                "letter": letter,
                "application": letter.application,
                "role": ROLE_LABELS.get(services.next_signoff(letter), ""),
                "done": [ROLE_LABELS.get(s["role"], s["role"]) for s in letter.signoffs or []],
                "overdue": letter.application.reply_due_on is not None
                and letter.application.reply_due_on < timezone.localdate(),
            }
        )
    return page(request, "workbench/applications/signoff_queue.html", {"rows": rows})


@require_POST
@staff_required
def application_letter_sign(request, pk: int, letter_pk: int):
    application, letter = _letter(request, pk, letter_pk)
    return _run(
        request, application, SignForm(request.POST),
        lambda d: services.letter_sign(letter=letter, note=d["note"], actor=request.user),
        _("已签发。"),
    )  # fmt: skip


@require_POST
@staff_required
def application_letter_edit(request, pk: int, letter_pk: int):
    application, letter = _letter(request, pk, letter_pk)
    fields = [name for name in LetterEditForm.base_fields if name in request.POST]
    return _run(
        request, application, LetterEditForm(request.POST),
        lambda d: services.letter_edit(letter=letter, actor=request.user, **{k: d[k] for k in fields}),
        _("草稿已修改，须重新签发。"),
    )  # fmt: skip


@require_POST
@staff_required
def application_letter_void(request, pk: int, letter_pk: int):
    application, letter = _letter(request, pk, letter_pk)
    return _run(
        request, application, VoidForm(request.POST),
        lambda d: services.letter_void(letter=letter, reason=d["reason"], actor=request.user),
        _("文书已作废，文号保留在登记簿中。"),
    )  # fmt: skip


@require_POST
@staff_required
def application_letter_reissue(request, pk: int, letter_pk: int):
    application, letter = _letter(request, pk, letter_pk)
    return _run(
        request, application, forms.Form(request.POST),
        lambda d: services.letter_reissue(letter=letter, actor=request.user),
        _("已生成重新出具的草稿，签发后取得新文号。"),
    )  # fmt: skip


@require_POST
@staff_required
def application_extension_propose(request, pk: int):
    application = selectors.application_for_staff(request.user, pk)
    return _run(
        request, application, ExtensionProposeForm(request.POST, prefix="propose"),
        lambda d: services.extension_propose(
            application=application, days=d["days"], reason=d["reason"], actor=request.user
        ),
        _("延期申请已提交公开办负责人审批。"),
    )  # fmt: skip
