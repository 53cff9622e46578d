"""The second-factor devices in the Django admin: listed, and removable when a staff member has
lost the phone. Adding or editing a device here would let an administrator know or set a user's
secret, so both are off; removal goes through the audited service."""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import PasswordRecord
from .network import client_ip

if admin.site.is_registered(TOTPDevice):  # django-otp's own admin shows and edits the secret
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.totp_device_remove(device=obj, actor=request.user, ip=client_ip(request))

    def delete_queryset(self, request, queryset):
        # also what the admin's "delete selected" action calls
        for device in queryset.select_related("user"):
            self.delete_model(request, device)


@admin.register(PasswordRecord)
class PasswordRecordAdmin(admin.ModelAdmin):
    """When each password was last set (read-only: it follows the password itself)."""

    list_display = ["user", "changed_at"]
    search_fields = ["user__username"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
