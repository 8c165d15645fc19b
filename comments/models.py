from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.markdown import render


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of a public comment."""
        return self.filter(status=Comment.Status.APPROVED)

    def in_moderation(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        PINGBACK = "pingback", _("Pingback")
        TRACKBACK = "trackback", _("Trackback")

    post = models.ForeignKey(
        "blog.Post", on_delete=models.CASCADE, related_name="comments", verbose_name=_("post")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("user"),
    )
    author_name = models.CharField(_("name"), max_length=100)
    author_email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    author_url = models.URLField(_("website"), max_length=500, blank=True)
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(_("rendered comment"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.COMMENT)
    moderation_rule = models.CharField(_("moderation rule"), max_length=50, blank=True)
    moderation_reason = models.CharField(_("moderation reason"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address (truncated)"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate comments"))]
        indexes = [
            models.Index(fields=["post", "status", "created_at"], name="comment_post_status_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["author_email", "status"], name="comment_email_status_idx"),
            models.Index(fields=["ip_address", "-created_at"], name="comment_ip_idx"),
        ]

    def __str__(self):
        return _("%(name)s on %(post)s") % {"name": self.author_name, "post": self.post_id}

    def save(self, *args, **kwargs):
        self.body_html = render(self.body, comment=True)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"
