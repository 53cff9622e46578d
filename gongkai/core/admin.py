"""Back office (Django admin) for administrators: site titles, the read-only audit trail, and
the base class that audits the admin's direct edits of reference data."""

import json

from django.contrib import admin
from django.db import models
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .calendar_store import calendar_day_delete, calendar_day_save, calendar_notice_delete
from .models import AuditEvent, CalendarDay, HolidayNotice

admin.site.site_header = _("政府信息公开平台 管理后台")
admin.site.site_title = _("政府信息公开平台 管理后台")
admin.site.index_title = _("管理首页")


def _admin_snapshot(obj) -> dict:
    # model_to_dict holds dates and model instances: store them as text in the audit JSON.
    return json.loads(json.dumps(model_to_dict(obj), default=str, ensure_ascii=False))


class HttpsURLMixin:
    """URL fields typed without a scheme get https:// (Django 6's default, chosen now)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AuditedModelAdmin(HttpsURLMixin, admin.ModelAdmin):
    """A ModelAdmin for reference data without a service of its own (agencies, taxonomies):
    every save and delete made through the admin is recorded in the audit trail."""

    def save_model(self, request, obj, form, change):
        before = _admin_snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        action = f"admin_{obj._meta.model_name}_{'update' if change else 'create'}"
        audit_record(actor=request.user, action=action, obj=obj, before=before, after=_admin_snapshot(obj))

    def save_formset(self, request, form, formset, change):
        deleted = [(f.instance, _admin_snapshot(f.instance)) for f in formset.deleted_forms if f.instance.pk]
        for obj, before in deleted:
            audit_record(
                actor=request.user, action=f"admin_{obj._meta.model_name}_delete", obj=obj, before=before
            )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _fields in formset.changed_objects]:
            action = f"admin_{obj._meta.model_name}_save"
            audit_record(actor=request.user, action=action, obj=obj, after=_admin_snapshot(obj))

    def delete_model(self, request, obj):
        before = _admin_snapshot(obj)
        audit_record(
            actor=request.user, action=f"admin_{obj._meta.model_name}_delete", obj=obj, before=before
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit trail, read-only: append-only by design (security.md, "Audit")."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "outcome")
    list_filter = ("action", "outcome", "object_type")
    search_fields = ("actor_label", "action", "object_type", "object_id")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The holiday calendar. Edits go through the calendar services (which check, audit and tell
# every process to rebuild its calendar), not through AuditedModelAdmin's direct saves.
class _SuperuserOnly:
    """The calendar is national: only platform administrators maintain it."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class CalendarDayInline(_SuperuserOnly, admin.TabularInline):
    model = CalendarDay
    fields = ("date", "kind", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(_SuperuserOnly, admin.ModelAdmin):
    """Loaded notices, read-only: a notice is loaded with `gongkai calendar load FILE` and its
    days are corrected one by one under 节假日和调休日. Deleting a notice makes its year
    provisional again."""

    list_display = ("year", "source", "loaded_at", "loaded_by")
    search_fields = ("source",)
    readonly_fields = ("year", "source", "loaded_at", "loaded_by")
    inlines = [CalendarDayInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        calendar_notice_delete(notice=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(_SuperuserOnly, admin.ModelAdmin):
    """One holiday or adjusted working day of a notice: corrections after a notice changes
    (as the 2020 Spring Festival holiday was extended)."""

    list_display = ("date", "kind", "name", "notice")
    list_filter = ("kind", "notice")
    date_hierarchy = "date"
    search_fields = ("name",)
    fields = ("notice", "date", "kind", "name")

    def save_model(self, request, obj, form, change):
        calendar_day_save(day=obj, actor=request.user)

    def delete_model(self, request, obj):
        calendar_day_delete(day=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
