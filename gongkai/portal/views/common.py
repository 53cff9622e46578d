from django.conf import settings
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# Public pages may be cached by browsers and proxies for this long, so load spikes do not
# reach the application; a minute keeps the guide and the catalogue "always current" enough.
PUBLIC_MAX_AGE = getattr(settings, "GONGKAI_PUBLIC_MAX_AGE", 60)


def public_page(view):
    """GET/HEAD only, with a public Cache-Control."""
    return require_safe(cache_control(public=True, max_age=PUBLIC_MAX_AGE)(view))
