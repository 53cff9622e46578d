"""The agency directory's tree as HTML, written in Python (issue 13, §4).

The same markup as ``portal/includes/agency_node.html`` renders for one agency, for the
whole tree at once: the template engine took about 1.5 ms per agency (a recursive include,
two ``{% url %}`` and a choice display each), 7 s for a province's 5,000 agencies, where this
takes a few tens of milliseconds. Every text is escaped; the two URL patterns are reversed once.

Even tens of milliseconds (and 1.8 MB of HTML built anew) is too much for every request, so
``directory_html`` keeps the written tree in Django's cache under a *directory generation*
that changes with the agencies and their offices (a save or delete of either, connected in
PortalConfig.ready), not with every publication as the page cache's generation does.

So that the first person after an agency change does not pay for writing it, the process that
made the change writes the tree for every language right after the transaction commits
(``warm_directory``, once per transaction; in autocommit mode at most once a second, a burst
of saves leaving the rest to the next request). With a shared cache (Redis) every process
and node reads that tree; with the per-process local-memory cache only the changing process
has it, the others write theirs on their next request.
"""

import gc
import logging
import re
import time
from contextlib import contextmanager
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from gongkai.agencies.models import Agency, AgencyLevel, DisclosureOffice
from gongkai.core import pagecache

from .selectors import AgencyNode, agency_tree

log = logging.getLogger(__name__)
_KEY = "__code__"


_SAFE = "!$&'()*+,;=/~:@"  # what ``reverse`` leaves unquoted in a path
_PLAIN = re.compile(r"[A-Za-z0-9_.\-]*")


def _url_of(name: str):
    before, after = reverse(name, args=[_KEY]).split(_KEY)
    return lambda code: before + (code if _PLAIN.fullmatch(code) else quote(code, safe=_SAFE)) + after


def agency_tree_html(roots: list[AgencyNode]) -> SafeString:
    """The ``<li>`` of every node of the forest, children nested in ``<ul class="tree__children">``."""
    agency_url, guide_url = _url_of("portal:agency"), _url_of("portal:guide")
    levels = {value: str(label) for value, label in AgencyLevel.choices}
    guide, phone_label = escape(gettext("公开指南")), escape(gettext("电话"))
    out: list[str] = []

    def node_html(node: AgencyNode) -> None:
        a = node.agency
        name, code = escape(a.name), a.code
        out.append(
            f'<li class="tree__node tree__node--{escape(a.level)}">\n  <div class="tree__row">\n'
            f'    <a class="tree__name" href="{escape(agency_url(code))}">{name}</a>\n'
            f'    <span class="tree__level">{escape(levels.get(a.level, a.level))}</span>\n'
            f'    <a class="tree__guide" href="{escape(guide_url(code))}">{guide}'
            f'<span class="visually-hidden">（{name}）</span></a>\n  </div>\n'
        )
        office = getattr(a, "office", None)
        if office is not None:
            line = escape(office.name)
            if office.phone:
                line += f" · {phone_label} {escape(office.phone)}"
            if office.address:
                line += f" · {escape(office.address)}"
            out.append(f'  <p class="tree__office">{line}</p>\n')
        children = node.children
        if children:
            out.append('  <ul class="tree__children">\n    ')
            for child in children:
                node_html(child)
            out.append("\n  </ul>\n")
        out.append("</li>")

    for root in roots:
        node_html(root)
    return mark_safe("".join(out))


# --- the cached tree ---

GENERATION_KEY = "portal:directory:generation"
_local_generation = 0  # this process's own changes, for the per-process local-memory cache


def _generation() -> str:
    if pagecache.shared_cache():
        # Shared by every process and node (Redis): a counter bumped by the signals below.
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, 1, timeout=None)
            value = cache.get(GENERATION_KEY, 0)
        return f"d{value}"
    # One cache per process: another worker's change is seen through the page generation (the
    # newest audit event; every agency change goes through an audited service), this process's
    # own unaudited ones (bulk loads, the shell) through the local counter.
    return f"{pagecache.generation()};l{_local_generation}"


def _bump() -> None:
    global _local_generation
    _local_generation += 1
    if pagecache.shared_cache():
        try:
            try:
                cache.incr(GENERATION_KEY)
            except ValueError:
                cache.set(GENERATION_KEY, 2, timeout=None)
        except Exception:  # a cache that is down must not undo the change that called it
            pass


def bump_directory_generation(**kwargs) -> None:
    """post_save/post_delete receiver of Agency and DisclosureOffice: the tree is written anew
    here at once and again after the commit (a request rendered by another process from the
    rows before the commit must not be kept under the new key), then written for every
    language by this process before anyone asks (``warm_directory``)."""
    _bump()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()  # autocommit: the row is committed already
        warm_directory(debounce=True)
    elif not any(entry[1] is _after_commit for entry in connection.run_on_commit):
        # One bump and one tree per transaction, however many agencies it saves (a bulk load).
        transaction.on_commit(_after_commit, robust=True)


def _after_commit() -> None:
    _bump()
    warm_directory()


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Agency, DisclosureOffice):
        for signal in (post_save, post_delete):
            signal.connect(
                bump_directory_generation, sender=model, dispatch_uid=f"directory-{model.__name__}"
            )


WARM_EVERY_S = 1.0  # in autocommit mode, at most one warm-up a second (a burst of saves)
_last_warm = -WARM_EVERY_S


def warm_directory(*, debounce: bool = False) -> bool:
    """Write the tree for every language of settings.LANGUAGES under the present directory
    generation (one query for all of them). With ``debounce``, nothing when the last warm-up
    of this process was under WARM_EVERY_S ago: the next request writes it. Never raises: the
    change that called it is committed, and a tree not written is written when asked for."""
    global _last_warm
    now = time.monotonic()
    if debounce and now - _last_warm < WARM_EVERY_S:
        return False
    _last_warm = now
    try:
        generation = _generation()
        with _gc_paused():
            roots = agency_tree()
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    _keep(generation, str(agency_tree_html(roots)))
        return True
    except Exception:
        log.exception("directory: writing the tree after an agency change failed")
        return False


@contextmanager
def _gc_paused():
    """Without the cyclic collector while the tree is built: its 5,000 nodes and 30,000
    strings, freed by reference counting anyway, would otherwise set off full collections of
    the process's 200,000 objects (a cold write measured 55 ms median, 165 ms p90 with them,
    45 / 51 ms without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _tree_key() -> str:
    # One entry per language, overwritten: old generations do not pile up (1.8 MB each at
    # 5,000 agencies). Nothing in the tree changes with time, so it is kept for a day.
    return f"portal:directory:tree:{get_language()}"


def _keep(generation: str, html: str) -> None:
    cache.set(_tree_key(), (generation, html), timeout=86400)


def directory_html() -> SafeString:
    """The whole directory's tree, written once per directory generation and language."""
    generation = _generation()
    kept = cache.get(_tree_key())
    if kept is not None and kept[0] == generation:
        return mark_safe(kept[1])
    with _gc_paused():
        html = str(agency_tree_html(agency_tree()))
    _keep(generation, html)
    return mark_safe(html)
