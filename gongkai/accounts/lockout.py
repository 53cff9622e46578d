"""The login-failure lockout: django-axes' database handler with a second count per address.

Axes counts failures per (username, address) pair (settings.AXES_LOCKOUT_PARAMETERS), so one
address cannot lock every account. That alone let one address try a password on every account
(password spraying: 20 failures over 5 accounts went unblocked), so failures from one address
across all usernames are counted too: past GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT within the cool-off
the address is locked out for every account. The limit is higher than the per-account one so
that staff sharing an office's address do not lock each other out with ordinary typing errors.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address: str | None) -> int:
    """Failed sign-ins from ``ip_address`` within the cool-off, whatever the username."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AddressAwareHandler(AxesDatabaseHandler):
    """AXES_HANDLER. Axes locks when ``get_failures`` reaches the failure limit; an address over
    its own limit reports the limit, so axes locks it for every username."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        limit = settings.GONGKAI_LOGIN_ADDRESS_FAILURE_LIMIT
        if limit and address_failures(getattr(request, "axes_ip_address", None)) >= limit:
            return max(failures, get_failure_limit(request, credentials))
        return failures
