"""Forms of paperwork in and out on the application page (issue 18 item 3): a letter posted
(交寄) and signed for (签收), the scans that come back. The services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.applications.rules import Delivery

from .forms_applications import PastDateField


class ScanField(forms.FileField):
    """A scan or photo of a paper (PDF, JPEG, PNG): its type is judged by its content and its
    size checked by the service (catalogue/uploads.py), which says what is wrong."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("扫描件或照片，PDF、JPG 或 PNG。"))
        super().__init__(**kwargs)


class PostForm(forms.Form):
    method = forms.ChoiceField(
        label=_("送达方式"),
        choices=[
            (Delivery.POST.value, Delivery.POST.label),
            (Delivery.COLLECT.value, Delivery.COLLECT.label),
        ],
        initial=Delivery.POST.value,
    )
    on = PastDateField(label=_("交寄日期"))
    carrier = forms.CharField(label=_("寄递单位"), max_length=100, required=False, initial=_("中国邮政EMS"))
    tracking_no = forms.CharField(label=_("邮件号码"), max_length=60, required=False)


class SignedForForm(forms.Form):
    on = PastDateField(label=_("签收日期"), help_text=_("回执或送达回证上的日期。"))
    signer = forms.CharField(label=_("签收人"), max_length=100)
    scan = ScanField(label=_("送达回证或回执（扫描件，可选）"), required=False)


class ScanForm(forms.Form):
    scan = ScanField(label=_("扫描件"))


class EmailForm(forms.Form):
    to = forms.EmailField(label=_("收件邮箱"), required=False, help_text=_("不填则发送到申请人留下的邮箱。"))
