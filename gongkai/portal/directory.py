"""The agency directory's tree as HTML, written in Python (issue 13, §4).

The same markup as ``portal/includes/agency_node.html`` renders for one agency, for the
whole tree at once: the template engine took about 1.5 ms per agency (a recursive include,
two ``{% url %}`` and a choice display each), 7 s for a province's 5,000 agencies, where this
takes a few tens of milliseconds. Every text is escaped; the two URL patterns are reversed once.

Even tens of milliseconds (and 1.8 MB of HTML built anew) is too much for every request, so
``directory_html`` keeps the written tree in Django's cache under a *directory generation*
that changes with the agencies and their offices (a save or delete of either, connected in
PortalConfig.ready), not with every publication as the page cache's generation does.
"""

import re
from html import escape
from urllib.parse import quote

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from gongkai.agencies.models import Agency, AgencyLevel, DisclosureOffice
from gongkai.core import pagecache

from .selectors import AgencyNode, agency_tree

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


def bump_directory_generation(**kwargs) -> None:
    """post_save/post_delete receiver of Agency and DisclosureOffice: the tree is written anew
    on the next request, here at once and again after the commit (a request rendered by
    another process from the rows before the commit must not be kept under the new key)."""
    global _local_generation
    _local_generation += 1

    def bump() -> None:
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

    bump()
    transaction.on_commit(bump, robust=True)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    for model in (Agency, DisclosureOffice):
        for signal in (post_save, post_delete):
            signal.connect(
                bump_directory_generation, sender=model, dispatch_uid=f"directory-{model.__name__}"
            )


def directory_html() -> SafeString:
    """The whole directory's tree, written once per directory generation and language."""
    # One entry per language, overwritten: old generations do not pile up (1.8 MB each at
    # 5,000 agencies). Nothing in the tree changes with time, so it is kept for a day.
    key, generation = f"portal:directory:tree:{get_language()}", _generation()
    kept = cache.get(key)
    if kept is not None and kept[0] == generation:
        return mark_safe(kept[1])
    html = str(agency_tree_html(agency_tree()))
    cache.set(key, (generation, html), timeout=86400)
    return mark_safe(html)
