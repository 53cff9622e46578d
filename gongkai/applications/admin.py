from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongkai.core.audit import audit_record
from gongkai.core.scan.masking import mask

from .archive_numbers import archive_pattern_problem
from .models import Application, FilingRule, LetterTemplate, RemedyCase
from .personal_data import masked_id_number, masked_phone


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Agencies' edited letter templates (Django template syntax; a broken one is refused
    when a letter is made from it, with the reason)."""

    list_display = ("kind", "outcome", "agency")
    list_filter = ("kind",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the workbench and its services. The
    applicant's personal data is shown masked, to superusers too: the full values only on the
    workbench, to the staff handling the case, after a reveal with a reason that is audited
    (applications/personal_data.py). Nothing personal can be searched or filtered on."""

    list_display = ("tracking_no", "agency", "channel", "state", "received_on", "reply_due_on", "outcome")
    list_filter = ("state", "channel", "outcome")
    search_fields = ("tracking_no", "legacy_ref")
    exclude = (
        "query_code_hash", "idempotency_key", "id_number", "org_code", "contact_name", "phone", "email",
        "address", "postcode", "client_ip",
    )  # fmt: skip
    readonly_fields = ("masked_id_number", "masked_phone", "masked_email", "masked_address")

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj):
        return masked_id_number(obj)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return masked_phone(obj.phone)

    @admin.display(description=_("电子邮箱"))
    def masked_email(self, obj):
        return mask("email", obj.email) if obj.email else ""

    @admin.display(description=_("通信地址"))
    def masked_address(self, obj):
        return mask("address", obj.address) if obj.address else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RemedyCase)
class RemedyCaseAdmin(admin.ModelAdmin):
    list_display = ("kind", "agency", "application", "filed_on", "decided_on", "result")
    list_filter = ("kind", "result")

    def has_delete_permission(self, request, obj=None):
        return False


class FilingRuleForm(forms.ModelForm):
    class Meta:
        model = FilingRule
        fields = ["agency", "pattern", "fonds_code", "region", "retention"]

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"].strip()
        problem = archive_pattern_problem(pattern)
        if problem:
            raise forms.ValidationError(problem)
        return pattern


@admin.register(FilingRule)
class FilingRuleAdmin(admin.ModelAdmin):
    """Each agency's 档号 rule (issue 18 item 6); the office head may also set it through
    ``services.filing_rule_set``. Cases already filed keep their numbers."""

    form = FilingRuleForm
    list_display = ("agency", "pattern", "fonds_code", "region", "retention")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="filing_rule_set", obj=obj,
                     after={"pattern": obj.pattern, "fonds_code": obj.fonds_code, "region": obj.region,
                            "retention": obj.retention})  # fmt: skip
