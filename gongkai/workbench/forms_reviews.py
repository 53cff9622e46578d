"""Forms of the report check (年报质量检查): a supervisor uploads a report an agency published,
as JSON (interfaces.md's shape) or as the XLSX in the national layout this platform exports;
gongkai.reports.services checks it and keeps it, and records the agency's explanations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.agencies.models import Role
from gongkai.reports import printed
from gongkai.reports.services import MAX_EXPLANATION

FIRST_YEAR = 2008


class ReviewUploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("机关"), queryset=None, to_field_name="code")
    year = forms.TypedChoiceField(label=_("报告年度"), coerce=int)
    file = forms.FileField(
        label=_("年度报告文件"),
        help_text=_("JSON（接口文档规定的格式，空白处为 null）或本平台导出的 XLSX 表格，不超过 5 MB。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            agencies_in_scope(user, Role.SUPERVISOR, Role.ADMINISTRATOR)
            .filter(is_active=True)
            .order_by("path", "sort_order")
        )
        last = timezone.localdate().year - 1
        self.fields["year"].choices = [
            (y, _("%(year)s年度") % {"year": y}) for y in range(last, FIRST_YEAR - 1, -1)
        ]

    def clean(self):
        cleaned = super().clean()
        upload, year = cleaned.get("file"), cleaned.get("year")
        if upload is None or year is None:
            return cleaned
        if upload.size > printed.MAX_FILE_BYTES:
            raise forms.ValidationError(_("文件过大：年度报告的报表不超过 5 MB。"))
        raw = upload.read()
        name = (upload.name or "").lower()
        try:
            if name.endswith(".xlsx") or raw[:2] == b"PK":
                cleaned["data"] = printed.read_xlsx(raw, year=year)
            else:
                cleaned["data"] = printed.read_json(raw)
        except printed.ReportFileError as exc:
            self.add_error("file", str(exc))
        return cleaned


class ReviewExplainForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=300)
    text = forms.CharField(
        label=_("机关的说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_EXPLANATION,
        required=False,
        help_text=_("留空并保存即撤回说明。"),
    )
