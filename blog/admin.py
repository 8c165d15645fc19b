from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from authors.admin import AuthorAdmin
from authors.models import Author
from authors.permissions import can_edit_others_posts
from authors.services import author_for_user
from core.admin import FORMFIELD_OVERRIDES

from . import media_admin  # noqa: F401  (registers the media library)
from .desk_admin import DeskAdmin, expected_version
from .models import Category, Page, Post, Tag
from .permissions import can_delete, can_edit, can_publish
from .preview_admin import PreviewLinksAdmin, site_view_url
from .review_admin import ReviewAdmin
from .revisions_admin import RevisionsAdmin
from .selectors import with_published_post_counts
from .services import (
    page_create,
    page_delete,
    page_update,
    post_create,
    post_delete,
    post_publish,
    post_unpublish,
    post_update,
)


@admin.register(Author)
class AuthorWithPostsAdmin(AuthorAdmin):
    """The authors' admin, with each author's published posts counted."""

    list_display = [*AuthorAdmin.list_display, "post_count"]

    def get_queryset(self, request):
        return with_published_post_counts(super().get_queryset(request), "author")

    @admin.display(description=_("published posts"), ordering="post_count")
    def post_count(self, obj):
        return obj.post_count


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "post_count"]
    list_filter = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        categories = super().get_queryset(request).select_related("parent")
        return with_published_post_counts(categories, "categories")

    @admin.display(description=_("published posts"), ordering="post_count")
    def post_count(self, obj):
        return obj.post_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "post_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return with_published_post_counts(super().get_queryset(request), "tags")

    @admin.display(description=_("published posts"), ordering="post_count")
    def post_count(self, obj):
        return obj.post_count


class WritesThroughServices:
    """
    Saving and deleting go through the blog's services, as the API's writes do: the
    form has checked each field's shape, the service decides (blog.permissions) and
    saves, categories and tags included. The services take `by`, and the object
    under `instance_name`.
    """

    create_service = update_service = delete_service = None
    instance_name = ""

    def save_model(self, request, obj, form, change):
        data = form_data(form, obj)
        if change:
            # The stored object, not the form's copy: the service judges the change against it.
            stored = self.get_object(request, str(obj.pk))
            data.update(self.service_data(request, stored))
            # The version the form was loaded from: a save from an old copy is refused (DeskAdmin).
            data["expected_version"] = expected_version(request)
            saved = self.update_service(by=request.user, **{self.instance_name: stored}, **data)
        else:
            data.update(self.service_data(request, None))
            saved = self.create_service(by=request.user, **data)
        # The admin goes on with its own copy (log entry, messages, redirect): bring it level.
        obj.pk = saved.pk
        obj.refresh_from_db()

    def service_data(self, request, stored):
        """What the form's button adds to the fields (see ReviewAdmin); `stored` is None when adding."""
        return {}

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): the service has set the many-to-many fields with the rest.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.delete_service(by=request.user, **{self.instance_name: obj})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all or nothing, as a bulk delete is
            for obj in queryset:
                self.delete_service(by=request.user, **{self.instance_name: obj})


def form_data(form, obj):
    """The model fields an admin form set on `obj`, as keyword arguments for a service."""
    opts = obj._meta
    many_to_many = {field.name for field in opts.many_to_many}
    fields = {field.name for field in opts.concrete_fields if field.name != opts.pk.name}
    return {
        name: form.cleaned_data[name] if name in many_to_many else getattr(obj, name)
        for name in form.cleaned_data
        if name in many_to_many or name in fields
    }


@admin.register(Post)
class PostAdmin(
    PreviewLinksAdmin, ReviewAdmin, DeskAdmin, RevisionsAdmin, WritesThroughServices, admin.ModelAdmin
):
    """
    The role rules (blog.permissions) enforced: contributors and authors see and
    edit only their own posts and always write as themselves; only those who may
    publish a post get its status field, and every save goes through the post
    services, which check again.
    """

    create_service = staticmethod(post_create)
    update_service = staticmethod(post_update)
    delete_service = staticmethod(post_delete)
    instance_name = "post"

    formfield_overrides = FORMFIELD_OVERRIDES
    list_display = ["title", "author", "status_label", "published_at", "sticky", "updated_at"]
    list_filter = ["status", "author", "categories", "published_at", "sticky"]
    list_select_related = ["author"]
    search_fields = ["title", "body", "excerpt", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    filter_horizontal = ["categories", "tags"]
    actions = ["publish_selected", "submit_selected", "unpublish_selected"]
    readonly_fields = ["word_count", "reading_time", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body", "excerpt"]}),
        (_("Publishing"), {"fields": ["status", "published_at", "sticky", "allow_comments"]}),
        (_("Classification"), {"fields": ["categories", "tags"]}),
        (
            _("Featured image"),
            {
                "fields": ["featured_media", "featured_image", "featured_image_url", "featured_image_alt"],
                "classes": ["collapse"],
            },
        ),
        (
            _("Search engines"),
            {"fields": ["seo_title", "meta_description", "canonical_url"], "classes": ["collapse"]},
        ),
        (
            _("Statistics"),
            {"fields": ["word_count", "reading_time", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    def view_on_site(self, obj):
        # The site-relative address, so the preview opens on this host rather than on
        # the Site row's domain (example.com until someone changes it); with PLUME_PREVIEW_URL,
        # on the frontend (blog.preview_admin).
        return site_view_url(self, obj)

    def get_queryset(self, request):
        posts = super().get_queryset(request)
        if can_edit_others_posts(request.user):
            return posts
        return posts.filter(author__user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_edit_others_posts(request.user):
            fields.append("author")
        if not self._may_publish(request, obj):
            # Not in the form at all, so a crafted POST cannot set it either.
            fields.append("status")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("author", author_for_user(user=request.user).pk)
        return initial

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return can_delete(request.user, obj)

    def _may_publish(self, request, obj):
        return can_publish(request.user, obj)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Scheduled")
        return obj.get_status_display()

    @admin.action(description=_("Publish the selected posts"))
    def publish_selected(self, request, queryset):
        done = self._apply(request, queryset, post_publish)
        if done:
            message = ngettext("%(count)d post published.", "%(count)d posts published.", done)
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Put the selected posts back to draft"))
    def unpublish_selected(self, request, queryset):
        done = self._apply(request, queryset, post_unpublish)
        if done:
            message = ngettext(
                "%(count)d post put back to draft.", "%(count)d posts put back to draft.", done
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    def _apply(self, request, queryset, service):
        """Run `service` on each post the user may act on; say which ones were refused."""
        done, refused = 0, []
        for post in queryset.select_related("author"):
            try:
                service(post=post, by=request.user)
            except PermissionDenied:
                refused.append(post.title)
            else:
                done += 1
        if refused:
            message = _("You are not allowed to do this for: %(titles)s.") % {"titles": ", ".join(refused)}
            self.message_user(request, message, messages.ERROR)
        return done


@admin.register(Page)
class PageAdmin(PreviewLinksAdmin, DeskAdmin, RevisionsAdmin, WritesThroughServices, admin.ModelAdmin):
    create_service = staticmethod(page_create)
    update_service = staticmethod(page_update)
    delete_service = staticmethod(page_delete)
    instance_name = "page"
    formfield_overrides = FORMFIELD_OVERRIDES
    view_on_site = PostAdmin.view_on_site
    list_display = ["title", "status", "published_at", "show_in_menu", "menu_order"]
    list_editable = ["show_in_menu", "menu_order"]
    list_filter = ["status", "show_in_menu", "allow_comments", "published_at"]
    list_select_related = ["author"]
    search_fields = ["title", "body", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    readonly_fields = ["word_count", "reading_time", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "body"]}),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "show_in_menu", "menu_order", "allow_comments"]},
        ),
        (
            _("Search engines"),
            {"fields": ["seo_title", "meta_description", "canonical_url"], "classes": ["collapse"]},
        ),
        (
            _("Statistics"),
            {"fields": ["word_count", "reading_time", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
