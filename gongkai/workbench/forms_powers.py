"""Forms of the power-list pages: they parse what staff typed; gongkai.powers.services decides
and writes (and refuses, e.g. a code already used, an earlier date or an unchanged version)."""

from dataclasses import asdict
from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.powers.models import (
    Power,
    PowerType,
    PowerVersion,
    validate_power_code,
    validate_procedure_steps,
)
from gongkai.powers.selectors import agencies_managed
from gongkai.powers.services import VERSION_FIELDS, VersionFields

from .forms import DateInput

MAX_TEXT = 20000  # a legal basis or list of materials runs to a few pages at most


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(label, rows: int = 3, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _line(label, name: str) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=_max_length(PowerVersion, name))


class PowerFilterForm(forms.Form):
    """Filters of the list; an invalid value is ignored rather than refused."""

    agency = forms.ModelChoiceField(
        label=_("实施机关"), queryset=None, required=False, to_field_name="code", empty_label=_("全部")
    )
    type = forms.ChoiceField(
        label=_("权力类型"), choices=[("", _("全部")), *PowerType.choices], required=False
    )
    q = forms.CharField(label=_("编码或名称"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user).order_by("path", "sort_order")


class VersionForm(forms.Form):
    """What the list publishes about a power from a date: one version."""

    effective_from = forms.DateField(label=_("施行日期"), widget=DateInput())
    legal_basis = _text(_("设定依据"))
    conditions = _text(_("办理条件"))
    materials = _text(_("申请材料"))
    procedure_steps = _text(
        _("办理流程"), rows=6, help_text=_("每行一个步骤，按办理顺序填写；流程图据此生成。")
    )
    time_limit = _line(_("办理时限"), "time_limit")
    fees = _text(_("收费标准"), rows=2)
    fee_basis = _text(_("收费依据"), rows=2)
    responsible_unit = _line(_("责任处（科）室"), "responsible_unit")
    supervision_phone = _line(_("监督电话"), "supervision_phone")
    complaint_phone = _line(_("投诉电话"), "complaint_phone")

    def clean_procedure_steps(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["procedure_steps"].splitlines() if line.strip()]
        validate_procedure_steps(steps)
        return steps

    def version_fields(self) -> VersionFields:
        return VersionFields(**{name: self.cleaned_data[name] for name in VERSION_FIELDS})


class PowerCreateForm(VersionForm):
    """A new power of an agency the user keeps the list of, with its first version."""

    agency = forms.ModelChoiceField(label=_("实施机关"), queryset=None, empty_label=_("请选择"))
    type = forms.ChoiceField(label=_("权力类型"), choices=[("", _("请选择")), *PowerType.choices])
    code = forms.CharField(
        label=_("权力编码"),
        max_length=_max_length(Power, "code"),
        validators=[validate_power_code],
        help_text=_("本机关权力清单中的统一编码，如 XK-001；保存后不能修改。"),
    )
    name = forms.CharField(label=_("权力名称"), max_length=_max_length(Power, "name"))

    field_order = ["agency", "type", "code", "name"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = agencies_managed(user).order_by("path", "sort_order")
        self.fields["agency"].queryset = agencies
        if not self.is_bound and len(agencies) == 1:
            self.initial.setdefault("agency", agencies[0].pk)


def next_effective_day(latest: PowerVersion | None, today: date | None = None) -> date:
    """The date a revision is proposed from: today, unless the latest version starts later."""
    today = today or timezone.localdate()
    if latest is not None and latest.effective_from >= today:
        return latest.effective_from + timedelta(days=1)
    return today


class ReviseForm(VersionForm):
    """A new version of a power, prefilled from its latest version (the one in force, unless a
    revision is already announced): the service compares with and follows that one."""

    def __init__(self, *args, latest: PowerVersion | None, **kwargs):
        super().__init__(*args, **kwargs)
        if latest is not None and not self.is_bound:
            for name, value in asdict(VersionFields.of(latest)).items():
                self.initial[name] = "\n".join(value) if name == "procedure_steps" else value
        self.initial.setdefault("effective_from", next_effective_day(latest))
        if latest is not None:
            self.fields["effective_from"].help_text = _(
                "新内容自该日起施行，须晚于最近一个版本的施行日期（%(day)s）；此前的版本在前一日停止施行。"
            ) % {"day": latest.effective_from.isoformat()}


class DecisionCountForm(forms.Form):
    """The number of decisions made under the power in a year (本年处理决定数量)."""

    prefix = "decisions"
    year = forms.IntegerField(label=_("年度"))
    count = forms.IntegerField(label=_("处理决定数量（件）"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Counts are entered after the year ends, for the annual report due early the next year.
        self.fields["year"].initial = timezone.localdate().year - 1
