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
