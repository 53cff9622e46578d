"""Behind a TLS-terminating reverse proxy (docs/deployment.md, "Behind a reverse proxy").

The proxy talks plain HTTP to the application and says in ``X-Forwarded-Proto`` whether the
client used https; settings.py then sets ``SECURE_PROXY_SSL_HEADER`` so that
``SECURE_SSL_REDIRECT`` does not send the proxy's request round again (a 301 loop). Only the
proxies listed in ``GONGKAI_TRUSTED_PROXY_ADDRESSES`` are believed: from any other peer the
header is dropped, so a client that reaches the application directly cannot claim https.
"""

import ipaddress

from django.conf import settings


def _networks(addresses) -> list:
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(address, strict=False))
        except ValueError:
            continue  # checks.py reports it
    return networks


def is_trusted_proxy(peer: str | None, addresses=None) -> bool:
    """True when ``peer`` (an IP address) is one of the trusted proxies."""
    if not peer:
        return False
    try:
        ip = ipaddress.ip_address(peer)
    except ValueError:
        return False
    listed = settings.GONGKAI_TRUSTED_PROXY_ADDRESSES if addresses is None else addresses
    return any(ip in network for network in _networks(listed))


class ForwardedProtoFromTrustedProxiesOnly:
    """First middleware: forgets ``X-Forwarded-Proto`` unless a trusted proxy sent it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
