"""The public form for complaints and suggestions, and the progress look-up: one validation for
the portal and any other channel. Errors in Chinese say what to fix; nothing typed is lost (the
form re-renders bound)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency

from .rules import Kind

_PHONE = re.compile(r"^\+?[0-9][0-9 \-()]{5,24}$")


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=Kind.choices,
        initial=Kind.COMPLAINT,
        widget=forms.RadioSelect,
        help_text=_(
            "举报投诉：认为行政机关未依法履行政府信息公开义务，由其上级机关或政府信息公开工作主管部门调查处理"
            "（《条例》第五十一条）。意见建议：对该机关政府信息公开工作的意见和建议，由该机关答复。"
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("所涉机关"),
        queryset=Agency.objects.filter(is_active=True).order_by("path"),
        to_field_name="code",
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请选择举报投诉或建议所涉及的机关。")},
    )
    name = forms.CharField(
        label=_("姓名或名称"), max_length=200, required=False, help_text=_("举报投诉必填；意见建议可不填。")
    )
    contact = forms.CharField(
        label=_("联系方式"),
        max_length=200,
        required=False,
        help_text=_("电话或电子邮箱。举报投诉必填，用于调查核实和答复；意见建议可不填。"),
    )
    content = forms.CharField(
        label=_("内容"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明事项、时间和经过；举报投诉请说明该机关未履行的公开义务。"),
    )
    # A field people never see: bots fill it (no outside service needed).
    website = forms.CharField(
        label=_("请勿填写"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_contact(self):
        contact = self.cleaned_data["contact"].strip()
        if not contact:
            return contact
        if "@" in contact:
            try:
                validate_email(contact)
            except ValidationError:
                raise forms.ValidationError(_("电子邮箱格式有误，请核对。")) from None
        elif not _PHONE.match(contact):
            raise forms.ValidationError(_("电话号码或电子邮箱格式有误，请核对。"))
        return contact

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交失败，请刷新页面后重试。"), code="honeypot")
        if data.get("kind") == Kind.COMPLAINT:
            if not data.get("name", "").strip():
                self.add_error("name", _("举报投诉请填写姓名或名称，以便调查核实。"))
            if not data.get("contact") and "contact" not in self.errors:
                self.add_error("contact", _("举报投诉请填写联系方式，以便答复。"))
        return data


class ComplaintProgressForm(forms.Form):
    tracking_no = forms.CharField(label=_("编号"), max_length=32)
    query_code = forms.CharField(
        label=_("查询码"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_tracking_no(self):
        return self.cleaned_data["tracking_no"].strip().upper()

    def clean_query_code(self):
        return self.cleaned_data["query_code"].strip().upper()
