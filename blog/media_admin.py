"""The media library in the admin: upload through the same checks as the API (blog.services.media)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.images import clean_upload

from .models import Media
from .permissions import can_change_media, can_delete_media, can_upload_media
from .services import media_create, media_delete, media_update


class MediaForm(forms.ModelForm):
    class Meta:
        model = Media
        fields = ["file", "alt_text", "caption"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if self.instance.pk is None and file:
            try:
                clean_upload(file)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
            file.seek(0)
        return file


@admin.register(Media)
class MediaAdmin(admin.ModelAdmin):
    form = MediaForm
    list_display = ["preview", "__str__", "width", "height", "mime_type", "uploaded_by", "created"]
    list_display_links = ["preview", "__str__"]
    search_fields = ["alt_text", "caption", "file"]
    readonly_fields = [
        "preview",
        "width",
        "height",
        "mime_type",
        "size",
        "uploaded_by",
        "created",
        "rendition_count",
    ]
    list_select_related = ["uploaded_by"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["file", "alt_text", "caption"]
        return ["preview", "alt_text", "caption", *self.readonly_fields[1:]]

    @admin.display(description=_("image"))
    def preview(self, media):
        return format_html('<img src="{}" alt="" width="80" loading="lazy">', media.url)

    @admin.display(description=_("renditions"))
    def rendition_count(self, media):
        return len(media.sizes)

    def has_add_permission(self, request):
        return can_upload_media(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("blog.change_media")
        return can_change_media(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("blog.delete_media")
        return can_delete_media(request.user, obj)

    def save_model(self, request, obj, form, change):
        if change:
            media_update(media=obj, by=request.user, alt_text=obj.alt_text, caption=obj.caption)
            return
        media = media_create(
            by=request.user, file=form.cleaned_data["file"], alt_text=obj.alt_text, caption=obj.caption
        )
        obj.__dict__.update({key: value for key, value in media.__dict__.items() if key != "_state"})
        obj._state.adding = False

    def delete_model(self, request, obj):
        media_delete(media=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for media in queryset:
            media_delete(media=media, by=request.user)
