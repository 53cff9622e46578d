"""HTTP caching of public pages (issue 13, section 3; docs/deployment.md, "Caching").

``cached_public(view)`` wraps a read-only public view (portal pages, /api/v1/ reads of
published data) with three layers:

* ``Cache-Control: public, max-age=GONGKAI_PUBLIC_MAX_AGE``: browsers and proxies may keep it.
* ``ETag`` (a hash of the body) and ``Last-Modified`` (when it was rendered); a conditional
  request (``If-None-Match``/``If-Modified-Since``) that matches is answered 304 with no body.
* A server-side copy in Django's cache (Redis when ``GONGKAI_REDIS_URL`` is set, else the
  process's local memory), keyed by the page generation, the language, scheme, host and full
  path (query string included, so each search has its own entry). A burst on one page or one
  query renders it once per generation; the others cost neither the database nor the engine.

**Invalidation.** Every state change goes through a service and is audited
(gongkai/core/audit.py). Each audit event (but for the ones that change no public page:
sign-ins, submissions of personal requests, ...) bumps the *page generation*, both at once
and again after its transaction commits, so every cached page is from then on a miss and is
rendered again. Where the generation lives:

* a shared cache (Redis, memcached, the file or database cache): a counter in that cache, so
  a publication through one node or worker invalidates the pages of every node at no cost to
  the database;
* the local-memory cache (the embedded default, one cache per process): the newest audit
  event's id, one primary-key lookup per request, so a change made through another worker
  process is seen at once all the same.

Pages built from the search index also depend on the node's own index, which applies a change
a moment after it commits: the search follower notes how far it has got about once a second
(``set_local_part``), and that is part of the generation too.

Entries also expire after ``GONGKAI_PAGE_CACHE_SECONDS`` (default 300), which
bounds what changes without an audit event (the passing of time, e.g. "latest" lists). Signed-in
visitors (a session cookie) and requests with credentials bypass the server-side copy; a
response that sets a cookie, uses the CSRF token or is not a plain 200 is never stored.

No imports from domain apps: the shared kernel (STYLE.md).
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from .models import AuditEvent

log = logging.getLogger(__name__)
GENERATION_KEY = "pagecache:generation"
KEY_PREFIX = "pagecache:page:"
# Audit actions that change nothing a public page shows: they do not invalidate the cache.
QUIET_ACTION_PREFIXES = (
    "user_",  # sign-in, sign-out, lockouts, second factor, passwords
    "application_submit",  # an application (personal data): no public page shows it
    "application_file_add",
    "complaint_submit",
    "notice_",
    "letter_",
    "backup_",
)
# Response headers kept with a cached page (the rest is added again by the middleware).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Robots-Tag", "Link")


def max_age() -> int:
    return int(getattr(settings, "GONGKAI_PUBLIC_MAX_AGE", 60))


def page_cache_seconds() -> int:
    return int(getattr(settings, "GONGKAI_PAGE_CACHE_SECONDS", 300))


def shared_cache() -> bool:
    """True when the default cache is shared by processes (anything but local memory/dummy)."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return not backend.endswith(("LocMemCache", "DummyCache"))


# --- the page generation ---


_local_parts: dict[str, object] = {}


def set_local_part(name: str, value) -> None:
    """Make ``value`` part of this process's page generation: state of this node that pages
    depend on beyond the database (how far its search index has applied the change log, noted
    by the search follower about once a second: search/follower.py)."""
    _local_parts[name] = value


def generation() -> str:
    """The current page generation: it changes whenever public data may have changed."""
    local = "".join(f";{k}={v}" for k, v in sorted(_local_parts.items()))
    return _shared_generation() + local


def _shared_generation() -> str:
    if shared_cache():
        value = cache.get(GENERATION_KEY)
        if value is None:
            # Never a number used before (a flushed Redis starts again from the clock).
            cache.add(GENERATION_KEY, int(time.time() * 1000), timeout=None)
            value = cache.get(GENERATION_KEY, 0)
        return f"c{value}"
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return f"a{newest or 0}"


def bump_generation() -> None:
    """Invalidate every cached page (all nodes, where the cache is shared). Never raises: a
    cache that is down must not roll back the publication that called it."""
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # not there yet (or expired): start from the clock
            cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)
    except Exception:
        log.exception("page cache: could not bump the generation")


def changes_public_pages(action: str) -> bool:
    return not action.startswith(QUIET_ACTION_PREFIXES)


def on_audit_event(sender, instance, created, **kwargs) -> None:
    """post_save receiver of AuditEvent (connected in CoreConfig.ready): bump now, so this
    transaction's own later reads miss, and again after the commit, so a page rendered by
    another process from the data before the commit is not kept under the new generation."""
    if not created or not changes_public_pages(instance.action or ""):
        return
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


# --- the view decorator ---


def _bypass(request) -> bool:
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
    )


def _cache_key(request, gen: str) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    raw = "\n".join((gen, language, request.scheme, request.get_host(), request.get_full_path()))
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # set by every use of the token
        and not any(d in response.get("Cache-Control", "") for d in ("private", "no-store", "no-cache"))
    )


def _etag(content: bytes) -> str:
    return f'"{hashlib.blake2b(content, digest_size=16).hexdigest()}"'


def _conditional(request, response):
    """Add Cache-Control and the validators; answer 304 when the request's validators match."""
    patch_cache_control(response, public=True, max_age=max_age())
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        response["ETag"] = _etag(response.content)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date()
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response["Last-Modified"]),
        response=response,
    )


def _from_cache(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content, content_type=headers.get("Content-Type"))
    for name, value in headers.items():
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _rendered(response):
    """A TemplateResponse (sitemaps) rendered now: its body is hashed for the ETag."""
    if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
        response = response.render()
    return response


def cached_public(view):
    """GET/HEAD only; public Cache-Control, ETag/Last-Modified with 304s, and the server-side
    copy invalidated by the page generation (module docstring)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if _bypass(request) or page_cache_seconds() <= 0:
            return _conditional(request, _rendered(view(request, *args, **kwargs)))
        try:
            key = _cache_key(request, generation())  # read before rendering: see on_audit_event
            entry = cache.get(key)
        except Exception:  # the cache (Redis) is down: serve without it
            log.exception("page cache unavailable")
            return _conditional(request, _rendered(view(request, *args, **kwargs)))
        if entry is not None:
            return _conditional(request, _from_cache(entry))
        response = _rendered(view(request, *args, **kwargs))
        if _storable(request, response):
            response["ETag"] = _etag(response.content)
            response["Last-Modified"] = http_date()
            headers = {
                h: response[h] for h in (*_KEPT_HEADERS, "ETag", "Last-Modified") if response.has_header(h)
            }
            try:
                cache.set(key, (response.content, headers), page_cache_seconds())
            except Exception:
                log.exception("page cache unavailable")
            response["X-Page-Cache"] = "miss"
        return _conditional(request, response)

    return wrapped


def public_page(view):
    """A public read-only page: GET/HEAD only, cached as ``cached_public`` says."""
    return require_safe(cached_public(view))
