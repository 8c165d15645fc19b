from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import FORMFIELD_OVERRIDES

from .permissions import can_edit_others_posts


class AuthorAdmin(admin.ModelAdmin):
    """
    Editors manage every profile; contributors and authors only their own.

    Registered by `blog.admin`, which adds each author's published posts: authors
    knows nothing of posts.
    """

    formfield_overrides = FORMFIELD_OVERRIDES
    list_display = ["display_name", "user", "role_title"]
    list_select_related = ["user"]
    search_fields = ["display_name", "slug", "user__username", "user__email"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]
    readonly_fields = ["avatar_preview"]
    fieldsets = [
        (None, {"fields": ["user", "display_name", "slug", "role_title", "bio"]}),
        (_("Avatar"), {"fields": ["avatar", "avatar_preview"]}),
        (_("Links"), {"fields": ["website", "twitter_url", "linkedin_url", "mastodon_url", "github_url"]}),
    ]

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def get_queryset(self, request):
        authors = super().get_queryset(request)
        if can_edit_others_posts(request.user):
            return authors
        return authors.filter(user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Who a profile belongs to is an account matter, for superusers.
            fields.append("user")
        return fields

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if request.user.is_superuser else []

    @admin.display(description=_("current avatar"))
    def avatar_preview(self, obj):
        if not obj.avatar_url:
            return "—"
        return format_html('<img src="{}" alt="" width="80" height="80">', obj.avatar_url)
