from django.contrib import admin

from .models import DeadlineRule, ReviewChain, Submission, TimelinessFigure


@admin.register(ReviewChain)
class ReviewChainAdmin(admin.ModelAdmin):
    list_display = ("agency",)
    search_fields = ("agency__name", "agency__code")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("agency", "info_type", "amount", "unit", "basis")
    list_filter = ("info_type", "unit")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only: submissions change only through the workbench (and its services)."""

    list_display = ("document", "agency", "kind", "state", "due_at", "updated_at")
    list_filter = ("kind", "state")
    search_fields = ("document__title",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimelinessFigure)
class TimelinessFigureAdmin(admin.ModelAdmin):
    list_display = ("agency", "month", "on_time", "late", "days_late")

    def has_change_permission(self, request, obj=None):
        return False
