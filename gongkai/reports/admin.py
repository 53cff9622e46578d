from django.contrib import admin

from .models import AnnualReport, ManualFigure


@admin.register(ManualFigure)
class ManualFigureAdmin(admin.ModelAdmin):
    """Figures the platform does not hold (licensing, penalty, enforcement decisions, fee income),
    entered by hand and marked so in the report. Read-only here."""

    list_display = ("agency", "year", "key", "value")
    list_filter = ("year", "key")

    # Entered through the workbench (manual_figure_set), which audits every change.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read-only: reports change through their services (narrative, explanations, publication)."""

    list_display = ("agency", "year", "status", "published_at")
    list_filter = ("year", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
