"""分项答复 on the application page (issue 18 item 5): split the application into items, record
each item's outcome with its grounds and files, take back an item split by mistake. The reply
itself is the page's decision form (services.application_decide answers every item)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications import services
from gongkai.applications.models import ApplicationItem

from ..forms_applications import ItemAddForm, ItemRecordForm
from .application_actions import _act, _back, _get
from .application_page import render_application
from .common import run_service


@require_POST
@staff_required
def application_item_add(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ItemAddForm(request.POST),
        lambda d: services.item_add(application=a, description=d["description"], actor=request.user),
        _("已添加分项。"), "items",
    )  # fmt: skip


@require_POST
@staff_required
def application_item_record(request, pk: int):
    a = _get(request, pk)
    return _act(
        request, a, ItemRecordForm(request.POST, application=a),
        lambda d: services.item_record(
            item=d["item"], outcome=d["outcome"], reasons=d["reasons"], provided_how=d["provided_how"],
            withheld_parts=d["withheld_parts"], other_agency=d["other_agency"], files=list(d["files"]),
            actor=request.user,
        ),
        _("已确定该项的处理结果。"), "items",
    )  # fmt: skip


@require_POST
@staff_required
def application_item_remove(request, pk: int, item_pk: int):
    a = _get(request, pk)
    item = get_object_or_404(ApplicationItem, pk=item_pk, application=a)
    return run_service(
        request, lambda: services.item_remove(item=item, actor=request.user),
        errors=(services.ApplicationError,), success=_("已删除该分项。"), then=lambda _r: _back(a, "items"),
        refused=lambda exc: render_application(request, a, error=str(exc)),
    )  # fmt: skip
