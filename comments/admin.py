import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import CommentReplyForm
from .models import Comment, CommentReport, ModerationWord
from .permissions import can_erase_personal_data, can_moderate
from .subscription_admin import SentEmailAdmin, SubscriptionAdmin

__all__ = ["CommentAdmin", "ModerationWordAdmin", "SentEmailAdmin", "SubscriptionAdmin"]


class StatusFilter(admin.SimpleListFilter):
    """The moderation queue first: pending, then the rest."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in Comment.Status.choices]  # PENDING is first

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "resolved"]
    readonly_fields = fields
    verbose_name_plural = _("reader reports")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _moderate_selected(modeladmin, request, queryset, action, done_message):
    done = skipped = 0
    for comment in queryset.select_related("post__author"):
        try:
            services.comment_moderate(comment=comment, action=action, by=request.user)
            done += 1
        except PermissionDenied:
            skipped += 1
    modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d comment was left alone: you may not moderate it.",
                "%(count)d comments were left alone: you may not moderate them.",
                skipped,
            )
            % {"count": skipped},
            messages.WARNING,
        )


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "author_name",
        "excerpt",
        "post_link",
        "status",
        "moderation_rule",
        "moderation_reason",
        "report_count",
        "created_at",
        "links",
    ]
    list_display_links = ["author_name", "excerpt"]
    list_filter = [StatusFilter, "moderation_rule", "kind"]
    list_select_related = ["post", "post__author", "page"]
    search_fields = ["author_name", "author_email", "body", "post__title", "page__title"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]  # the newest first, as a moderation queue reads
    actions = ["approve", "mark_spam", "trash", "restore", "export_personal_data", "erase_personal_data"]
    inlines = [CommentReportInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "post",
        "page",
        "parent",
        "user",
        "author_name",
        "author_email",
        "author_url",
        "body",
        "status",
        "moderation_rule",
        "moderation_reason",
        "kind",
        "ip_address",
        "user_agent",
        "created_at",
        "updated_at",
        "links",
    ]
    readonly_fields = [
        "post",
        "page",
        "parent",
        "user",
        "moderation_rule",
        "moderation_reason",
        "kind",
        "ip_address",
        "user_agent",
        "created_at",
        "updated_at",
        "links",
    ]

    def view_on_site(self, obj):
        # A relative address: the Site row (example.com until edited) is not the site's host.
        return obj.get_absolute_url()

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .moderatable_by(request.user)
            .annotate(report_count=Count("reports", filter=Q(reports__resolved=False)))
        )

    def has_add_permission(self, request):
        # Comments come from readers; moderators answer with "Reply".
        return False

    def has_erase_permission(self, request):
        return can_erase_personal_data(request.user)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            # A status picked in the form is a moderation like the list's actions: the
            # service records who did it and resolves the reports an approval answers.
            services.comment_moderate(
                comment=obj, action=services.STATUS_ACTIONS[obj.status], by=request.user
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.body).chars(80)

    @admin.display(description=_("post or page"), ordering="post__title")
    def post_link(self, obj):
        content = obj.content
        return format_html('<a href="{}">{}</a>', content.get_absolute_url(), content.title)

    @admin.display(description=_("reports"), ordering="report_count")
    def report_count(self, obj):
        return getattr(obj, "report_count", None) or 0

    @admin.display(description=_("links"))
    def links(self, obj):
        if obj.pk is None:
            return "-"
        reply_url = reverse("admin:comments_comment_reply", args=[obj.pk])
        if obj.status == Comment.Status.APPROVED:
            return format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a>',
                obj.get_absolute_url(),
                _("View on site"),
                reply_url,
                _("Reply"),
            )
        return format_html('<a href="{}">{}</a>', reply_url, _("Reply"))

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        _moderate_selected(self, request, queryset, "approve", _("%(count)d comments approved."))

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        _moderate_selected(self, request, queryset, "spam", _("%(count)d comments marked as spam."))

    @admin.action(description=_("Move selected comments to the trash"), permissions=["change"])
    def trash(self, request, queryset):
        _moderate_selected(self, request, queryset, "trash", _("%(count)d comments moved to the trash."))

    @admin.action(description=_("Restore selected comments to the moderation queue"), permissions=["change"])
    def restore(self, request, queryset):
        _moderate_selected(self, request, queryset, "restore", _("%(count)d comments restored."))

    @admin.action(description=_("Export the personal data of the selected commenters"), permissions=["erase"])
    def export_personal_data(self, request, queryset):
        emails = sorted(set(queryset.exclude(author_email="").values_list("author_email", flat=True)))
        data = [services.personal_data_export(email=email) for email in emails]
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="comments-personal-data.json"'
        return response

    @admin.action(
        description=_("Erase the personal data of the selected commenters (all their comments)"),
        permissions=["erase"],
    )
    def erase_personal_data(self, request, queryset):
        emails = set(queryset.exclude(author_email="").values_list("author_email", flat=True))
        count = sum(services.personal_data_erase(email=email) for email in emails)
        self.message_user(
            request,
            _("%(comments)d comments of %(people)d commenters anonymized.")
            % {"comments": count, "people": len(emails)},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reply/",
                self.admin_site.admin_view(self.reply_view),
                name="comments_comment_reply",
            ),
            *super().get_urls(),
        ]

    def reply_view(self, request, object_id):
        """Answer a comment from the admin: approved at once, threaded under it."""
        comment = get_object_or_404(
            self.get_queryset(request).select_related("post__author", "page"), pk=object_id
        )
        if not can_moderate(request.user, comment):
            raise PermissionDenied
        form = CommentReplyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reply = services.comment_reply(
                    parent=comment, body=form.cleaned_data["body"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, _("Your reply is published."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:comments_comment_change", args=[reply.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reply to %(name)s") % {"name": comment.author_name},
            "opts": self.opts,
            "comment": comment,
            "form": form,
        }
        return TemplateResponse(request, "comments/admin/comment_reply.html", context)


@admin.register(ModerationWord)
class ModerationWordAdmin(admin.ModelAdmin):
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["word"]
