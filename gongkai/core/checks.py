"""System checks for a production deployment (``python -m django check --deploy`` with
``GONGKAI_PRODUCTION=1``; docs/deployment.md). Each refuses a setting that would make a
secret guessable or a deployment unusable, with what to set instead."""

import ipaddress
import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# The key settings.py falls back to when SECRET_KEY is unset: public, in the source.
DEMO_SECRET_KEY = "gongkai-demo-insecure-key-change-me-in-production-0123456789"
MIN_KEY_LENGTH = 32


def in_production() -> bool:
    return os.environ.get("GONGKAI_PRODUCTION") == "1"


def _weak_secret_key(value: str) -> bool:
    return not value or value == DEMO_SECRET_KEY or value.startswith(("gongkai-demo-", "django-insecure-"))


@register(Tags.security, deploy=True)
def check_secret_keys(app_configs=None, **kwargs):
    """SECRET_KEY and the query codes' HMAC key are set, and not the demo's (issue 10, §5)."""
    if not in_production():
        return []
    errors = []
    if _weak_secret_key(settings.SECRET_KEY):
        errors.append(
            Error(
                "SECRET_KEY is unset or is the demo key published in the source.",
                hint="Set SECRET_KEY in the environment to a random value of at least 50 characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(50))').",
                id="gongkai.E501",
            )
        )
    query_key = getattr(settings, "GONGKAI_QUERY_CODE_KEY", "") or ""
    if len(query_key) < MIN_KEY_LENGTH or query_key == settings.SECRET_KEY:
        errors.append(
            Error(
                "GONGKAI_QUERY_CODE_KEY (the HMAC key of query codes) is missing, shorter than "
                f"{MIN_KEY_LENGTH} characters or the same as SECRET_KEY.",
                hint="Set GONGKAI_QUERY_CODE_KEY to its own random value, kept outside the database and its "
                "backups; once set, never change it: the query codes already handed out depend on it.",
                id="gongkai.E502",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_reverse_proxy(app_configs=None, **kwargs):
    """Behind proxies that append X-Forwarded-For, the proxies' addresses are needed too, or
    the https redirect loops (SECURE_PROXY_SSL_HEADER is set only for listed proxies)."""
    if not in_production():
        return []
    if getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0) > 0 and not getattr(
        settings, "GONGKAI_TRUSTED_PROXY_ADDRESSES", []
    ):
        return [
            Warning(
                "GONGKAI_TRUSTED_PROXIES is set but GONGKAI_TRUSTED_PROXY_ADDRESSES is not: behind a "
                "TLS-terminating proxy every request is redirected to https again (a 301 loop).",
                hint="Set GONGKAI_TRUSTED_PROXY_ADDRESSES to the proxies' addresses, e.g. 10.0.0.5 or 10.0.0.0/24.",
                id="gongkai.W503",
            )
        ]
    return []


@register(Tags.security)
def check_proxy_addresses(app_configs=None, **kwargs):
    errors = []
    for address in getattr(settings, "GONGKAI_TRUSTED_PROXY_ADDRESSES", []):
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"GONGKAI_TRUSTED_PROXY_ADDRESSES: {address!r} is not an IP address or network.",
                    hint="Write addresses or networks separated by commas, e.g. 10.0.0.5,10.0.1.0/24.",
                    id="gongkai.E504",
                )
            )
    return errors


# The audit chain's key (issue 10, §2; gongkai/core/audit.py). Added by the audit-trail change.
DEMO_AUDIT_KEY = "gongkai-demo-audit-key-not-for-production"


@register(Tags.security, deploy=True)
def check_audit_key(app_configs=None, **kwargs):
    """GONGKAI_AUDIT_KEY is set, long enough, not the demo's and not SECRET_KEY."""
    if not in_production():
        return []
    key = getattr(settings, "GONGKAI_AUDIT_KEY", "") or ""
    if len(key) < MIN_KEY_LENGTH or key == DEMO_AUDIT_KEY or key == settings.SECRET_KEY:
        return [
            Error(
                "GONGKAI_AUDIT_KEY (the HMAC key of the audit hash chain) is missing, shorter than "
                f"{MIN_KEY_LENGTH} characters, the demo key or the same as SECRET_KEY.",
                hint="Set GONGKAI_AUDIT_KEY to its own random value, kept outside the database and its "
                "backups; never change it afterwards: the events already written are keyed with it.",
                id="gongkai.E510",
            )
        ]
    return []
