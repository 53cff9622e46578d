"""What a signed-in staff member must do before using the staff pages (security.md, "Identity
and access"): complete the second factor when they have one, change a password older than
``GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS``, enrol a second factor when ``GONGKAI_STAFF_2FA_REQUIRED``.

Selectors and pure functions only; ``decorators.staff_gate`` turns the answer into a redirect."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.agencies.access import holds_role

from .models import PasswordRecord


class Requirement(StrEnum):
    """Something the user must do first, in the order they are asked."""

    SECOND_FACTOR = "second_factor"  # a device is enrolled but this session never used it
    PASSWORD_CHANGE = "password_change"  # the password is older than the limit
    ENROLMENT = "enrolment"  # the second factor is mandatory and none is enrolled


def is_staff_member(user) -> bool:
    """True for a signed-in, active user who holds at least one staff role or is a superuser."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or holds_role(user)


def counts_as_staff(user) -> bool:
    """Staff for the sign-in rules: a workbench user or anyone allowed into the Django admin."""
    return bool(user.is_authenticated and user.is_active and user.is_staff) or is_staff_member(user)


def two_factor_required() -> bool:
    return bool(settings.GONGKAI_STAFF_2FA_REQUIRED)


def password_max_age_days() -> int:
    return int(settings.GONGKAI_STAFF_PASSWORD_MAX_AGE_DAYS)


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, if they have enrolled one (there is at most one)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def password_expired(*, changed_at: datetime, max_age_days: int, now: datetime) -> bool:
    """True when a password set at ``changed_at`` is more than ``max_age_days`` old (0: never)."""
    return max_age_days > 0 and now - changed_at > timedelta(days=max_age_days)


def password_changed_at(user) -> datetime:
    """When the user's password was last set; the account's creation when no record says."""
    changed_at = PasswordRecord.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return changed_at or user.date_joined


def password_change_due(user, *, now: datetime | None = None) -> bool:
    """True when the user is staff and their password has outlived the configured limit."""
    days = password_max_age_days()
    if days <= 0 or not counts_as_staff(user):
        return False
    return password_expired(
        changed_at=password_changed_at(user), max_age_days=days, now=now or timezone.now()
    )


def pending_requirement(user) -> Requirement | None:
    """What the signed-in ``user`` must do before anything else on the staff pages, or None.

    ``user.otp_device`` is set by django-otp's middleware to the device this session was
    verified with (None when it was not)."""
    if not user.is_authenticated:
        return None
    verified = getattr(user, "otp_device", None) is not None
    has_device = verified or user_has_device(user)
    if has_device and not verified:
        return Requirement.SECOND_FACTOR
    if password_change_due(user):
        return Requirement.PASSWORD_CHANGE
    if two_factor_required() and not has_device and counts_as_staff(user):
        return Requirement.ENROLMENT
    return None
