"""Workbench forms: they parse and check what staff typed; the services decide and write."""

from dataclasses import replace

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.catalogue.models import DisclosureAttribute, Document, Genre, Subject, Validity
from gongkai.catalogue.services import DocumentFields
from gongkai.publishing.models import PERSONAL_DATA_GROUND, REDACTION_GROUNDS, FindingDecision
from gongkai.publishing.rules import Decision, InfoType, NonDisclosureGround, SubmissionKind, SubmissionState

from . import selectors

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """A browser date-time picker; the value is read in the current time zone (Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RecordForm(forms.Form):
    """A record's document, its disclosure attribute (with the ground unless proactive) and its
    formation time. Used to draft (with the agency) and to edit (without)."""

    agency = forms.ModelChoiceField(label=_("发布机关"), queryset=None, empty_label=_("请选择"))
    title = forms.CharField(label=_("标题"), max_length=500)
    doc_no = forms.CharField(label=_("发文字号"), max_length=100, required=False)
    written_on = forms.DateField(label=_("成文日期"), widget=DateInput())
    summary = forms.CharField(label=_("内容概述"), required=False, widget=_textarea(3))
    keywords = forms.CharField(label=_("主题词"), max_length=300, required=False)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=_textarea(14),
        help_text=_("正文和附件不能都为空（送审时检查）。"),
    )
    subject = forms.ModelChoiceField(
        label=_("主题分类"), queryset=None, required=False, empty_label=_("（不选）")
    )
    genre = forms.ModelChoiceField(
        label=_("体裁分类"), queryset=None, required=False, empty_label=_("（不选）")
    )
    disclosure_attribute = forms.ChoiceField(
        label=_("公开属性"),
        choices=DisclosureAttribute.choices,
        initial=DisclosureAttribute.PROACTIVE,
        widget=forms.RadioSelect,
    )
    non_disclosure_ground = forms.ChoiceField(
        label=_("依申请公开或不予公开的理由"),
        choices=[("", _("请选择")), *NonDisclosureGround.choices],
        required=False,
        help_text=_("公开属性为依申请公开或不予公开时必填。"),
    )
    info_type = forms.ChoiceField(
        label=_("信息类型"),
        choices=InfoType.choices,
        initial=InfoType.DOCUMENT,
        help_text=_("决定公开时限。"),
    )
    formed_at = forms.DateTimeField(
        label=_("形成（变更）时间"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("不填则以成文日期为形成日期，公开时限自次日起算。"),
    )
    clarifies = forms.CharField(
        label=_("澄清的信息（索引号）"),
        max_length=64,
        required=False,
        help_text=_("《条例》第六条：对本机关已公开的不准确信息发布澄清时，填写被澄清信息的索引号。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, submission=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.submission = submission
        agencies = selectors.drafting_agencies(user)
        self.fields["subject"].queryset = Subject.objects.select_related("parent").filter(
            Q(agency__isnull=True) | Q(agency__in=agencies)
        )
        self.fields["genre"].queryset = Genre.objects.all()
        if submission is None:
            self.fields["agency"].queryset = agencies
            del self.fields["version"]
        else:
            # The agency and the clarified document are fixed once drafted.
            del self.fields["agency"], self.fields["clarifies"]

    def clean_clarifies(self):
        index_no = self.cleaned_data.get("clarifies", "").strip()
        if not index_no:
            return None
        document = selectors.public_document_of(index_no, selectors.drafting_agencies(self.user))
        if document is None:
            raise forms.ValidationError(
                _("未找到本机关已公开的、索引号为“%(no)s”的信息。"), params={"no": index_no}
            )
        return document

    def clean(self):
        data = super().clean()
        attribute = data.get("disclosure_attribute")
        if attribute and attribute != DisclosureAttribute.PROACTIVE and not data.get("non_disclosure_ground"):
            self.add_error("non_disclosure_ground", _("依申请公开或不予公开的信息须选择一项理由。"))
        clarifies, agency = data.get("clarifies"), data.get("agency")
        if clarifies is not None and agency is not None and clarifies.agency_id != agency.pk:
            self.add_error("clarifies", _("只能澄清所选发布机关已公开的信息。"))
        return data

    def document_fields(self, base: DocumentFields | None = None) -> DocumentFields:
        """The typed values over ``base`` (the document as it is), so fields this form does not
        show (validity, effective dates…) keep their values on edit."""
        d = self.cleaned_data
        values = {
            "title": d["title"].strip(),
            "doc_no": d["doc_no"].strip(),
            "written_on": d["written_on"],
            "summary": d["summary"],
            "keywords": d["keywords"].strip(),
            "body": d["body"],
            "subject_id": d["subject"].pk if d["subject"] else None,
            "genre_id": d["genre"].pk if d["genre"] else None,
        }
        return replace(base, **values) if base is not None else DocumentFields(**values)

    @staticmethod
    def initial_for(submission) -> dict:
        doc = submission.document
        return {
            "title": doc.title,
            "doc_no": doc.doc_no,
            "written_on": doc.written_on,
            "summary": doc.summary,
            "keywords": doc.keywords,
            "body": doc.body,
            "subject": doc.subject_id,
            "genre": doc.genre_id,
            "disclosure_attribute": doc.disclosure_attribute,
            "non_disclosure_ground": doc.non_disclosure_ground,
            "info_type": submission.info_type,
            "formed_at": submission.formed_at,
            "version": submission.version,
        }


def document_fields_of(document: Document) -> DocumentFields:
    return DocumentFields(**{name: getattr(document, name) for name in DocumentFields.__dataclass_fields__})


class FilterForm(forms.Form):
    """Filters of the record list; an invalid value is ignored rather than refused."""

    q = forms.CharField(label=_("标题包含"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *SubmissionState.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("事项"), choices=[("", _("全部")), *SubmissionKind.choices], required=False
    )
    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, required=False, empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("仅看已逾期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user)


class SubmitForm(forms.Form):
    prefix = "submit"  # several action forms share the record page: keep their ids apart
    opinion = forms.CharField(label=_("拟办意见"), required=False, widget=_textarea(3), max_length=2000)
    publish_at = forms.DateTimeField(
        label=_("定时发布时间（可选）"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("不填则在最后一步审批同意后立即发布。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(forms.Form):
    prefix = "decide"  # several action forms share the record page: keep their ids apart
    decision = forms.ChoiceField(
        label=_("审查决定"),
        choices=[(d.value, d.label) for d in (Decision.APPROVE, Decision.RETURN, Decision.REFER)],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("审查意见"),
        required=False,
        widget=_textarea(4),
        max_length=2000,
        help_text=_("退回时须说明理由。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.RETURN and not (data.get("opinion") or "").strip():
            self.add_error("opinion", _("退回须说明理由。"))
        return data


class FindingForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"),
        choices=[(FindingDecision.REDACT.value, _("删除（脱敏）")), (FindingDecision.KEEP.value, _("保留"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("保留理由"), required=False, max_length=300)
    ground = forms.ChoiceField(
        label=_("删除的理由"), choices=REDACTION_GROUNDS, required=False, initial=PERSONAL_DATA_GROUND
    )

    def __init__(self, *args, secrecy: bool = False, **kwargs):
        """``secrecy``: the finding is a secrecy mark, which is never redacted or kept: the
        secrecy reviewer records its declassification or that it quotes another document."""
        super().__init__(*args, **kwargs)
        self.secrecy = secrecy
        if secrecy:
            self.fields["decision"].choices = [
                (FindingDecision.DECLASSIFIED.value, _("已解密（登记解密记录）")),
                (FindingDecision.NOT_OWN.value, _("非本文件密级标志（引用其他文件）")),
            ]
            self.fields["reason"].label = _("解密记录（文号、日期）或所引用的文件")
            del self.fields["ground"]

    def clean(self):
        data = super().clean()
        needs_reason = self.secrecy or data.get("decision") == FindingDecision.KEEP
        if needs_reason and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("请填写解密记录或所引用的文件。") if self.secrecy else _("保留须说明理由。"),
            )
        return data


class ManualValueForm(forms.Form):
    """Search-and-redact: a value the scanner missed, removed wherever it is."""

    prefix = "manual_value"
    value = forms.CharField(
        label=_("要遮盖的内容"),
        max_length=300,
        help_text=_("例如扫描未发现的姓名；将在标题、正文、主题词、各附件及其元数据和图片识别文字中查找。"),
    )
    ground = forms.ChoiceField(
        label=_("不公开的理由"), choices=REDACTION_GROUNDS, initial=PERSONAL_DATA_GROUND
    )


class ManualAreaForm(forms.Form):
    """An area on a page of a PDF attachment, in PDF points from the page's top left corner.
    The drawing script fills it in; it can also be typed (keyboard users)."""

    prefix = "manual_area"  # one per attachment on the page: the view passes area-<pk>
    page = forms.IntegerField(label=_("页码"), min_value=1)
    x0 = forms.FloatField(label=_("左（点）"), min_value=0)
    y0 = forms.FloatField(label=_("上（点）"), min_value=0)
    x1 = forms.FloatField(label=_("右（点）"), min_value=0)
    y1 = forms.FloatField(label=_("下（点）"), min_value=0)
    ground = forms.ChoiceField(
        label=_("不公开的理由"), choices=REDACTION_GROUNDS, initial=PERSONAL_DATA_GROUND
    )


class ManualRemoveForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300)


class CancelForm(forms.Form):
    prefix = "cancel"  # several action forms share the record page: keep their ids apart
    reason = forms.CharField(label=_("撤销理由"), widget=_textarea(2), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(forms.Form):
    prefix = "attachment"  # several action forms share the record page: keep their ids apart
    file = forms.FileField(label=_("选择文件"), help_text=_("支持 PDF、Word、Excel、OFD、图片等格式。"))
    title = forms.CharField(label=_("附件名称（可选）"), max_length=300, required=False)


class ChangeForm(forms.Form):
    """Propose withdrawing a published document or changing its validity."""

    kind = forms.ChoiceField(
        label=_("事项"),
        choices=[(k.value, k.label) for k in (SubmissionKind.WITHDRAW, SubmissionKind.VALIDITY)],
        widget=forms.RadioSelect,
    )
    validity = forms.ChoiceField(
        label=_("新的有效性"),
        choices=[("", _("请选择")), *Validity.choices],
        required=False,
        help_text=_("变更有效性时必填。"),
    )
    replaced_by = forms.CharField(
        label=_("替代文件（索引号，可选）"),
        max_length=64,
        required=False,
        help_text=_("废止或修改时，填写新文件的索引号，两者互相链接。"),
    )
    reason = forms.CharField(label=_("事由"), widget=_textarea(4), max_length=300)

    def __init__(self, *args, user, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.document = document
        self.fields["validity"].choices = [
            ("", _("请选择")),
            *[(v, label) for v, label in Validity.choices if v != document.validity],
        ]

    def clean_replaced_by(self):
        index_no = self.cleaned_data.get("replaced_by", "").strip()
        if not index_no:
            return None
        document = selectors.public_document_of(index_no)
        if document is None:
            raise forms.ValidationError(_("未找到索引号为“%(no)s”的已公开信息。"), params={"no": index_no})
        return document

    def clean(self):
        data = super().clean()
        if data.get("kind") == SubmissionKind.VALIDITY and not data.get("validity"):
            self.add_error("validity", _("请选择新的有效性。"))
        return data


class ReadingPointExportForm(forms.Form):
    """The period and agency of a reading-point package (Art. 25)."""

    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, empty_label=_("请选择"))
    start = forms.DateField(label=_("发布日期自"), widget=DateInput())
    end = forms.DateField(label=_("至"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user).order_by("path")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("结束日期不能早于开始日期。"))
        return data
