"""The application form (Art. 29): one validation for the portal's web form, the JSON API and
the staff's registration of post, in-person, fax and oral applications. Errors in Chinese say
what to fix; nothing the applicant typed is lost (the form re-renders bound)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.core.checksums import is_valid_id_number, is_valid_uscc

from .rules import ApplicantType, Channel, Delivery, IdType, InfoForm

ORGANISATION_TYPES = [t for t in ApplicantType.values if t != ApplicantType.NATURAL_PERSON]


class ApplicationForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Agency.objects.filter(is_active=True).order_by("path"),
        to_field_name="code",
        empty_label=_("请选择"),
        error_messages={"invalid_choice": _("请选择受理申请的机关。")},
    )
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantType.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=200)
    id_type = forms.ChoiceField(
        label=_("证件类型"), choices=[("", _("请选择")), *IdType.choices], required=False
    )
    id_number = forms.CharField(label=_("证件号码"), max_length=40, required=False)
    org_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    address = forms.CharField(label=_("通信地址"), max_length=300, required=False)
    postcode = forms.RegexField(
        label=_("邮政编码"),
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": _("邮政编码为6位数字。")},
    )
    description = forms.CharField(
        label=_("所需信息的内容描述"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明所需信息的名称、文号或其他便于查找的特征。"),
    )
    doc_no = forms.CharField(label=_("文件名称、文号或其他特征"), max_length=300, required=False)
    purpose = forms.CharField(label=_("用途（选填）"), max_length=300, required=False)
    form = forms.ChoiceField(label=_("获取信息的方式"), choices=InfoForm.choices, widget=forms.RadioSelect)
    delivery = forms.ChoiceField(
        label=_("获取信息的途径"), choices=Delivery.choices, widget=forms.RadioSelect
    )
    # A field people never see: bots fill it (no outside service needed).
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def clean_org_code(self):
        return self.cleaned_data["org_code"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("提交失败，请刷新页面后重试。"), code="honeypot")
        kind = data.get("applicant_type")
        if kind == ApplicantType.NATURAL_PERSON:
            if not data.get("id_type"):
                self.add_error("id_type", _("请选择证件类型。"))
            number = data.get("id_number", "")
            if not number:
                self.add_error("id_number", _("请填写证件号码。"))
            elif data.get("id_type") == IdType.RESIDENT_ID and not is_valid_id_number(number):
                self.add_error(
                    "id_number", _("居民身份证号码有误：请核对18位号码（含出生日期和末位校验码）。")
                )
        elif kind in ORGANISATION_TYPES:
            code = data.get("org_code", "")
            if not code:
                self.add_error("org_code", _("法人或其他组织请填写统一社会信用代码。"))
            elif not is_valid_uscc(code):
                self.add_error("org_code", _("统一社会信用代码有误：请核对18位代码及末位校验码。"))
            if not data.get("contact_name"):
                self.add_error("contact_name", _("请填写联系人。"))
        if not (data.get("phone") or data.get("email") or data.get("address")):
            self.add_error("phone", _("请至少填写一种联系方式（电话、电子邮箱或通信地址）。"))
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", _("选择电子邮件获取时，请填写电子邮箱。"))
        if data.get("delivery") == Delivery.POST and not data.get("address"):
            self.add_error("address", _("选择邮寄获取时，请填写通信地址。"))
        return data


class RegisterForm(ApplicationForm):
    """Staff registering an application received by post, in person, by fax or orally."""

    channel = forms.ChoiceField(
        label=_("申请方式"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )
    received_on = forms.DateField(label=_("收到申请之日"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("收到申请之日不能晚于今天。"))
        return day
