"""Settling every pre-scan finding of one value at once, from the record page (the finding's
own form, sent with the "all of this value" button)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.publishing.models import ScanFinding
from gongkai.publishing.settlement import findings_settle_value

from .. import selectors
from ..forms import FindingForm
from .record_page import act_on_record, render_record


@require_POST
@staff_required
def record_findings_settle_value(request, pk: int, finding_pk: int):
    submission = selectors.submission_for_staff(request.user, pk)
    finding = get_object_or_404(ScanFinding, pk=finding_pk, submission=submission)
    form = FindingForm(request.POST, prefix=f"finding-{finding.pk}")
    if not form.is_valid():
        return render_record(request, submission, finding_forms={finding.pk: form})
    return act_on_record(
        request,
        submission,
        lambda: findings_settle_value(
            submission=submission,
            kind=finding.kind,
            value=finding.value,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            ground=form.cleaned_data.get("ground") or "",
        ),
        form=form,
        render={"finding_forms": {finding.pk: form}},
        success="",
        then=lambda settled: _settled(request, submission, settled),
    )


def _settled(request, submission, settled):
    messages.success(request, _("已一并处理同一值的 %(n)d 条扫描发现。") % {"n": len(settled)})
    return redirect(reverse("workbench:record_detail", kwargs={"pk": submission.pk}) + "#findings")
