"""State changes of the agency directory: one entry point each (STYLE.md, habit 3).

``actor=None`` is the operator at the command line (the audit trail records "system"); any
other actor must be a superuser or an administrator whose scope covers the agency.
"""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from gongkai.core.audit import audit_record

from .access import has_role
from .models import Agency, AgencyLevel, DisclosureOffice, ReadingPoint, Role, StaffRole, validate_agency_code


class AgencyError(Exception):
    """A user error in a directory action; the message says what to fix."""


@dataclass(frozen=True)
class OfficeData:
    """The disclosure office (政府信息公开工作机构) of an agency, as shown in its guide."""

    name: str
    address: str = ""
    hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    postcode: str = ""
    website: str = ""


@dataclass(frozen=True)
class AgencyData:
    """Everything the directory holds about an agency, keyed by its code."""

    code: str
    name: str
    level: str
    short_name: str = ""
    parent_code: str | None = None
    office: OfficeData | None = None


def _require_admin(actor, agency: Agency | None) -> None:
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if agency is None or not has_role(actor, agency, Role.ADMINISTRATOR):
        raise AgencyError("您无权管理该机关。")


def agency_snapshot(agency: Agency) -> dict:
    """The audited view of an agency and its office."""
    office = DisclosureOffice.objects.filter(agency=agency).first() if agency.pk else None
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent_id else None,
        "office": None
        if office is None
        else {f: getattr(office, f) for f in OfficeData.__dataclass_fields__},
    }


def _target_parent(data: AgencyData, agency: Agency | None) -> Agency | None:
    if not data.parent_code:
        return None
    parent = Agency.objects.filter(code=data.parent_code).first()
    if parent is None:
        raise AgencyError(f"上级机关代码“{data.parent_code}”不存在。")
    if (
        agency is not None
        and agency.pk
        and (parent.pk == agency.pk or parent.path.startswith(agency.path + "/"))
    ):
        raise AgencyError("上级机关不能是本机关或其下级。")
    return parent


def _save_office(agency: Agency, office: OfficeData | None) -> None:
    if office is None:
        return
    row = DisclosureOffice.objects.filter(agency=agency).first() or DisclosureOffice(agency=agency)
    for name, value in asdict(office).items():
        setattr(row, name, value)
    try:
        row.full_clean(exclude=["agency"])
    except ValidationError as exc:
        raise AgencyError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    row.save()


@transaction.atomic
def agency_upsert(*, data: AgencyData, actor=None) -> tuple[Agency, str]:
    """Create the agency with ``data.code`` or bring it in line with ``data`` (office
    included). Returns the agency and "created", "updated" or "unchanged"; only a real
    change is written and audited."""
    try:
        validate_agency_code(data.code)
    except ValidationError as exc:
        raise AgencyError(exc.messages[0]) from exc
    if data.level not in AgencyLevel.values:
        raise AgencyError(f"未知的机关层级：{data.level}")
    agency = Agency.objects.select_for_update().filter(code=data.code).first()
    parent = _target_parent(data, agency)
    _require_admin(actor, agency if agency is not None else parent)
    before = agency_snapshot(agency) if agency is not None else None
    proposed = {
        "code": data.code,
        "name": data.name,
        "short_name": data.short_name,
        "level": data.level,
        "parent": parent.code if parent else None,
        "office": asdict(data.office) if data.office is not None else (before or {}).get("office"),
    }
    if before == proposed:
        return agency, "unchanged"
    agency = agency or Agency(code=data.code)
    agency.name, agency.short_name, agency.level, agency.parent = (
        data.name,
        data.short_name,
        data.level,
        parent,
    )
    agency.save()
    _save_office(agency, data.office)
    audit_record(
        actor=actor,
        action="agency_create" if before is None else "agency_update",
        obj=agency,
        before=before,
        after=agency_snapshot(agency),
    )
    return agency, "created" if before is None else "updated"


@transaction.atomic
def reading_point_upsert(
    *,
    name: str,
    kind: str,
    agencies: list[Agency],
    address: str = "",
    hours: str = "",
    phone: str = "",
    actor=None,
) -> tuple[ReadingPoint, bool]:
    """Create or update the reading point (查阅场所, Art. 25) called ``name`` and make it serve
    ``agencies`` (added to those it already serves). Returns the point and whether it is new."""
    if kind not in ReadingPoint.Kind.values:
        raise AgencyError(f"未知的查阅场所类型：{kind}")
    for agency in agencies:
        _require_admin(actor, agency)
    point = ReadingPoint.objects.filter(name=name).first()
    before = None
    if point is not None:
        before = {"kind": point.kind, "address": point.address, "hours": point.hours, "phone": point.phone}
        before["agencies"] = sorted(point.agencies.values_list("code", flat=True))
    after = {
        "kind": kind,
        "address": address,
        "hours": hours,
        "phone": phone,
        "agencies": sorted({*(before or {}).get("agencies", []), *(a.code for a in agencies)}),
    }
    if before == after:
        return point, False
    created = point is None
    point = point or ReadingPoint(name=name)
    point.kind, point.address, point.hours, point.phone = kind, address, hours, phone
    point.save()
    point.agencies.add(*agencies)
    audit_record(
        actor=actor,
        action="reading_point_create" if created else "reading_point_update",
        obj=point,
        before=before,
        after=after,
    )
    return point, created


@transaction.atomic
def staff_role_grant(*, user, agency: Agency, role: str, actor=None) -> tuple[StaffRole, bool]:
    """Give ``user`` ``role`` in ``agency``; granting a role already held changes nothing."""
    if role not in Role.values:
        raise AgencyError(f"未知的角色：{role}")
    _require_admin(actor, agency)
    grant, created = StaffRole.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        audit_record(
            actor=actor,
            action="staff_role_grant",
            obj=grant,
            after={"user": user.get_username(), "agency": agency.code, "role": role},
        )
    return grant, created
