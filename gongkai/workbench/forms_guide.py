"""The form of the guide page: the disclosure office's details as the guide states them
(公开指南, Art. 12). It parses what staff typed; gongkai.agencies.services.office_update checks
again and writes."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import DisclosureOffice
from gongkai.agencies.services import OfficeData

OFFICE_FIELDS = tuple(OfficeData.__dataclass_fields__)


def _max_length(name: str) -> int:
    return DisclosureOffice._meta.get_field(name).max_length


class OfficeForm(forms.Form):
    name = forms.CharField(label=_("机构名称"), max_length=_max_length("name"))
    address = forms.CharField(
        label=_("办公地址"), max_length=_max_length("address"), required=False,
        help_text=_("当面提交和信函申请的地址。"),
    )  # fmt: skip
    hours = forms.CharField(label=_("办公时间"), max_length=_max_length("hours"), required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=_max_length("phone"), required=False)
    fax = forms.CharField(label=_("传真"), max_length=_max_length("fax"), required=False)
    email = forms.EmailField(label=_("电子邮箱"), max_length=_max_length("email"), required=False)
    postcode = forms.CharField(
        label=_("邮政编码"), max_length=6, required=False,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))],
    )  # fmt: skip
    website = forms.URLField(
        label=_("网址"), max_length=_max_length("website"), required=False, assume_scheme="https"
    )

    @classmethod
    def initial_from(cls, office: DisclosureOffice | None) -> dict:
        """The office as it stands, to fill the form (empty for an agency without one)."""
        return {} if office is None else {f: getattr(office, f) for f in OFFICE_FIELDS}

    def office_data(self) -> OfficeData:
        return OfficeData(**{f: self.cleaned_data[f] for f in OFFICE_FIELDS})
