from django.contrib import admin

from .models import AssessmentResult, Evaluation, Indicator, ManualScore, Scheme


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "active"]
    inlines = [IndicatorInline]


@admin.register(ManualScore)
class ManualScoreAdmin(admin.ModelAdmin):
    # Read-only: scores are entered through manual_score_set, which audits them.
    list_display = ["indicator", "agency", "period", "score", "entered_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    list_display = ["agency", "period", "total", "rank", "computed_at"]
    list_filter = ["period", "scheme"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["kind", "agency", "rating", "created_at"]
    list_filter = ["kind", "rating"]
    exclude = ["client_ip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
