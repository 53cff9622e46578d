"""Forms of the annual-report pages: they parse what staff typed; gongkai.reports.services
decides and writes (and refuses, e.g. a published report or an unexplained broken rule)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.reports.checks import ALL_RULES
from gongkai.reports.models import AMOUNT_KEYS, MANUAL_KEYS, ManualKey, manual_key_signed
from gongkai.reports.rows import NARRATIVE_SECTIONS
from gongkai.reports.services import MAX_NARRATIVE

from .selectors_reports import default_year, report_years, summary_agencies

MAX_EXPLANATION = 2000
# Field names of 2021's figures; any other (2019's trial layout) is named "<row>_<cell>".
_FIELD_NAMES = {
    ManualKey.LICENSING: "licensing",
    ManualKey.PENALTY: "penalty",
    ManualKey.ENFORCEMENT: "enforcement",
    ManualKey.FEES: "fees",
}


def figure_fields(fmt: str) -> dict[str, str]:
    """Form field name → the Table 1 figure it fills (ManualKey), for a report in layout ``fmt``."""
    fields = {}
    for key in MANUAL_KEYS[fmt]:
        _table, row, cell = key.split(".")
        fields[_FIELD_NAMES.get(key, f"{row}_{cell}")] = key
    return fields


def explain_prefix(rule: str) -> str:
    """Each broken rule has its own explanation form on the page."""
    return f"explain-{ALL_RULES.index(rule)}"


class YearForm(forms.Form):
    """The year the report list shows; one that does not parse shows the default year."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, _("%(year)s年度") % {"year": y}) for y in report_years()]
        self.fields["year"].initial = default_year()

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return default_year()


class NarrativeForm(forms.Form):
    """The office's text of sections 一, 五 and 六; blank lines separate paragraphs."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "narrative")
        super().__init__(*args, **kwargs)
        for key, label in NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_NARRATIVE,
                widget=forms.Textarea(attrs={"rows": 10}),
            )


class ExplainForm(forms.Form):
    """Why the figures are right although a rule is broken; blank withdraws the explanation."""

    text = forms.CharField(
        label=_("不成立的原因"),
        required=False,
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：上年度报告发布后，原系统更正了一件申请的办结日期。留空则撤回说明。"),
    )


class FiguresForm(forms.Form):
    """Table 1 figures the platform does not hold, with where each comes from, for the layout
    of the report's year. A figure once entered can be corrected (to 0 as well) but not removed."""

    def __init__(self, *args, entered: dict, fmt: str, **kwargs):
        """``entered``: the figures already entered, by ManualKey (selectors_reports.manual_figures)."""
        kwargs.setdefault("prefix", "figures")
        self.figure_fields = figure_fields(fmt)
        initial = {}
        for name, key in self.figure_fields.items():
            if key in entered:
                value = entered[key].value
                initial[name] = value.normalize() if key in AMOUNT_KEYS else int(value)
                initial[f"{name}_note"] = entered[key].note
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.entered = entered
        for name, key in self.figure_fields.items():
            label = ManualKey(key).label
            if key in AMOUNT_KEYS:
                field = forms.DecimalField(min_value=0, max_digits=16, decimal_places=4)
            else:
                field = forms.IntegerField(min_value=None if manual_key_signed(key) else 0)
            field.label, field.required = label, False
            self.fields[name] = field
            row_label = str(label).split("：")[0]
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("%(row)s：数据来源") % {"row": row_label}, required=False, max_length=300
            )

    def clean(self):
        data = super().clean()
        for name, key in self.figure_fields.items():
            if data.get(name) is None and key in self.entered and name not in self.errors:
                self.add_error(name, _("已填报的数字不能删除；本年没有此项的，请填写0。"))
        return data

    def changes(self) -> list[tuple[str, object, str]]:
        """(ManualKey, value, note) for each figure typed in that differs from what is stored."""
        out = []
        for name, key in self.figure_fields.items():
            value, note = self.cleaned_data.get(name), (self.cleaned_data.get(f"{name}_note") or "").strip()
            if value is None:
                continue
            stored = self.entered.get(key)
            if stored is None or stored.value != value or stored.note != note:
                out.append((key, value, note))
        return out


class SummaryForm(forms.Form):
    """Which authority and year the sum is for; only agencies the user supervises are offered."""

    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, to_field_name="code", required=False)
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = summary_agencies(user)
        self.fields["agency"].empty_label = None
        self.fields["year"].choices = [(y, _("%(year)s年度") % {"year": y}) for y in report_years()]
        self.fields["year"].initial = default_year()
