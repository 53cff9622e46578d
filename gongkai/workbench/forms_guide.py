"""The forms of the guide page: the disclosure office's details as the guide states them
(公开指南, Art. 12), and who hears the remedies against the agency's decisions. They parse what
staff typed; gongkai.agencies.services (office_update, agency_remedies_update) checks again and
writes."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency, DisclosureOffice
from gongkai.agencies.services import REMEDY_FIELDS, OfficeData, RemedyData

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


class RemedyForm(forms.Form):
    """Who hears the remedies against the agency's decisions, as the letters name them."""

    vertically_led = forms.BooleanField(
        label=_("实行垂直领导（海关、金融、外汇管理、税务、国家安全等）"), required=False,
        help_text=_("实行垂直领导的机关，行政复议机关为上一级主管部门（《中华人民共和国行政复议法》第二十七条）。"),
    )  # fmt: skip
    reconsideration_body = forms.CharField(
        label=_("行政复议机关"), max_length=200, required=False,
        help_text=_("政府工作部门为本级人民政府（《中华人民共和国行政复议法》第二十四条）。"),
    )  # fmt: skip
    reconsideration_address = forms.CharField(label=_("行政复议机关地址"), max_length=300, required=False)
    court = forms.CharField(label=_("管辖人民法院"), max_length=200, required=False)
    court_address = forms.CharField(label=_("人民法院地址"), max_length=300, required=False)

    @classmethod
    def initial_from(cls, agency: Agency) -> dict:
        """The agency's record; a blank reconsideration body is filled with the legal default as
        a suggestion, saved only when staff save the form."""
        initial = {f: getattr(agency, f) for f in REMEDY_FIELDS}
        if not initial["reconsideration_body"]:
            initial["reconsideration_body"] = agency.reconsideration_body_default()
        return initial

    def remedy_data(self) -> RemedyData:
        return RemedyData(**{f: self.cleaned_data[f] for f in REMEDY_FIELDS})


class GuideTextForm(forms.Form):
    """What the office writes into the guide: what the agency discloses proactively and its other
    channels; each save is a new version (services.guide_text_update)."""

    proactive_scope = forms.CharField(
        label=_("主动公开的范围和类别"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("本机关主动公开哪些政府信息、分为哪些类别，例如《条例》第二十条所列信息及本机关的具体栏目。"),
    )  # fmt: skip
    wechat = forms.CharField(label=_("政务微信公众号"), max_length=100, required=False)
    hotline = forms.CharField(label=_("咨询热线"), max_length=60, required=False)

    @classmethod
    def initial_from(cls, current) -> dict:
        return (
            {}
            if current is None
            else {f: getattr(current, f) for f in ("proactive_scope", "wechat", "hotline")}
        )
