"""Forms of the application pages: they parse and check what staff typed; the services in
gongkai.applications.services decide and write (and refuse what the law does not allow)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.applications.fees import EXEMPTION_TEXT, FeeExemption, FeeMethod
from gongkai.applications.forms import RegisterForm
from gongkai.applications.models import Consultation, RemedyCase
from gongkai.applications.rules import (
    ABANDONMENT_OUTCOME,
    PERSONAL_DATA_GROUND,
    REDACTION_GROUNDS,
    ApplicationState,
    Channel,
    Delivery,
    Outcome,
)

from . import selectors_applications as selectors
from .forms import DateInput
from .forms_referral import ReferralAgencyField, ReferralMixin

FEE_METHOD_CHOICES = [(FeeMethod.PER_COUNT.value, _("按件计收")), (FeeMethod.PER_VOLUME.value, _("按量计收"))]
DECIDABLE_OUTCOMES = [(o.value, o.label) for o in Outcome if o not in ABANDONMENT_OUTCOME.values()]


class PastDateField(forms.DateField):
    """A date that has happened (today by default): receipts, answers, payments, deliveries."""

    widget = DateInput

    def __init__(self, **kwargs):
        kwargs.setdefault("initial", timezone.localdate)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("日期不能晚于今天。"))


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ApplicationFilterForm(forms.Form):
    """Filters of the application list; an invalid value is ignored rather than refused."""

    q = forms.CharField(label=_("申请编号、内容、申请人或电话"), required=False, max_length=100)
    mine = forms.BooleanField(label=_("仅看我承办的"), required=False)
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *ApplicationState.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("申请方式"), choices=[("", _("全部")), *Channel.choices], required=False
    )
    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, required=False, empty_label=_("全部"))
    due_within = forms.IntegerField(
        label=_("几日内到期"), required=False, min_value=0, max_value=366, help_text=_("自然日，含今天。")
    )
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)
    receipt_missing = forms.BooleanField(label=_("仅看回执未登记"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user).order_by("path")


class BulkAssignForm(forms.Form):
    """Assign the applications ticked in the list to one handler (the service checks each)."""

    prefix = "bulk"
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = selectors.handlers_in(selectors.handling_agencies(user))
        field.label_from_instance = lambda u: u.get_full_name() or u.get_username()


class StaffRegisterForm(RegisterForm):
    """Registration of an application received by post, in person, by fax or orally: the same
    validation as the portal's form, limited to the agencies where the user handles applications."""

    field_order = ["agency", "channel", "received_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.handling_agencies(user)
        self.fields["received_on"].initial = timezone.localdate
        self.fields["received_on"].widget = DateInput()
        self.fields["received_on"].help_text = _("按右侧所列《条例》第三十一条的规则确定。")
        del self.fields["website"]  # the bot trap is for the public form
        # workbench.css styles text inputs only; the keyboard still offers "@" on phones.
        self.fields["email"].widget = forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"})
        # The papers that came with it (issue 18 item 3): checked by type and size when stored.
        scan_help = _("扫描件或照片，PDF、JPG 或 PNG；文件不合格时须重新选择。")
        self.fields["letter_scan"] = forms.FileField(
            label=_("申请信函或传真"), required=False, help_text=scan_help
        )
        self.fields["envelope"] = forms.FileField(label=_("信封"), required=False, help_text=scan_help)
        self.fields["identity_copy"] = forms.FileField(
            label=_("身份证明复印件"), required=False, help_text=scan_help
        )

    def scans(self) -> dict:
        """The uploads by the kind of file each is kept as (services.INTAKE_SCAN_KINDS)."""
        d = self.cleaned_data
        return {
            kind: d.get(name)
            for name, kind in (
                ("letter_scan", "letter_scan"),
                ("envelope", "envelope"),
                ("identity_copy", "identity_proof"),
            )
            if d.get(name)
        }


class ConfirmForm(forms.Form):
    prefix = "confirm"
    on = PastDateField(
        label=_("确认收到之日"), help_text=_("与申请人双方确认之日（《条例》第三十一条第三项）。")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(forms.Form):
    prefix = "correction"
    items = forms.CharField(
        label=_("需要补正的事项"),
        widget=_textarea(4),
        max_length=4000,
        help_text=_("每行一项。补正只能告知一次，请一次性写明（《条例》第三十条）。"),
    )
    days = forms.IntegerField(
        label=_("补正期限（工作日）"), min_value=1, max_value=60, initial=15, help_text=_("应为合理期限。")
    )
    on = PastDateField(label=_("告知日期"))

    def clean_items(self):
        items = _lines(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError(_("请写明需要补正的事项。"))
        return items


class CorrectionReceiveForm(forms.Form):
    prefix = "correction_receive"
    on = PastDateField(label=_("收到补正之日"), help_text=_("答复期限自该日起重新计算。"))
    description = forms.CharField(
        label=_("补正后的内容描述（可选）"),
        required=False,
        widget=_textarea(3),
        max_length=4000,
        help_text=_("不填则保留原描述。"),
    )


class ConsultForm(forms.Form):
    prefix = "consult"
    party = forms.ChoiceField(
        label=_("征求对象类型"), choices=Consultation.Party.choices, widget=forms.RadioSelect
    )
    party_name = forms.CharField(label=_("征求对象名称"), max_length=200)
    on = PastDateField(
        label=_("发出日期"), help_text=_("征求意见所需时间不计入答复期限（《条例》第三十三条第三款）。")
    )


class ConsultEndForm(forms.Form):
    on = PastDateField(label=_("答复日期"))
    answer = forms.ChoiceField(
        label=_("意见"),
        choices=[
            (a.value, a.label)
            for a in (Consultation.Answer.CONSENT, Consultation.Answer.REFUSE, Consultation.Answer.SILENT)
        ],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(label=_("理由"), required=False, widget=_textarea(2), max_length=2000)
    # Checked by content and size in the service (core/files), like every upload of a case.
    opinion = forms.FileField(
        label=_("书面意见扫描件"), required=False, help_text=_("第三方的书面意见（PDF 或图片），可选。")
    )


class ConsultDeliveredForm(forms.Form):
    """The day the consulted party received the request: its 15 working days run from then."""

    on = PastDateField(label=_("对方收到日期"))


class ExtensionForm(forms.Form):
    prefix = "extension"
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20, initial=20)
    reason = forms.CharField(label=_("延期理由"), widget=_textarea(2), max_length=1000)
    on = PastDateField(
        label=_("批准日期"), help_text=_("须在原答复期限届满前告知申请人（《条例》第三十三条第二款）。")
    )


class ExcessiveReasonsForm(forms.Form):
    prefix = "excessive"
    on = PastDateField(
        label=_("告知日期"),
        help_text=_("申请数量、频次明显超过合理范围的，可要求申请人说明理由（《条例》第三十五条）。"),
    )


class ExcessiveLaterDateForm(forms.Form):
    prefix = "later"
    until = forms.DateField(label=_("确定的答复日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("理由"), widget=_textarea(2), max_length=1000)
    on = PastDateField(label=_("决定日期"))


class MattersForm(forms.Form):
    """一事一申请: how many matters (件) the application holds, and who applies jointly."""

    prefix = "matters"
    matters = forms.IntegerField(label=_("件数"), min_value=1, max_value=100, initial=1)
    reason = forms.CharField(
        label=_("拆分理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("一份申请包含多个事项的，按一事一申请拆分计件，并写明理由。"),
    )  # fmt: skip
    co_applicants = forms.CharField(
        label=_("共同申请人"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("多人共同申请的，本申请的申请人为牵头申请人，其他申请人逐一列明。"),
    )  # fmt: skip


class FeeNoticeForm(forms.Form):
    prefix = "fee"
    method = forms.ChoiceField(label=_("计收方式"), choices=FEE_METHOD_CHOICES, widget=forms.RadioSelect)
    amount = forms.DecimalField(label=_("收费金额（元）"), min_value=0, max_digits=10, decimal_places=2)
    pages = forms.IntegerField(label=_("页数（按量计收时填写）"), min_value=0, required=False)
    exemption = forms.ChoiceField(
        label=_("免收情形"),
        choices=[("", _("无")), *[(e.value, EXEMPTION_TEXT[e]) for e in FeeExemption]],
        required=False,
    )
    on = PastDateField(label=_("通知日期"))

    def clean(self):
        data = super().clean()
        method, pages = data.get("method"), data.get("pages")
        if method == FeeMethod.PER_VOLUME and pages is None:
            self.add_error("pages", _("按量计收须填写页数。"))
        if method == FeeMethod.PER_COUNT and pages is not None:
            self.add_error("pages", _("按件计收不填页数：同一申请只能按一种标准计收。"))
        return data


class FeePayForm(forms.Form):
    on = PastDateField(label=_("缴费日期"))
    amount = forms.DecimalField(label=_("实缴金额（元）"), min_value=0, max_digits=10, decimal_places=2)
    receipt_no = forms.CharField(label=_("票据号"), max_length=60)


class FeeWaiveForm(forms.Form):
    reduced_to = forms.DecimalField(
        label=_("减免后金额（元）"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("全部免收填0。"),
    )
    reason = forms.CharField(label=_("减免理由"), widget=_textarea(2), max_length=1000)


class DecideForm(ReferralMixin, forms.Form):
    prefix = "decide"
    # Not required by the form: an application answered item by item takes its outcome from the
    # items (分项答复); without items the service refuses a missing outcome.
    outcome = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("", _("请选择")), *DECIDABLE_OUTCOMES],
        required=False,
        help_text=_("已分项办理的申请无需选择：处理结果由各项的结果确定。"),
    )
    reasons = forms.CharField(
        label=_("理由和依据"),
        required=False,
        widget=_textarea(4),
        max_length=4000,
        help_text=_("不予公开、部分公开、无法提供或不予处理的，须说明理由。"),
    )
    withheld_parts = forms.CharField(
        label=_("不予公开的部分及理由（部分公开时）"),
        required=False,
        widget=_textarea(3),
        max_length=4000,
        help_text=_(
            "每行一项，格式：不予公开的部分｜理由。已提供文件中的遮盖及其依据已预先填入，并总会列入答复书。"
        ),
    )
    scan_confirm = forms.CharField(
        label=_("保留理由（答复书含申请人以外的个人信息时）"),
        required=False,
        max_length=300,
        help_text=_(
            "答复书中出现他人的个人信息或密级标志时不予出具；确需保留的（如第三方已同意公开），在此说明理由。"
        ),
    )
    provided_how = forms.CharField(label=_("提供方式"), required=False, max_length=300)
    other_agency_pick = ReferralAgencyField()  # Art. 36(5): fills other_agency from the directory
    other_agency = forms.CharField(
        label=_("负责公开该信息的机关及联系方式"),
        required=False,
        max_length=300,
        help_text=_("本机关不掌握、但能够确定负责机关的，须告知（《条例》第三十六条第五项）。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_withheld_parts(self):
        parts = []
        for line in _lines(self.cleaned_data["withheld_parts"]):
            part, sep, reason = line.replace("|", "｜").partition("｜")
            if not sep or not part.strip() or not reason.strip():
                raise forms.ValidationError(
                    _("“%(line)s”：请按“不予公开的部分｜理由”的格式填写。"), params={"line": line[:40]}
                )
            parts.append((part.strip(), reason.strip()))
        return parts


class ItemAddForm(forms.Form):
    """One item of an application answered item by item (分项答复)."""

    prefix = "item"
    description = forms.CharField(
        label=_("该项所需信息"),
        widget=_textarea(2),
        max_length=2000,
        help_text=_("申请涉及多项信息、各项处理结果不同的，逐项列出，逐项确定结果，一份答复书分项答复。"),
    )


class ItemRecordForm(forms.Form):
    """An item's outcome with its grounds and the provided files that answer it."""

    prefix = "item_record"
    item = forms.ModelChoiceField(label=_("分项"), queryset=None, empty_label=_("请选择"))
    outcome = forms.ChoiceField(label=_("该项处理结果"), choices=[("", _("请选择")), *DECIDABLE_OUTCOMES])
    reasons = forms.CharField(label=_("理由和依据"), required=False, widget=_textarea(3), max_length=4000)
    provided_how = forms.CharField(label=_("提供方式"), required=False, max_length=300)
    withheld_parts = forms.CharField(
        label=_("不予公开的部分及理由（部分公开时）"),
        required=False,
        widget=_textarea(2),
        max_length=4000,
        help_text=_("每行一项，格式：不予公开的部分｜理由。所选文件中的遮盖及其依据自动列入答复书。"),
    )
    other_agency = forms.CharField(label=_("负责公开该信息的机关及联系方式"), required=False, max_length=300)
    files = forms.ModelMultipleChoiceField(
        label=_("该项提供的文件"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = application.items.order_by("position", "id")
        self.fields["item"].label_from_instance = lambda item: item.description[:40]
        self.fields["files"].queryset = application.files.filter(kind="provided").order_by("created_at", "pk")
        self.fields["files"].label_from_instance = lambda f: f.title

    clean_withheld_parts = DecideForm.clean_withheld_parts


class TransferForm(ReferralMixin, forms.Form):
    """Not this agency's information, but another's that can be named: the reply tells the
    applicant where to apply (outcome "unavailable_not_held", Art. 36(5))."""

    prefix = "transfer"
    referral_required = True
    other_agency_pick = ReferralAgencyField()
    other_agency = forms.CharField(label=_("负责公开该信息的机关及联系方式"), max_length=300, required=False)
    reasons = forms.CharField(
        label=_("说明"),
        widget=_textarea(2),
        max_length=2000,
        initial=_("经检索，本机关不掌握您申请的政府信息，该信息由其他机关负责公开。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ProvidedFileForm(forms.Form):
    prefix = "provided"
    file = forms.FileField(label=_("提供给申请人的文件"), help_text=_("支持 PDF、Word 等格式。"))
    redact = forms.CharField(
        label=_("需要遮盖的内容（部分公开时）"),
        required=False,
        widget=_textarea(3),
        max_length=4000,
        help_text=_("每行一项，如姓名、身份证号码、手机号码。遮盖后的文件提供给申请人，原件仅内部留存。"),
    )

    ground = forms.ChoiceField(
        label=_("遮盖依据"),
        choices=REDACTION_GROUNDS,
        initial=PERSONAL_DATA_GROUND,
        required=False,
        help_text=_("各项遮盖内容的依据，自动列入部分公开答复书；某一项依据不同的，可写作“内容｜依据”。"),
    )

    def clean_redact(self):
        labels = {str(label): value for value, label in REDACTION_GROUNDS}
        labels |= {str(label).removeprefix("不予公开："): value for value, label in REDACTION_GROUNDS}
        items = []
        for line in _lines(self.cleaned_data["redact"]):
            value, sep, ground = line.replace("|", "｜").rpartition("｜")
            if not sep:
                items.append(line)
            elif ground.strip() in labels or ground.strip() in dict(REDACTION_GROUNDS):
                items.append((value.strip(), labels.get(ground.strip(), ground.strip())))
            else:
                raise forms.ValidationError(
                    _(
                        "“%(ground)s”不是遮盖依据，请写“个人信息”或一项不予公开的理由，如“保护第三方合法权益”。"
                    ),
                    params={"ground": ground.strip()[:20]},
                )
        return items

    def clean_ground(self):
        return self.cleaned_data["ground"] or PERSONAL_DATA_GROUND


class DeliverForm(forms.Form):
    method = forms.ChoiceField(label=_("送达方式"), choices=Delivery.choices)
    on = PastDateField(label=_("送达日期"))
    proof = forms.CharField(
        label=_("送达凭证"), required=False, max_length=300, help_text=_("如邮件回执、挂号信单号、签收人。")
    )


class MergeForm(forms.Form):
    prefix = "merge"
    into = forms.CharField(
        label=_("并入的申请编号"), max_length=32, help_text=_("本申请与该申请重复，并入后由该申请办理。")
    )


class AssignForm(forms.Form):
    prefix = "assign"
    assignee = forms.ModelChoiceField(
        label=_("承办人"), queryset=None, empty_label=None, help_text=_("本机关的经办人或公开办负责人。")
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = selectors.handlers_of(agency)
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class LinkForm(forms.Form):
    prefix = "link"
    other = forms.CharField(
        label=_("关联的申请编号"),
        max_length=32,
        help_text=_("同一申请人先前的申请等：两件申请的页面相互列出。"),
    )


class CaseForm(forms.Form):
    prefix = "case"
    kind = forms.ChoiceField(label=_("类型"), choices=RemedyCase.Kind.choices)
    filed_on = PastDateField(label=_("立案日期"))
    decided_on = PastDateField(label=_("结案日期"), required=False, initial=None)
    result = forms.ChoiceField(
        label=_("结果"), choices=[("", _("尚未审结")), *RemedyCase.Result.choices], required=False
    )
    note = forms.CharField(label=_("说明"), required=False, widget=_textarea(2), max_length=2000)

    def clean(self):
        data = super().clean()
        filed, decided, result = data.get("filed_on"), data.get("decided_on"), data.get("result")
        if filed and decided and decided < filed:
            self.add_error("decided_on", _("结案日期不能早于立案日期。"))
        if result and not decided:
            self.add_error("decided_on", _("填写结果时请填写结案日期。"))
        return data


class CaseResultForm(forms.Form):
    """The result of a reconsideration or lawsuit recorded without a result yet."""

    decided_on = PastDateField(label=_("结案日期"))
    result = forms.ChoiceField(label=_("结果"), choices=[("", _("请选择")), *RemedyCase.Result.choices])
    note = forms.CharField(label=_("说明（可选）"), required=False, widget=_textarea(2), max_length=2000)
