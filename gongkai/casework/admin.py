from django.contrib import admin

from gongkai.core.admin import AuditedModelAdmin

from .models import Division


@admin.register(Division)
class DivisionAdmin(AuditedModelAdmin):
    """Divisions are reference data kept by administrators (edits audited); tasks and notes are
    written only by the services."""

    list_display = ("name", "agency", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "agency__name")
    filter_horizontal = ("members",)
    autocomplete_fields = ("agency",)
