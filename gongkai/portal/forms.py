"""Parsing the public search parameters. Bad values are dropped with a message, never an
error page: a reader who edits a URL by hand still gets results (search.md, Art. 24)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Validity
from gongkai.search.services import MAX_QUERY_CHARS, SearchQuery

PAGE_SIZE = 20
# tantivy collects offset + limit hits before skipping: an unbounded page number would let one
# request allocate without limit. 500 pages of 20 is deeper than anyone reads.
MAX_PAGE = 500
SORTS = (("relevance", _("按相关度")), ("date", _("按日期")))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索词"), required=False, strip=True)
    agency = forms.RegexField(label=_("发布机关"), regex=r"^[0-9A-Za-z]{9,18}$", required=False)
    subject = forms.CharField(label=_("主题分类"), max_length=60, required=False)
    genre = forms.CharField(label=_("体裁分类"), max_length=30, required=False)
    year = forms.IntegerField(label=_("年份"), min_value=1000, max_value=2999, required=False)
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices, required=False)
    sort = forms.ChoiceField(label=_("排序"), choices=SORTS, required=False)
    page = forms.IntegerField(label=_("页码"), min_value=1, required=False)

    def clean_q(self) -> str:
        # Control characters cannot be typed and only break things downstream; any kind of
        # space (the ideographic space U+3000 of Chinese input included) separates terms.
        return "".join(
            ch if ch.isprintable() else " " if ch.isspace() else "" for ch in self.cleaned_data["q"]
        )


def parse_search(params, *, agency_code: str | None = None) -> tuple[SearchQuery, list[str], dict]:
    """A SearchQuery from GET parameters, the messages for values that were ignored, and the
    clean parameters (for building links). ``agency_code`` fixes the agency filter (agency pages)."""
    form = SearchForm(params)
    form.is_valid()
    messages = []
    for name in form.errors:
        raw = params.get(name, "")
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        messages.append(
            gettext("“%(field)s”的取值“%(value)s”无效，已忽略。")
            % {"field": form.fields[name].label, "value": shown}
        )
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    if agency_code:
        data["agency"] = agency_code
    page = min(data.get("page", 1), MAX_PAGE)
    sort = data.get("sort") or ("relevance" if data.get("q") else "date")
    query = SearchQuery(
        q=data.get("q", ""),
        agency=data.get("agency"),
        subject=data.get("subject"),
        genre=data.get("genre"),
        year=data.get("year"),
        validity=data.get("validity"),
        sort=sort,
        page=page,
        page_size=PAGE_SIZE,
    )
    if "q" in data and len(data["q"]) > MAX_QUERY_CHARS:
        data["q"] = data["q"][:MAX_QUERY_CHARS]
    return query, messages, data
