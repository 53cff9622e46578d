from django.contrib import admin

from .models import Application, LetterTemplate, RemedyCase


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Agencies' edited letter templates (Django template syntax; a broken one is refused
    when a letter is made from it, with the reason)."""

    list_display = ("kind", "outcome", "agency")
    list_filter = ("kind",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the workbench and its services."""

    list_display = ("tracking_no", "agency", "channel", "state", "received_on", "reply_due_on", "outcome")
    list_filter = ("state", "channel", "outcome")
    search_fields = ("tracking_no", "legacy_ref")
    exclude = ("query_code_hash", "id_number", "phone", "email", "address", "client_ip")

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
