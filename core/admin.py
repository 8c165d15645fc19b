from django.contrib import admin
from django.shortcuts import redirect

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row: the list opens it, and it can be neither added twice nor deleted."""

    fieldsets = [
        (None, {"fields": ["site_name", "tagline", "logo", "footer_text"]}),
        (None, {"fields": ["accent_colour", "default_social_image"]}),
    ]

    def changelist_view(self, request, extra_context=None):
        current = SiteSettings.objects.current()
        return redirect("admin:core_sitesettings_change", current.pk)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
