"""Forms of questions, interviews and topic proposals: the public's (one validation for the portal
and the API) and the workbench's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.consultations.forms import Honeypot

from .rules import ProposalResponse
from .services import BODY_MAX_CHARS


def _agency_field(label):
    return forms.ModelChoiceField(
        label=label,
        queryset=Agency.objects.filter(is_active=True).order_by("path"),
        to_field_name="code",
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请选择机关。")},
    )


class QuestionForm(Honeypot):
    agency = _agency_field(_("咨询机关"))
    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("咨询内容"), max_length=BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label=_("姓名或名称"), max_length=100, required=False, help_text=_("可不填。"))
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=200,
        required=False,
        help_text=_("可不填；仅用于必要时联系您，不公开。"),
    )


class InterviewQuestionForm(Honeypot):
    body = forms.CharField(
        label=_("您的问题"), max_length=BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    name = forms.CharField(label=_("昵称"), max_length=100, required=False)


class ProposalForm(Honeypot):
    agency = _agency_field(_("向哪个机关点题"))
    topic = forms.CharField(label=_("希望公开的内容"), max_length=300)
    reason = forms.CharField(label=_("理由或用途"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("姓名或名称"), max_length=100, required=False, help_text=_("可不填。"))
    contact = forms.CharField(
        label=_("联系方式"), max_length=200, required=False, help_text=_("可不填；不公开。")
    )


# --- workbench ---------------------------------------------------------------------------------


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(
        label=_("公开问答"),
        required=False,
        initial=True,
        help_text=_("公开时自动隐去姓名、电话、证件号等个人信息。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InterviewForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("访谈主题"), max_length=200)
    guests = forms.CharField(label=_("访谈嘉宾"), max_length=300)
    description = forms.CharField(label=_("访谈简介"), widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TranscriptForm(forms.Form):
    transcript = forms.CharField(label=_("文字实录"), widget=forms.Textarea(attrs={"rows": 12}))
    materials = forms.CharField(
        label=_("访谈材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("本机关已公开信息的索引号，每行一个（材料须先经审查公开）。"),
    )

    def clean_materials(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["materials"].splitlines() if line.strip()]


class RespondForm(forms.Form):
    response = forms.ChoiceField(
        label=_("答复类型"), choices=ProposalResponse.choices, widget=forms.RadioSelect
    )
    publish_by = forms.DateField(
        label=_("拟公开日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    link = forms.URLField(label=_("公开网址"), required=False, max_length=500, assume_scheme="https")
    text = forms.CharField(label=_("答复说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)
