"""Forms of consultations: the public comment and hearing registration (one validation for the
portal and the API), and the workbench's forms. Errors in Chinese say what to fix."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Document, Visibility

from .rules import Adoption, IdentityRule, default_closes_on
from .services import COMMENT_MAX_CHARS


class Honeypot(forms.Form):
    # A field people never see: bots fill it (no outside service needed).
    website = forms.CharField(
        label=_("请勿填写"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交失败，请刷新页面后重试。"), code="honeypot")
        return data


class CommentForm(Honeypot):
    name = forms.CharField(label=_("姓名或名称"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=200,
        required=False,
        help_text=_("电话或电子邮箱，仅用于核实，不公开。"),
    )
    body = forms.CharField(
        label=_("意见内容"), max_length=COMMENT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明针对的条款和理由。意见经审核后公开展示，展示时隐去个人信息。"),
    )  # fmt: skip

    def __init__(self, *args, identity_rule: str = IdentityRule.ANONYMOUS_ALLOWED, **kwargs):
        super().__init__(*args, **kwargs)
        if identity_rule == IdentityRule.NAME_REQUIRED:
            self.fields["name"].required = True
            self.fields["contact"].required = True
        else:
            self.fields["name"].help_text = _("可不填（匿名提出意见）。")


class RegistrationForm(Honeypot):
    name = forms.CharField(label=_("姓名或名称"), max_length=100)
    contact = forms.CharField(label=_("联系方式"), max_length=200)
    position = forms.CharField(
        label=_("主要观点"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- workbench ---------------------------------------------------------------------------------


class ConsultationForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("决策机关"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("草案标题"), max_length=300)
    draft_text = forms.CharField(label=_("征求意见稿正文"), widget=forms.Textarea(attrs={"rows": 12}))
    explanation = forms.CharField(label=_("起草说明"), widget=forms.Textarea(attrs={"rows": 6}))
    opens_on = forms.DateField(label=_("征求意见开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(
        label=_("征求意见截止日期"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("一般不少于30日（《重大行政决策程序暂行条例》第十五条）。"),
    )  # fmt: skip
    short_period_reason = forms.CharField(
        label=_("期限少于30日的理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("将在草案页面向社会公开。"),
    )  # fmt: skip
    identity_rule = forms.ChoiceField(
        label=_("署名要求"),
        choices=IdentityRule.choices,
        initial=IdentityRule.ANONYMOUS_ALLOWED,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", default_closes_on(today))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PeriodForm(VersionForm):
    opens_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    short_period_reason = forms.CharField(label=_("期限少于30日的理由"), required=False)


class CancelForm(VersionForm):
    reason = forms.CharField(label=_("终止理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ModerateForm(forms.Form):
    event = forms.ChoiceField(choices=[("show", _("公开展示")), ("withhold", _("不予展示"))])
    reason = forms.CharField(label=_("不予展示的理由"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupForm(forms.Form):
    summary = forms.CharField(label=_("意见概要"), widget=forms.Textarea(attrs={"rows": 2}))
    comments = forms.TypedMultipleChoiceField(label=_("归入本类的意见"), coerce=int, required=False)

    def __init__(self, *args, comment_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = comment_choices


class AssignForm(forms.Form):
    group = forms.IntegerField()
    comments = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, comment_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = comment_choices


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("采纳情况"), choices=Adoption.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(VersionForm):
    body = forms.CharField(label=_("采纳情况说明"), widget=forms.Textarea(attrs={"rows": 10}))


def _public_document(index_no: str):
    if not index_no.strip():
        return None
    doc = Document.objects.filter(index_no=index_no.strip(), visibility=Visibility.PUBLIC).first()
    if doc is None:
        raise forms.ValidationError(_("找不到该索引号的已公开文件。"))
    return doc


class LinkForm(VersionForm):
    final_index_no = forms.CharField(label=_("正式决策文件索引号"), required=False, max_length=64)
    interpretation_index_no = forms.CharField(label=_("政策解读索引号"), required=False, max_length=64)

    def clean_final_index_no(self):
        return _public_document(self.cleaned_data["final_index_no"])

    def clean_interpretation_index_no(self):
        return _public_document(self.cleaned_data["interpretation_index_no"])


class HearingForm(forms.Form):
    matter = forms.CharField(label=_("听证事项"), max_length=300)
    held_at = forms.DateTimeField(
        label=_("举行时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("地点"), max_length=300)
    how_to_register = forms.CharField(label=_("报名方式和条件"), widget=forms.Textarea(attrs={"rows": 3}))
    registration_closes_on = forms.DateField(
        label=_("报名截止日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    seats = forms.IntegerField(label=_("参加人名额"), min_value=1, max_value=500)


class SelectForm(forms.Form):
    selected = forms.TypedMultipleChoiceField(label=_("入选参加人"), coerce=int)
    method = forms.CharField(label=_("遴选方式"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, registration_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = registration_choices


class RecordForm(forms.Form):
    record = forms.CharField(label=_("听证笔录（公开版本）"), widget=forms.Textarea(attrs={"rows": 8}))
