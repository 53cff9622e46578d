"""“显示完整信息”: the staff handling an application reveal its applicant's personal data, with a
reason that goes into the audit trail (gongkai/applications/personal_data.py).

A reveal holds for REVEAL_MINUTES in this session and for this application only; while it holds,
the page shows the full details and the identity proofs and the full case export can be had
(each of those downloads is audited too, with the reason given)."""

import time

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications.models import Application
from gongkai.applications.personal_data import (
    MAX_REASON_LENGTH,
    RevealRefused,
    Shown,
    may_reveal,
    personal_data_reveal,
)

from .. import selectors_applications as selectors
from .common import forbidden

REVEAL_SESSION_KEY = "application_reveals"  # {str(pk): {"until": epoch seconds, "reason": str}}
REVEAL_MINUTES = 10
REVEAL_PREFIX = "reveal"


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("查看理由"),
        max_length=MAX_REASON_LENGTH,
        help_text=gettext_lazy("例如：电话联系申请人补正；邮寄答复书。理由记入审计日志。"),
        error_messages={"required": gettext_lazy("请填写查看完整信息的理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请填写查看完整信息的理由。"))
        return reason


def blank_reveal_form() -> RevealForm:
    return RevealForm(prefix=REVEAL_PREFIX)


def reveal_reason(request, application: Application) -> str | None:
    """The reason of the reveal that holds for ``application`` in this session, or None (no
    reveal, an expired one, or the user no longer handles the case)."""
    grant = (request.session.get(REVEAL_SESSION_KEY) or {}).get(str(application.pk))
    if not grant or grant.get("until", 0) < time.time():
        return None
    if not may_reveal(request.user, application):
        return None
    return grant.get("reason") or None


def _grant(request, application: Application, reason: str) -> None:
    now = time.time()
    grants = {
        k: v for k, v in (request.session.get(REVEAL_SESSION_KEY) or {}).items() if v.get("until", 0) > now
    }
    grants[str(application.pk)] = {"until": now + REVEAL_MINUTES * 60, "reason": reason}
    request.session[REVEAL_SESSION_KEY] = grants


def audit_download(request, application: Application, *, shown: str, file=None) -> bool:
    """For a download of personal data: audit it with the reveal's reason. False (and nothing
    recorded) when no reveal holds."""
    reason = reveal_reason(request, application)
    if reason is None:
        return False
    personal_data_reveal(application=application, actor=request.user, reason=reason, shown=shown, file=file)
    return True


@require_POST
@staff_required
def application_reveal(request, pk: int):
    from .application_page import render_application

    application = selectors.application_for_staff(request.user, pk)
    if not may_reveal(request.user, application):
        return forbidden(request, _("只有本申请的承办人、登记人和公开办负责人可以查看申请人的完整信息。"))
    form = RevealForm(request.POST, prefix=REVEAL_PREFIX)
    if not form.is_valid():
        return render_application(request, application, forms={REVEAL_PREFIX: form}, status=400)
    try:
        personal_data_reveal(
            application=application,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            shown=Shown.DETAILS,
        )
    except RevealRefused as exc:
        form.add_error("reason", str(exc))
        return render_application(request, application, forms={REVEAL_PREFIX: form}, status=400)
    _grant(request, application, form.cleaned_data["reason"])
    return redirect(reverse("workbench:application_detail", kwargs={"pk": application.pk}) + "#form")
