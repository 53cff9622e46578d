"""Search results turned into what the result pages show: facet links that combine with the
query, removable active filters, sort switch and pagination. Shared by the search page and
the agency catalogue, so both behave the same."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Validity
from gongkai.search.services import MAX_QUERY_CHARS, SearchQuery, SearchResults, search_documents
from gongkai.search.tokenize import query_terms

from .forms import SORTS

FACET_TITLES = {
    "agency": _("发布机关"),
    "subject": _("主题分类"),
    "genre": _("体裁分类"),
    "year": _("成文年份"),
    "validity": _("有效性"),
}
FACET_LIMIT = 12  # values shown per facet before "more" (the rest stay in a <details>)


@dataclass
class Link:
    label: str
    url: str
    count: int | None = None
    active: bool = False


@dataclass
class Facet:
    name: str
    title: str
    links: list[Link]

    @property
    def shown(self) -> list[Link]:
        return self.links[:FACET_LIMIT]

    @property
    def more(self) -> list[Link]:
        return self.links[FACET_LIMIT:]


@dataclass
class Browse:
    """Everything a result page renders, built without touching the database again."""

    results: SearchResults
    params: dict
    facets: list[Facet] = field(default_factory=list)
    active: list[Link] = field(default_factory=list)
    sorts: list[Link] = field(default_factory=list)
    pages: list[Link | None] = field(default_factory=list)
    previous: Link | None = None
    next: Link | None = None
    messages: list[str] = field(default_factory=list)

    @property
    def first_index(self) -> int:
        q = self.results.query
        return (q.page - 1) * q.page_size + 1


def url_with(base: str, params: dict, **changes) -> str:
    """``base`` with ``params`` updated by ``changes`` (None removes a key); the page is reset
    unless it is what changes."""
    merged = {k: v for k, v in params.items() if k != "page"}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    merged = {k: v for k, v in merged.items() if v not in (None, "")}
    return base + ("?" + urlencode(merged) if merged else "")


def has_searchable_text(q: str) -> bool:
    phrases, _ignored = query_terms(q[:MAX_QUERY_CHARS])
    return bool(phrases)


def run_search(query: SearchQuery) -> tuple[SearchResults, list[str]]:
    """Search, except for a query with nothing searchable in it (only punctuation, one
    character): that gives an empty result and a message, not the whole catalogue."""
    if query.q.strip() and not has_searchable_text(query.q):
        message = gettext("检索词中没有可检索的文字：请输入至少两个连续的汉字、字母或数字。")
        return SearchResults(query=query), [message]
    return search_documents(query), []


def browse(*, base: str, query: SearchQuery, params: dict, fixed: tuple[str, ...] = ()) -> Browse:
    """Run the search and build the page model. ``fixed`` names filters the page imposes
    (the agency on an agency page): they get no facet and cannot be removed."""
    results, messages = run_search(query)
    view = Browse(results=results, params=params, messages=messages + list(results.messages))
    for name, title in FACET_TITLES.items():
        if name in fixed:
            continue
        current = str(params.get(name, ""))
        links = [
            Link(
                label=v.label,
                count=v.count,
                active=(v.value == current),
                url=url_with(base, params, **{name: None if v.value == current else v.value}),
            )
            for v in results.facets.get(name, [])
        ]
        if links:
            view.facets.append(Facet(name=name, title=str(title), links=links))
    view.active = _active_filters(base, params, results, fixed)
    sort = query.sort
    view.sorts = [
        Link(label=str(label), url=url_with(base, params, sort=key), active=key == sort)
        for key, label in SORTS
    ]
    _paginate(view, base)
    return view


def _active_filters(base: str, params: dict, results: SearchResults, fixed) -> list[Link]:
    labels = {name: {v.value: v.label for v in values} for name, values in results.facets.items()}
    out = []
    for name, title in FACET_TITLES.items():
        value = params.get(name)
        if value in (None, "") or name in fixed:
            continue
        value = str(value)
        if name == "validity":
            label = str(dict(Validity.choices).get(value, value))
        elif name == "year":
            label = gettext("%(year)s年") % {"year": value}
        else:
            label = labels.get(name, {}).get(value, value)
        out.append(Link(label=f"{title}：{label}", url=url_with(base, params, **{name: None})))
    return out


def _paginate(view: Browse, base: str) -> None:
    query = view.results.query
    last = view.results.pages
    if view.results.count and query.page > last:
        view.messages.append(gettext("页码超出范围：共%(pages)d页。") % {"pages": last})

    def link(n: int) -> Link:
        return Link(
            label=str(n), url=url_with(base, view.params, page=n if n > 1 else None), active=n == query.page
        )

    if last <= 1:
        return
    window = sorted({1, last, *range(max(1, query.page - 2), min(last, query.page + 2) + 1)})
    previous_n = 0
    for n in window:
        if n - previous_n > 1:
            view.pages.append(None)  # an ellipsis
        view.pages.append(link(n))
        previous_n = n
    if query.page > 1:
        view.previous = link(min(query.page - 1, last))
    if query.page < last:
        view.next = link(query.page + 1)
