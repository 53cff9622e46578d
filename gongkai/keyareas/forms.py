"""Forms of the key-area pages in the workbench: one validation, used by the views; the services
check permission and state again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.access import agencies_in_scope
from gongkai.catalogue.models import Document

from .models import KeyArea
from .services import ACTING_ROLES, ProjectFields


class ProjectForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("公开主体"), queryset=None, empty_label=None)
    area = forms.ModelChoiceField(label=_("重点领域"), queryset=None, empty_label=None)
    number = forms.CharField(
        label=_("项目编号"), max_length=60, help_text=_("如采购计划编号、项目代码，或预决算的年度")
    )
    title = forms.CharField(label=_("项目名称"), max_length=300)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    budget_amount = forms.DecimalField(
        label=_("预算金额（元）"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    summary = forms.CharField(label=_("项目概况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_in_scope(user, *ACTING_ROLES).order_by("path")
        self.fields["area"].queryset = KeyArea.objects.exclude(record_kind__isnull=True).exclude(
            record_kind=""
        )

    def project_fields(self) -> ProjectFields:
        d = self.cleaned_data
        return ProjectFields(
            number=d["number"],
            title=d["title"],
            year=d["year"],
            budget_amount=d["budget_amount"],
            summary=d["summary"],
        )


class OccurForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("信息形成或变更日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("如批复、签订、确定之日；采购意向填写计划开始采购的日期"),
    )


class FulfilForm(forms.Form):
    index_no = forms.CharField(label=_("公开文件索引号"), max_length=64)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency

    def clean_index_no(self):
        index_no = self.cleaned_data["index_no"].strip()
        document = Document.objects.public().filter(index_no=index_no, agency=self.agency).first()
        if document is None:
            raise forms.ValidationError(
                _("本机关已公开的政府信息中没有索引号为“%(no)s”的文件。") % {"no": index_no}
            )
        self.document = document
        return index_no


class ComplianceFilterForm(forms.Form):
    year = forms.IntegerField(label=_("期限所在年度"), required=False, min_value=2000, max_value=2100)
