"""State changes of the agency directory: one entry point each (STYLE.md, habit 3).

``actor=None`` is the operator at the command line (the audit trail records "system"); any
other actor must be a superuser or an administrator whose scope covers the agency (for the
guide's office details, also the agency's disclosure office head).
"""

import re
from dataclasses import asdict, dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from .access import has_role
from .models import (
    Agency,
    AgencyLevel,
    DisclosureOffice,
    GuideText,
    ReadingPoint,
    Role,
    StaffRole,
    validate_agency_code,
)


class AgencyError(Exception):
    """A user error in a directory action; the message says what to fix."""


class NotPermitted(AgencyError, core_services.NotPermitted):
    """The actor may not do this with this agency."""


# Who keeps the guide's office details (公开指南, Art. 12) current.
GUIDE_ROLES = (Role.ADMINISTRATOR, Role.OFFICE_HEAD)
# Every write that records a review of the guide puts the day in its audit event's ``after``
# under this key (in the hash chain), so the review in force on any past day can be found
# again: the office row only keeps the latest (selectors.guide_reviews_as_of).
GUIDE_REVIEW_KEY = "guide_reviewed_on"
GUIDE_REVIEW_ACTIONS = ("agency_create", "agency_update", "office_update", "guide_confirm")
POSTCODE_RE = re.compile(r"\d{6}")


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
class RemedyData:
    """Who hears the remedies against the agency's decisions (行政复议法 2023), as letters name them."""

    vertically_led: bool = False
    reconsideration_body: str = ""
    reconsideration_address: str = ""
    court: str = ""
    court_address: str = ""


REMEDY_FIELDS = tuple(RemedyData.__dataclass_fields__)


@dataclass(frozen=True)
class AgencyData:
    """Everything the directory holds about an agency, keyed by its code (``office`` and
    ``remedies`` None: keep what is recorded)."""

    code: str
    name: str
    level: str
    short_name: str = ""
    parent_code: str | None = None
    office: OfficeData | None = None
    remedies: RemedyData | None = None


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
        "remedies": remedy_snapshot(agency),
    }


def remedy_snapshot(agency: Agency) -> dict:
    return {f: getattr(agency, f) for f in REMEDY_FIELDS}


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


def _office_fields(row: DisclosureOffice) -> dict:
    return {f: getattr(row, f) for f in OfficeData.__dataclass_fields__}


def _office_snapshot(row: DisclosureOffice) -> dict:
    """The audited view of an office: its published fields and the review day."""
    reviewed = row.guide_reviewed_on
    return {**_office_fields(row), GUIDE_REVIEW_KEY: reviewed.isoformat() if reviewed else None}


def _label(field: str) -> str:
    """The field's name (电子邮箱：) to put before a message about it, so it says what to fix."""
    names = OfficeData.__dataclass_fields__
    return f"{DisclosureOffice._meta.get_field(field).verbose_name}：" if field in names else ""


def _office_apply(row: DisclosureOffice, data: OfficeData) -> bool:
    """Copy ``data`` onto ``row`` and check it; True when a published field changes."""
    changed = row.pk is None or _office_fields(row) != asdict(data)
    for name, value in asdict(data).items():
        setattr(row, name, value)
    errors = []
    try:
        row.full_clean(exclude=["agency"])
    except ValidationError as exc:
        errors = [f"{_label(field)}{m}" for field, msgs in exc.message_dict.items() for m in msgs]
    if row.postcode and not POSTCODE_RE.fullmatch(row.postcode):
        errors.append(_("邮政编码应为6位数字。"))
    if errors:
        raise AgencyError("；".join(str(m) for m in errors))
    return changed


def _save_office(agency: Agency, office: OfficeData | None) -> date | None:
    """Write the office; a change of what the guide publishes counts as a review of the guide
    (returned), an unchanged office is left alone."""
    if office is None:
        return None
    row = DisclosureOffice.objects.filter(agency=agency).first() or DisclosureOffice(agency=agency)
    if not _office_apply(row, office):
        return None
    row.guide_reviewed_on = timezone.localdate()
    row.save()
    return row.guide_reviewed_on


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
        "remedies": asdict(data.remedies)
        if data.remedies is not None
        else (before or {}).get("remedies", asdict(RemedyData())),
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
    for name, value in proposed["remedies"].items():
        setattr(agency, name, value)
    agency.save()
    reviewed = _save_office(agency, data.office)
    after = agency_snapshot(agency)
    if reviewed is not None:
        after[GUIDE_REVIEW_KEY] = reviewed.isoformat()
    audit_record(
        actor=actor,
        action="agency_create" if before is None else "agency_update",
        obj=agency,
        before=before,
        after=after,
    )
    return agency, "created" if before is None else "updated"


def can_manage_guide(user, agency: Agency) -> bool:
    """Keeping the guide's office details is the agency administrator's or the disclosure
    office head's (``None``: the operator at the command line)."""
    return user is None or has_role(user, agency, *GUIDE_ROLES)


def _require_guide_keeper(actor, agency: Agency) -> None:
    core_services.require(can_manage_guide(actor, agency), NotPermitted, _("您无权维护该机关的公开指南。"))


@transaction.atomic
def office_update(*, agency: Agency, data: OfficeData, actor) -> DisclosureOffice:
    """The office edits the details its guide states (name, address, hours, phone, fax,
    e-mail, postcode, website); saving them, changed or not, records today as the day the
    guide was last reviewed (Art. 12). Creates the office when the agency has none."""
    _require_guide_keeper(actor, agency)
    row = DisclosureOffice.objects.select_for_update().filter(agency=agency).first()
    before = _office_snapshot(row) if row is not None else None
    row = row or DisclosureOffice(agency=agency)
    _office_apply(row, data)
    row.guide_reviewed_on = timezone.localdate()
    row.save()
    audit_record(actor=actor, action="office_update", obj=agency, before=before, after=_office_snapshot(row))
    return row


@transaction.atomic
def agency_remedies_update(*, agency: Agency, data: RemedyData, actor) -> Agency:
    """The office records who hears reconsideration of the agency's decisions and which court
    hears a suit, with addresses: the reply letters, the progress page and the guide name them."""
    _require_guide_keeper(actor, agency)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = remedy_snapshot(agency)
    values = {
        name: value.strip() if isinstance(value, str) else value for name, value in asdict(data).items()
    }
    for name, value in values.items():
        setattr(agency, name, value)
    try:
        agency.clean_fields(exclude=[f.name for f in Agency._meta.fields if f.name not in REMEDY_FIELDS])
    except ValidationError as exc:
        raise AgencyError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    if values == before:
        return agency
    agency.save(update_fields=list(REMEDY_FIELDS))
    audit_record(actor=actor, action="agency_remedies_update", obj=agency, before=before, after=values)
    return agency


@transaction.atomic
def guide_confirm(*, agency: Agency, actor) -> DisclosureOffice:
    """The office states that the details its guide gives are still accurate: today becomes
    the day the guide was last reviewed."""
    _require_guide_keeper(actor, agency)
    row = DisclosureOffice.objects.select_for_update().filter(agency=agency).first()
    if row is None:
        raise AgencyError(_("本机关尚未登记政府信息公开工作机构，请先填写并保存机构信息。"))
    before = _office_snapshot(row)[GUIDE_REVIEW_KEY]
    row.guide_reviewed_on = timezone.localdate()
    row.save(update_fields=["guide_reviewed_on"])
    audit_record(
        actor=actor,
        action="guide_confirm",
        obj=agency,
        before={GUIDE_REVIEW_KEY: before},
        after={GUIDE_REVIEW_KEY: row.guide_reviewed_on.isoformat()},
    )
    return row


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


GUIDE_TEXT_FIELDS = ("proactive_scope", "wechat", "hotline")


@transaction.atomic
def guide_text_update(*, agency: Agency, proactive_scope: str, wechat: str = "", hotline: str = "", actor):
    """The office writes what its guide says the agency discloses proactively and its other
    channels (WeChat account, hotline): a new version of the guide's text, the older ones kept
    as its history. Saving what is already current writes nothing."""
    _require_guide_keeper(actor, agency)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()  # one version number at a time
    values = {
        "proactive_scope": proactive_scope.strip(),
        "wechat": wechat.strip(),
        "hotline": hotline.strip(),
    }
    current = GuideText.objects.filter(agency=agency).order_by("-version").first()
    before = {f: getattr(current, f) for f in GUIDE_TEXT_FIELDS} if current else None
    if before == values:
        return current
    row = GuideText(
        agency=agency, version=(current.version + 1) if current else 1, created_at=timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None, **values,
    )  # fmt: skip
    try:
        row.full_clean(exclude=["agency", "created_by"])
    except ValidationError as exc:
        raise AgencyError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from exc
    row.save()
    audit_record(
        actor=actor,
        action="guide_text_update",
        obj=agency,
        before=before,
        after={**values, "version": row.version},
    )
    return row
