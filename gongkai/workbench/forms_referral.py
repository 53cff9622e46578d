"""Art. 36(5) referral (告知向其他机关申请): the clerk picks the agency that holds the
information from the directory and its disclosure office's name, address and phone fill the
"other agency" text of the decision, which stays editable (an agency outside the platform is
typed by hand). Without JavaScript the fill happens when the form is sent with the text empty;
with it (workbench.js, ``data-fills``) on choosing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import Agency
from gongkai.casework.selectors import referral_contact


class _AgencySelect(forms.Select):
    """Each option carries the text it fills in (``data-contact``)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        agency = getattr(value, "instance", None)
        if agency is not None:
            option["attrs"]["data-contact"] = referral_contact(agency)
        return option


class ReferralAgencyField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("从机关名录选择负责机关"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("（不在名录中的机关，直接填写下栏）"))
        kwargs.setdefault(
            "help_text", _("选择后自动填入该机关政府信息公开工作机构的名称、地址和电话，可再修改。")
        )
        super().__init__(
            queryset=Agency.objects.active().select_related("office").order_by("path", "sort_order"),
            widget=_AgencySelect(attrs={"data-fills": "other_agency"}),
            **kwargs,
        )


class ReferralMixin:
    """For a form with ``other_agency_pick`` and ``other_agency``: a picked agency fills an
    empty ``other_agency``; ``referral_required``: one of the two must be given."""

    referral_required = False

    def clean(self):
        d = super().clean()
        pick = d.get("other_agency_pick")
        if pick is not None and not (d.get("other_agency") or "").strip():
            d["other_agency"] = referral_contact(pick)
        if self.referral_required and not (d.get("other_agency") or "").strip():
            self.add_error("other_agency", _("请从机关名录选择或填写负责公开该信息的机关。"))
        return d
