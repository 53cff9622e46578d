"""Forms of the complaint pages: they parse what staff typed; gongkai.complaints.services
decides and writes (and refuses what is not allowed)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.complaints.rules import Kind, State


class ComplaintFilterForm(forms.Form):
    """Filters of the list; an invalid value is ignored rather than refused."""

    q = forms.CharField(label=_("编号或内容"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("全部")), *Kind.choices], required=False)
    state = forms.ChoiceField(label=_("状态"), choices=[("", _("全部")), *State.choices], required=False)
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)


class InvestigateForm(forms.Form):
    prefix = "investigate"
    note = forms.CharField(
        label=_("调查处理情况（内部）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅工作人员可见。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    prefix = "answer"
    answer = forms.CharField(
        label=_("答复内容"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("答复提交后，举报人、建议人凭编号和查询码查看。"),
    )
    upheld = forms.TypedChoiceField(
        label=_("调查结论（举报）"),
        choices=[("", _("不适用（建议）")), ("yes", _("举报属实")), ("no", _("举报不属实"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(forms.Form):
    prefix = "publish"
    public_summary = forms.CharField(
        label=_("公开的问题摘要"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("概括反映的问题，不写姓名、联系方式等个人信息。"),
    )
    public_answer = forms.CharField(
        label=_("公开的答复内容"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("可删改答复中的称呼和个人信息；含个人信息的不能公开。"),
    )
    public = forms.BooleanField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
