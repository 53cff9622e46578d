"""Changes to a published document: withdrawal or a new validity, proposed for review."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.decorators import staff_required
from gongkai.catalogue.models import Visibility
from gongkai.publishing import permissions
from gongkai.publishing.models import Submission
from gongkai.publishing.services import PublishingError, change_propose

from .. import selectors
from ..forms import ChangeForm
from .common import forbidden, page, run_service


@require_http_methods(["GET", "HEAD", "POST"])
@staff_required
def document_change(request, pk: int):
    document = selectors.document_for_staff(request.user, pk)
    if not permissions.can_change_propose(request.user, document):
        return forbidden(request, _("只有本机关经办人可以提出撤回或变更有效性。"))
    open_submission = Submission.objects.open().filter(document=document).first()
    if request.method == "POST":
        form = ChangeForm(request.POST, user=request.user, document=document)
        if form.is_valid():
            d = form.cleaned_data
            response = run_service(
                request,
                lambda: change_propose(
                    document=document,
                    kind=d["kind"],
                    actor=request.user,
                    reason=d["reason"],
                    validity=d["validity"],
                    replaced_by=d["replaced_by"],
                ),
                errors=(PublishingError,),
                refused=lambda exc: form.add_error(None, str(exc)),
                success=_("已提出并送审。"),
                then=lambda submission: redirect("workbench:record_detail", pk=submission.pk),
            )
            if response is not None:
                return response
    else:
        form = ChangeForm(user=request.user, document=document)
    context = {
        "document": document,
        "form": form,
        "is_public": document.visibility == Visibility.PUBLIC,
        "open_submission": open_submission,
        "clarify_url": f"{reverse('workbench:record_new')}?clarifies={document.pk}",
    }
    return page(request, "workbench/document_change.html", context)
