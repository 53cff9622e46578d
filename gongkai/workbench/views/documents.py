"""Changes to a published document: withdrawal or a new validity, proposed for review."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from gongkai.accounts.decorators import staff_required
from gongkai.catalogue.models import Visibility
from gongkai.publishing import permissions
from gongkai.publishing.models import Submission
from gongkai.publishing.services import NotPermitted, PublishingError, change_propose

from .. import selectors
from ..forms import ChangeForm
from .common import forbidden, page


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
            try:
                submission = change_propose(
                    document=document,
                    kind=d["kind"],
                    actor=request.user,
                    reason=d["reason"],
                    validity=d["validity"],
                    replaced_by=d["replaced_by"],
                )
            except NotPermitted as exc:
                return forbidden(request, str(exc))
            except PublishingError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已提出并送审。"))
                return redirect("workbench:record_detail", pk=submission.pk)
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
