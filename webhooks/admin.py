"""
Webhooks in the admin, for editors: endpoints (the secret is shown once, when made
or regenerated), and every delivery with its answer, which can be resent.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import FORMFIELD_OVERRIDES

from .dispatch import resend
from .models import EVENTS, Delivery, Endpoint, new_secret
from .permissions import can_manage_webhooks

RECENT = 10


def formfield(field, **kwargs):
    # As the other admins (core.admin.FORMFIELD_OVERRIDES): a bare domain is an https URL.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=list(EVENTS.items()), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "active"]
        formfield_callback = formfield


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    formfield_overrides = FORMFIELD_OVERRIDES
    list_display = ["url", "description", "event_list", "active", "created_by"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["created_by", "created_at", "recent_deliveries"]
    actions = ["regenerate_secret"]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description=_("events"))
    def event_list(self, obj):
        return ", ".join(obj.events)

    @admin.display(description=_("recent deliveries"))
    def recent_deliveries(self, obj):
        deliveries = obj.deliveries.order_by("-created_at", "-pk")[:RECENT]
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">#{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:webhooks_delivery_change", args=[d.pk]),
                    d.pk,
                    d.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                    d.event,
                    d.get_status_display(),
                    d.response_code or d.error or "",
                )
                for d in deliveries
            ),
        )
        every = reverse("admin:webhooks_delivery_changelist") + f"?endpoint__id__exact={obj.pk}"
        return format_html(
            '<table><tbody>{}</tbody></table><p><a href="{}">{}</a></p>', rows, every, _("Every delivery")
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            self.show_secret(request, obj)

    def show_secret(self, request, endpoint):
        self.message_user(
            request,
            format_html(
                "{} <code>{}</code>",
                _("Secret of %(endpoint)s, shown only now (copy it to the receiver):")
                % {"endpoint": endpoint},
                endpoint.secret,
            ),
            messages.WARNING,
        )

    def has_regenerate_permission(self, request):
        return can_manage_webhooks(request.user)

    @admin.action(description=_("Regenerate the secret"), permissions=["regenerate"])
    def regenerate_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.secret = new_secret()
            endpoint.save(update_fields=["secret", "updated_at"])
            self.show_secret(request, endpoint)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "created_at",
        "endpoint",
        "event",
        "status",
        "attempts",
        "response_code",
        "next_attempt_at",
    ]
    list_display_links = ["pk", "created_at"]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    actions = ["resend_deliveries"]
    fields = [
        "endpoint",
        "event",
        "subject",
        "status",
        "attempts",
        "folded",
        "next_attempt_at",
        "created_at",
        "last_attempt_at",
        "delivered_at",
        "response_code",
        "duration_ms",
        "error",
        "response_body",
        "payload",
        "log",
        "resent_from",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return can_manage_webhooks(request.user)

    @admin.action(description=_("Resend"), permissions=["resend"])
    def resend_deliveries(self, request, queryset):
        with transaction.atomic():
            made = [resend(delivery) for delivery in queryset.select_related("endpoint")]
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", len(made))
            % {"count": len(made)},
            messages.SUCCESS,
        )
