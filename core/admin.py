"""What every app's admin shares, and the site's own settings."""

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from .models import SiteSettings

# Markdown fields get the live preview; URL fields assume https (Django 6's default) when
# someone types a bare domain.
FORMFIELD_OVERRIDES = {
    MarkdownxField: {"widget": AdminMarkdownxWidget},
    models.URLField: {"assume_scheme": "https"},
}


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
