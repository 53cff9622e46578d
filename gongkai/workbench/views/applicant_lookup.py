"""Applicant look-up on the registration page (issue 18 item 7): the 带出申请人信息 button sends
the form as typed here; the identity number or credit code typed finds the applicant's contact
details in this agency's earlier applications (applications/services/applicants.py, audited),
which fill the empty fields of the form shown again. What the clerk typed is never overwritten."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gongkai.accounts.decorators import staff_required
from gongkai.applications.services import ApplicationError, NotPermitted, applicant_lookup

from .. import selectors_applications as selectors
from ..forms_applications import StaffRegisterForm
from .applications import register_page
from .common import forbidden

SENT_BACK = (
    "agency", "channel", "received_on", "description", "doc_no", "purpose", "form", "delivery",
)  # fmt: skip


@sensitive_post_parameters()
@require_POST
@staff_required
def application_applicant_lookup(request):
    agencies = selectors.handling_agencies(request.user)
    if not agencies.exists():
        raise Http404
    data = request.POST
    agency = agencies.filter(code=data.get("agency", "")).first()
    code = (data.get("id_number") or data.get("org_code") or "").strip()
    message, found_ok = "", False
    typed = {name: data.get(name, "") for name in (*SENT_BACK, "applicant_type", "name", "id_type", "id_number",
                                                  "org_code", "contact_name", "phone", "email", "address",
                                                  "postcode")}  # fmt: skip
    if agency is None:
        message = _("请先选择受理机关。")
    else:
        try:
            found = applicant_lookup(agency=agency, code=code, actor=request.user)
        except ApplicationError as exc:
            found, message = None, str(exc)
        except NotPermitted as exc:
            return forbidden(request, str(exc))
        if found is not None:
            for name, value in found.values.items():
                mine = typed.get(name, "").strip()
                if value and (not mine or "".join(mine.split()).upper() == value.upper()):
                    typed[name] = value  # an empty field, or the code as typed in another case
            found_ok = True
            message = _(
                "已从本机关此前的 %(n)d 件申请中带出申请人信息（最近一次：%(no)s），请与申请人核对。本次查询已记入审计日志。"
            ) % {"n": found.earlier, "no": found.source.tracking_no}
        elif not message:
            message = _("本机关没有该证件号码或统一社会信用代码的申请记录（已匿名化的除外），请手工填写。")
    return register_page(
        request, StaffRegisterForm(initial=typed, user=request.user), chosen_channel=typed.get("channel"),
        lookup_message=message, lookup_found=found_ok,
    )  # fmt: skip
