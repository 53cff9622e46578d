"""Back office for the power lists. Adding a power and saving a changed one go through the
services (power_create, power_revise: a change is a new version from a date, the old one kept);
versions are read-only and nothing is deleted. Whole lists load with `gongkai import-powers`."""

from dataclasses import asdict

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MAX_STEP_LENGTH, MAX_STEPS, DecisionCount, Power, PowerVersion
from .services import (
    FIRST_YEAR,
    VERSION_FIELDS,
    VersionFields,
    can_manage_powers,
    decision_count_set,
    power_create,
    power_revise,
)

_TEXTAREA = forms.Textarea(attrs={"rows": 3, "cols": 80})


class PowerEntryForm(forms.ModelForm):
    """A power's identity (when added) and the content of its new version."""

    actor = None  # set per request by PowerAdmin.get_form

    effective_from = forms.DateField(label=_("施行日期"), help_text=_("新内容自该日起施行。"))
    legal_basis = forms.CharField(label=_("设定依据"), widget=_TEXTAREA, required=False)
    conditions = forms.CharField(label=_("办理条件"), widget=_TEXTAREA, required=False)
    materials = forms.CharField(label=_("申请材料"), widget=_TEXTAREA, required=False)
    procedure_steps = forms.CharField(
        label=_("办理流程"), widget=_TEXTAREA, required=False, help_text=_("每行一个步骤，按办理顺序填写。")
    )
    time_limit = forms.CharField(label=_("办理时限"), max_length=200, required=False)
    fees = forms.CharField(label=_("收费标准"), widget=_TEXTAREA, required=False)
    fee_basis = forms.CharField(label=_("收费依据"), widget=_TEXTAREA, required=False)
    responsible_unit = forms.CharField(label=_("责任处（科）室"), max_length=200, required=False)
    supervision_phone = forms.CharField(label=_("监督电话"), max_length=60, required=False)
    complaint_phone = forms.CharField(label=_("投诉电话"), max_length=60, required=False)

    class Meta:
        model = Power
        fields = ("agency", "code", "type", "name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.instance.versions.order_by("-effective_from").first() if self.instance.pk else None
        if latest is not None:  # start from what is published now
            for name, value in asdict(VersionFields.of(latest)).items():
                self.initial[name] = "\n".join(value) if name == "procedure_steps" else value
        self.latest = latest

    def clean_procedure_steps(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["procedure_steps"].splitlines() if line.strip()]
        if len(steps) > MAX_STEPS:
            raise ValidationError(_("办理流程不能超过%(n)s个步骤。"), params={"n": MAX_STEPS})
        if any(len(step) > MAX_STEP_LENGTH for step in steps):
            raise ValidationError(_("每个步骤名称不能超过%(n)s个字。"), params={"n": MAX_STEP_LENGTH})
        return steps

    def version_fields(self) -> VersionFields:
        return VersionFields(
            **{name: self.cleaned_data.get(name) or "" for name in VERSION_FIELDS}
        ).normalized()

    def clean(self):
        cleaned = super().clean()
        agency = self.instance.agency if self.instance.pk else cleaned.get("agency")
        if agency is not None and not can_manage_powers(self.actor, agency):
            raise ValidationError(_("您没有维护该机关权力清单的权限。"))
        day = cleaned.get("effective_from")
        if self.latest is not None and day is not None and "procedure_steps" in cleaned:
            if day <= self.latest.effective_from:
                self.add_error(
                    "effective_from",
                    _("新版本的施行日期须晚于最近一个版本的施行日期（%(day)s）。")
                    % {"day": self.latest.effective_from.isoformat()},
                )
            elif VersionFields.of(self.latest) == self.version_fields():
                raise ValidationError(_("内容与最近一个版本相同，无需修订。"))
        return cleaned


class PowerVersionInline(admin.TabularInline):
    model = PowerVersion
    fields = ("effective_from", "effective_to", "time_limit", "responsible_unit", "created_by", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("版本记录（只读）")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DecisionCountInline(admin.TabularInline):
    model = DecisionCount
    fields = ("year", "count", "updated_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Power)
class PowerAdmin(admin.ModelAdmin):
    form = PowerEntryForm
    list_display = ("code", "name", "type", "agency")
    list_filter = ("type",)
    search_fields = ("code", "name", "agency__name", "agency__code")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)
    inlines = (PowerVersionInline, DecisionCountInline)
    _version_fieldset = (_("公开内容（保存即生成新版本）"), {"fields": ("effective_from", *VERSION_FIELDS)})

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ("agency", "code", "type", "name")}), self._version_fieldset]

    def get_readonly_fields(self, request, obj=None):
        # The identity of a power does not change: a renamed or re-typed power is a new power.
        return ("agency", "code", "type", "name") if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        values = form.version_fields()
        day = form.cleaned_data["effective_from"]
        if change:
            power_revise(power=obj, effective_from=day, values=values, actor=request.user)
            return
        power = power_create(
            agency=obj.agency,
            code=obj.code,
            type=obj.type,
            name=obj.name,
            effective_from=day,
            values=values,
            actor=request.user,
        )
        obj.pk, obj.created_at = power.pk, power.created_at

    def has_delete_permission(self, request, obj=None):
        return False  # a power's versions are its public record


class DecisionCountForm(forms.ModelForm):
    actor = None

    class Meta:
        model = DecisionCount
        fields = ("power", "year", "count")

    def clean_year(self) -> int:
        year, this_year = self.cleaned_data["year"], timezone.localdate().year
        if not FIRST_YEAR <= year <= this_year:
            raise ValidationError(
                _("年度应在%(lo)s至%(hi)s之间。"), params={"lo": FIRST_YEAR, "hi": this_year}
            )
        return year

    def clean(self):
        cleaned = super().clean()
        power = self.instance.power if self.instance.pk else cleaned.get("power")
        if power is not None and not can_manage_powers(self.actor, power.agency):
            raise ValidationError(_("您没有维护该机关权力清单的权限。"))
        return cleaned


@admin.register(DecisionCount)
class DecisionCountAdmin(admin.ModelAdmin):
    """Decisions per power and year, entered through decision_count_set (audited)."""

    form = DecisionCountForm
    list_display = ("power", "year", "count")
    list_filter = ("year", "power__type")
    search_fields = ("power__code", "power__name", "power__agency__name")
    autocomplete_fields = ("power",)
    list_select_related = ("power__agency",)

    def get_readonly_fields(self, request, obj=None):
        return ("power", "year") if obj else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        row = decision_count_set(power=obj.power, year=obj.year, count=obj.count, actor=request.user)
        obj.pk = row.pk

    def has_delete_permission(self, request, obj=None):
        return False
