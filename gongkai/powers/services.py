"""State changes of the power lists: one entry point each (STYLE.md, habit 3). Each checks the
actor's role in the agency, writes and records the audit event in one transaction.

``actor=None`` is the operator at the command line (the audit trail records "system"); anyone
else must be the agency's administrator or the head of its disclosure office.
"""

from dataclasses import asdict, dataclass, field, fields, replace
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.agencies.access import has_role
from gongkai.agencies.models import Agency
from gongkai.core import services as core_services
from gongkai.core.audit import audit_record

from .models import DecisionCount, Power, PowerVersion
from .selectors import MANAGING_ROLES

FIRST_YEAR = 1990  # decision counts before the first power lists (2015) are historical imports


class PowerError(Exception):
    """A user error in a power-list action; the message says what to fix."""


class NotPermitted(PowerError, core_services.NotPermitted):
    pass


@dataclass(frozen=True)
class VersionFields:
    """What the list publishes about a power as of one version (everything but the dates)."""

    legal_basis: str = ""
    conditions: str = ""
    materials: str = ""
    procedure_steps: list[str] = field(default_factory=list)
    time_limit: str = ""
    fees: str = ""
    fee_basis: str = ""
    responsible_unit: str = ""
    supervision_phone: str = ""
    complaint_phone: str = ""

    def normalized(self) -> "VersionFields":
        """Surrounding blanks stripped, steps included (so that a re-typed identical version
        is recognised as unchanged)."""
        text = {
            f.name: (getattr(self, f.name) or "").strip() for f in fields(self) if f.name != "procedure_steps"
        }
        steps = [s.strip() if isinstance(s, str) else s for s in (self.procedure_steps or [])]
        return replace(self, **text, procedure_steps=steps)

    @classmethod
    def of(cls, version: PowerVersion) -> "VersionFields":
        return cls(**{f.name: getattr(version, f.name) for f in fields(cls)})


VERSION_FIELDS = tuple(f.name for f in fields(VersionFields))


def can_manage_powers(user, agency: Agency) -> bool:
    """Keeping the power list is the agency administrator's or the disclosure office head's."""
    return user is None or has_role(user, agency, *MANAGING_ROLES)


def _require(actor, agency: Agency) -> None:
    core_services.require(
        can_manage_powers(actor, agency), NotPermitted, _("您没有维护该机关权力清单的权限。")
    )


def _full_clean(obj, *, exclude: list[str]) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise PowerError("；".join(exc.messages)) from exc


def _actor(actor):
    return actor if getattr(actor, "pk", None) else None


def power_snapshot(power: Power) -> dict:
    return {"agency": power.agency.code, "code": power.code, "type": power.type, "name": power.name}


def version_snapshot(version: PowerVersion) -> dict:
    data = asdict(VersionFields.of(version))
    data["effective_from"] = version.effective_from.isoformat()
    data["effective_to"] = version.effective_to.isoformat() if version.effective_to else None
    return data


def _new_version(power: Power, effective_from: date, values: VersionFields, actor) -> PowerVersion:
    version = PowerVersion(
        power=power, effective_from=effective_from, created_by=_actor(actor), **asdict(values)
    )
    _full_clean(version, exclude=["power", "created_by"])
    version.save()
    return version


@transaction.atomic
def power_create(
    *,
    agency: Agency,
    code: str,
    type: str,
    name: str,
    effective_from: date,
    values: VersionFields,
    actor,
) -> Power:
    """Add a power to the agency's list with its first version, in force from ``effective_from``."""
    _require(actor, agency)
    code, name = (code or "").strip(), (name or "").strip()
    power = Power(agency=agency, code=code, type=type, name=name)
    _full_clean(power, exclude=["agency"])
    if Power.objects.filter(agency=agency, code=code).exists():
        raise PowerError(_("本机关的权力清单中已有编码为“%(code)s”的事项。") % {"code": code})
    power.save()
    version = _new_version(power, effective_from, values.normalized(), actor)
    audit_record(
        actor=actor,
        action="power_create",
        obj=power,
        after={**power_snapshot(power), "version": version_snapshot(version)},
    )
    return power


@transaction.atomic
def power_revise(*, power: Power, effective_from: date, values: VersionFields, actor) -> PowerVersion:
    """A new version of the power in force from ``effective_from``; the version before it ends the
    day before and is kept. The date must be later than the latest version's."""
    power = Power.objects.select_for_update().select_related("agency").get(pk=power.pk)
    _require(actor, power.agency)
    values = values.normalized()
    latest = power.versions.order_by("-effective_from").first()
    if latest is not None and effective_from <= latest.effective_from:
        raise PowerError(
            _("新版本的施行日期须晚于最近一个版本的施行日期（%(day)s）。")
            % {"day": latest.effective_from.isoformat()}
        )
    if latest is not None and VersionFields.of(latest) == values:
        raise PowerError(_("内容与最近一个版本相同，无需修订。"))
    before = version_snapshot(latest) if latest else None
    if latest is not None and (latest.effective_to is None or latest.effective_to >= effective_from):
        latest.effective_to = effective_from - timedelta(days=1)
        latest.save(update_fields=["effective_to"])
    version = _new_version(power, effective_from, values, actor)
    audit_record(
        actor=actor,
        action="power_revise",
        obj=power,
        before=before,
        after={**power_snapshot(power), "version": version_snapshot(version)},
    )
    return version


@transaction.atomic
def decision_count_set(*, power: Power, year: int, count: int, actor) -> DecisionCount:
    """Record how many decisions were made under the power in ``year`` (replacing any figure
    recorded before). Years not yet begun are refused."""
    _require(actor, power.agency)
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise PowerError(_("年度应在%(lo)s至%(hi)s之间。") % {"lo": FIRST_YEAR, "hi": this_year})
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise PowerError(_("处理决定数量应为不小于0的整数。"))
    row = DecisionCount.objects.select_for_update().filter(power=power, year=year).first()
    before = {"year": year, "count": row.count} if row else None
    if row is not None and row.count == count:
        return row
    if row is None:
        row = DecisionCount.objects.create(power=power, year=year, count=count)
    else:
        row.count = count
        row.save(update_fields=["count", "updated_at"])
    audit_record(
        actor=actor,
        action="decision_count_set",
        obj=row,
        before=before,
        after={"power": power.code, "agency": power.agency.code, "year": year, "count": count},
    )
    return row
