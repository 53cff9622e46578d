"""“显示完整信息”: the staff handling an application reveal its applicant's personal data, with a
reason that goes into the audit trail (gongkai/applications/personal_data.py).

A reveal holds for REVEAL_MINUTES in this session and for this application only; while it holds,
the page shows the full details and the identity proofs and the full case export can be had
(each of those downloads is audited too, with the reason given)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications.personal_data import (
    RevealRefused,
    Shown,
    may_reveal,
    personal_data_reveal,
)

from .. import selectors_applications as selectors
from ..reveal import REVEAL_PREFIX, RevealForm, reveal_grant
from .application_page import render_application
from .common import forbidden


@require_POST
@staff_required
def application_reveal(request, pk: int):
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
    reveal_grant(request, application, form.cleaned_data["reason"])
    return redirect(reverse("workbench:application_detail", kwargs={"pk": application.pk}) + "#form")
