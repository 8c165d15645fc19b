"""
Webhook endpoints (where to POST, with which secret, for which events) and the log
of every delivery made to them (webhooks/delivery.py sends, webhooks/tasks.py retries).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

EVENTS = {
    "post.published": _("A post goes live (at once, or a scheduled post at its date)"),
    "post.updated": _("A live post is changed"),
    "post.unpublished": _("A live post is taken down (back to draft or pending review)"),
    "post.deleted": _("A live post is deleted"),
    "page.published": _("A page goes live"),
    "page.updated": _("A live page is changed"),
    "page.unpublished": _("A live page is taken down"),
    "page.deleted": _("A live page is deleted"),
    "comment.approved": _("A comment is approved"),
    "site.changed": _("Anything a static site must be rebuilt for (posts, pages, terms, authors, settings)"),
}


def new_secret():
    return secrets.token_urlsafe(32)


def validate_events(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."))
    unknown = [event for event in value if event not in EVENTS]
    if unknown:
        raise ValidationError(_("Unknown events: %(events)s.") % {"events": ", ".join(map(str, unknown))})


class Endpoint(models.Model):
    url = models.URLField(
        _("URL"),
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Where each event is sent, as an HTTP POST (http or https)."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(_("events"), default=list, validators=[validate_events])
    # Kept as is: signing needs it. Shown once, when made; regenerated from the admin.
    secret = models.CharField(_("secret"), max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["url"]

    def __str__(self):
        return self.description or self.url

    def wants(self, event):
        return self.active and event in self.events


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RETRYING = "retrying", _("Retrying")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("event"), max_length=40)
    # What the event is about ("post-42", "site"): saves of one object within the debounce fold.
    subject = models.CharField(_("subject"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    folded = models.PositiveIntegerField(
        _("folded saves"), default=0, help_text=_("Later saves sent in this delivery (debounce).")
    )
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_code = models.PositiveSmallIntegerField(_("last response code"), null=True, blank=True)
    response_body = models.TextField(_("last response body"), blank=True)
    error = models.TextField(_("last error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("last duration (ms)"), null=True, blank=True)
    log = models.JSONField(_("attempts log"), default=list, blank=True)
    resent_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resent from"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["endpoint", "event", "subject", "status"], name="webhooks_fold")]

    def __str__(self):
        return f"{self.event} #{self.pk}"
