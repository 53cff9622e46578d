"""Filing a case by hand (归档, issue 18 item 6): a case closed before filing existed, or
imported closed, is filed from its page. Cases closed on the platform are filed as they close
(applications/services/filing.py)."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications import services
from gongkai.applications.services import ApplicationError

from .. import selectors_applications as selectors
from .application_page import render_application
from .common import run_service


@require_POST
@staff_required
def application_file_case(request, pk: int):
    a = selectors.application_for_staff(request.user, pk)
    return run_service(
        request,
        lambda: services.case_file(application=a, actor=request.user),
        errors=(ApplicationError,),
        refused=lambda exc: render_application(request, a, error=str(exc)),
        success=_("已归档。"),
        then=lambda _filing: redirect(
            reverse("workbench:application_detail", kwargs={"pk": a.pk}) + "#filing"
        ),
    )
