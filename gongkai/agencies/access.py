"""The one access layer for agency scope and roles (security.md, "Identity and access").

Views and services ask here; a user out of scope gets the same answer as for something that
does not exist.
"""

from django.db.models import Q

from .models import Agency, Role, StaffRole


def agencies_in_scope(user, *roles: str):
    """Agencies the user may act on with one of ``roles`` (any role when none given).
    Supervisors and administrators reach every agency below theirs."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    grants = StaffRole.objects.filter(user=user)
    if roles:
        grants = grants.filter(role__in=roles)
    cond = Q(pk__in=[])
    for grant in grants.select_related("agency"):
        if grant.role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
            cond |= Q(pk=grant.agency_id) | Q(path__startswith=grant.agency.path + "/")
        else:
            cond |= Q(pk=grant.agency_id)
    return Agency.objects.filter(cond)


def has_role(user, agency: Agency, *roles: str) -> bool:
    """True when ``user`` holds one of ``roles`` with ``agency`` in scope."""
    return agencies_in_scope(user, *roles).filter(pk=agency.pk).exists()


# Roles held on the agency itself (no reach down the tree): who acts on a case is staff of its
# own agency; supervisors above read it (``agencies_in_scope``) but act on none.


def _agency_id(agency) -> int | None:
    return agency.pk if isinstance(agency, Agency) else agency


def roles_at(user, agency: Agency | int) -> set[str]:
    """The roles ``user`` holds on ``agency`` itself (an empty set for an anonymous user)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        StaffRole.objects.filter(user=user, agency_id=_agency_id(agency)).values_list("role", flat=True)
    )


def holds_role_at(user, agency: Agency | int, *roles: str) -> bool:
    """True when ``user`` holds one of ``roles`` (any role when none given) on ``agency`` itself."""
    if not getattr(user, "is_authenticated", False):
        return False
    grants = StaffRole.objects.filter(user=user, agency_id=_agency_id(agency))
    if roles:
        grants = grants.filter(role__in=roles)
    return grants.exists()


def holds_role(user, *roles: str) -> bool:
    """True when ``user`` holds one of ``roles`` (any role when none given) on some agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    grants = StaffRole.objects.filter(user=user)
    if roles:
        grants = grants.filter(role__in=roles)
    return grants.exists()


def agencies_where(user, *roles: str):
    """The ids of the agencies on which ``user`` holds one of ``roles`` itself (a subquery)."""
    return StaffRole.objects.filter(user=user, role__in=roles).values("agency_id")


def roles_by_agency(user, *roles: str) -> dict[int, set[str]]:
    """``{agency id: roles}`` of ``user``, limited to ``roles``, in one query."""
    out: dict[int, set[str]] = {}
    if not getattr(user, "is_authenticated", False):
        return out
    for agency_id, role in StaffRole.objects.filter(user=user, role__in=roles).values_list(
        "agency_id", "role"
    ):
        out.setdefault(agency_id, set()).add(role)
    return out


def staff_by_grant(*roles: str) -> dict[tuple[int, str], set[int]]:
    """Every grant as ``{(agency id, role): user ids}`` (limited to ``roles`` when given), in one
    query: whom a reminder goes to."""
    grants = StaffRole.objects.all()
    if roles:
        grants = grants.filter(role__in=roles)
    out: dict[tuple[int, str], set[int]] = {}
    for user_id, agency_id, role in grants.values_list("user_id", "agency_id", "role"):
        out.setdefault((agency_id, role), set()).add(user_id)
    return out


def staff_by_agency(*roles: str) -> dict[int, set[int]]:
    """``{agency id: user ids}`` of the staff holding one of ``roles`` there, in one query."""
    out: dict[int, set[int]] = {}
    for user_id, agency_id in StaffRole.objects.filter(role__in=roles).values_list("user_id", "agency_id"):
        out.setdefault(agency_id, set()).add(user_id)
    return out
