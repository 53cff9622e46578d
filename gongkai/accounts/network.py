"""The client address that lockout and the audit trail both use."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client. Behind ``GONGKAI_TRUSTED_PROXIES`` reverse proxies the
    address is read from X-Forwarded-For, counting from the right (the entries the proxies
    appended), because the left-hand entries are whatever the client chose to send. Without
    this, every request would seem to come from the proxy and one address could lock out
    every account."""
    if request is None:
        return None
    proxies = getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None
