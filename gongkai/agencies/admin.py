"""Back office for the agency directory: agencies with their disclosure office, reading points,
staff roles. Edits are audited (AuditedModelAdmin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from gongkai.core.admin import AuditedModelAdmin, HttpsURLMixin

from .models import Agency, DisclosureOffice, ReadingPoint, StaffRole


class DisclosureOfficeInline(HttpsURLMixin, admin.StackedInline):
    model = DisclosureOffice
    extra = 0
    max_num = 1
    can_delete = False
    # Shown, never edited here: only the services record a review (office_update, guide_confirm).
    readonly_fields = ("guide_reviewed_on",)
    verbose_name = _("政府信息公开工作机构")


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ("user",)
    verbose_name = _("人员角色")
    verbose_name_plural = _("人员角色")


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "short_name", "code")
    autocomplete_fields = ("parent", "competent_authority")
    list_select_related = ("parent",)
    inlines = (DisclosureOfficeInline, StaffRoleInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    "short_name",
                    "code",
                    "level",
                    "parent",
                    "competent_authority",
                    "website",
                    "functions",
                    "is_active",
                    "sort_order",
                )
            },
        ),
        (
            _("救济途径（答复书写明）"),
            {
                "fields": (
                    "vertically_led",
                    "reconsideration_body",
                    "reconsideration_address",
                    "court",
                    "court_address",
                )
            },
        ),
    )


@admin.register(ReadingPoint)
class ReadingPointAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "address", "phone")
    list_filter = ("kind",)
    search_fields = ("name", "address")
    autocomplete_fields = ("agencies",)


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedModelAdmin):
    list_display = ("user", "agency", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "agency__name", "agency__code")
    autocomplete_fields = ("user", "agency")
    list_select_related = ("user", "agency")
