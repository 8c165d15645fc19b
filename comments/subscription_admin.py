"""
Subscriptions ("Notify me of replies") and the record of the e-mails sent, in the admin.

Both are personal data spanning every post and page: only those who may export and erase a
commenter's data (`comments.permissions.can_erase_personal_data`: editors and superusers) see
them, whatever model permissions an account holds. Nothing is added or edited by hand (a
subscription is a reader's own request, confirmed by them); a moderator may remove one, which
goes through the same service as the reader's one-click unsubscribe.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import SentEmail, Subscription
from .permissions import can_erase_personal_data


class PersonalDataAdmin(admin.ModelAdmin):
    """Seen by who may handle commenters' personal data, read-only."""

    def has_module_permission(self, request):
        return can_erase_personal_data(request.user)

    def has_view_permission(self, request, obj=None):
        return can_erase_personal_data(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("e-mail confirmation")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.confirmed()
        if self.value() == "no":
            return queryset.unconfirmed()
        return queryset


class SentEmailInline(admin.TabularInline):
    model = SentEmail
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "subject"]
    readonly_fields = fields
    verbose_name_plural = _("e-mails sent about this subscription")

    def has_view_permission(self, request, obj=None):
        return can_erase_personal_data(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(PersonalDataAdmin):
    list_display = ["email", "followed", "scope", "confirmed", "created_at", "confirmed_at"]
    list_filter = [ConfirmedFilter, "scope"]
    list_select_related = ["post", "page"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = ["email", "post", "page", "comment", "scope", "created_at", "confirmed_at"]
    readonly_fields = fields
    inlines = [SentEmailInline]

    def has_delete_permission(self, request, obj=None):
        return can_erase_personal_data(request.user)

    @admin.display(description=_("follows the comments on"))
    def followed(self, obj):
        return obj.content.title

    @admin.display(description=_("Confirmed"), boolean=True, ordering="confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed

    def delete_model(self, request, obj):
        services.subscription_remove(subscription=obj)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            services.subscription_remove(subscription=subscription)


@admin.register(SentEmail)
class SentEmailAdmin(PersonalDataAdmin):
    list_display = ["created_at", "email", "kind", "subject"]
    list_filter = ["kind"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = ["created_at", "email", "kind", "subject", "comment", "subscription"]
    readonly_fields = fields
