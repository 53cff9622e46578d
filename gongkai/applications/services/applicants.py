"""Applicant look-up at registration (issue 18 item 7): the clerk types the applicant's identity
number or unified social credit code, and the contact details of that applicant's latest earlier
application to the same agency fill the form. Only within an agency where the clerk handles
applications, never from an application anonymised at the end of its retention period, and
every look-up (found or not) is audited as a read of personal data."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.audit import audit_record

from ..models import Application
from ..personal_data import REVEAL_ACTION
from .base import ApplicationError, _require, can_handle

# The fields a look-up fills: who the applicant is and how to reach them, never the request.
APPLICANT_FIELDS = (
    "applicant_type", "name", "id_type", "id_number", "org_code", "contact_name", "phone", "email", "address",
    "postcode",
)  # fmt: skip
LOOKUP_SHOWN = "applicant_lookup"
MIN_CODE_LENGTH = 6


@dataclass
class ApplicantFound:
    values: dict  # field name -> value, from the latest earlier application
    earlier: int  # how many earlier applications of this agency have the code
    source: Application  # the application the values come from


def _mask(code: str) -> str:
    return code[:4] + "*" * max(len(code) - 6, 0) + code[-2:]


def applicant_lookup(*, agency: Agency, code: str, actor) -> ApplicantFound | None:
    """The applicant with identity number or credit code ``code`` as the agency last recorded
    them, or None. Refused to anyone who does not handle the agency's applications."""
    _require(can_handle(actor, agency))
    code = "".join(code.split()).upper()
    if len(code) < MIN_CODE_LENGTH:
        raise ApplicationError(_("请先填写完整的证件号码或统一社会信用代码。"))
    earlier = Application.objects.filter(agency=agency, anonymised_at__isnull=True).filter(
        id_number__iexact=code
    ) | Application.objects.filter(agency=agency, anonymised_at__isnull=True, org_code__iexact=code)
    latest = earlier.order_by("-submitted_at", "-pk").first()
    count = earlier.count()
    audit_record(
        actor=actor, action=REVEAL_ACTION, obj=latest,
        after={"shown": LOOKUP_SHOWN, "agency": agency.code, "code": _mask(code), "found": count,
               "reason": _("登记申请时按证件号码或统一社会信用代码带出申请人信息")},
    )  # fmt: skip
    if latest is None:
        return None
    return ApplicantFound(
        values={name: getattr(latest, name) for name in APPLICANT_FIELDS}, earlier=count, source=latest
    )
