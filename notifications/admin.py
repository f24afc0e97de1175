from django.contrib import admin

from .models import MailPreference


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    """People's mail choices (superusers; everyone changes their own through the API)."""

    list_display = ("user", "digest", "opted_out", "updated_at")
    search_fields = ("user__username", "user__email")

    def has_module_permission(self, request) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request, obj=None) -> bool:
        return bool(request.user.is_superuser)
