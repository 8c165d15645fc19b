"""
Preview links: an address that shows a draft (or a post awaiting review, or a
scheduled one, or a page) as readers will see it, to someone without an account.

The token is 32 random bytes, given once to whoever creates the link; what is
stored is its HMAC under the site's SECRET_KEY (`token_hash`), so neither the
database nor a backup holds a working link, and changing SECRET_KEY voids them
all. A link ends at `expires_at` or when revoked. Who may create or revoke one is
`blog.permissions.can_share_preview`; creating and revoking are services
(blog.services.previews); finding the content of a token is `active_link`.
"""

import secrets
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url

from . import post_or_page

TOKEN_BYTES = 32
HMAC_SALT = "plume.preview-link"
# The longest a token can be: longer input is no token, and is not hashed.
MAX_TOKEN_LENGTH = 64


def new_token():
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token):
    return salted_hmac(HMAC_SALT, token, algorithm="sha256").hexdigest()


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    post, page = post_or_page.foreign_keys("preview_links")
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    label = models.CharField(
        _("for whom"), max_length=100, blank=True, help_text=_("A note for you: who the link is for.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        constraints = [post_or_page.exactly_one("blog_previewlink_of_one_thing")]

    def __str__(self):
        return self.label or str(self.target)

    @property
    def target(self):
        return self.post if self.post_id else self.page

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


def find_link(token):
    """The link made with `token`, with its post or page, active or not; None for no link's token."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    return PreviewLink.objects.select_related("post", "page").filter(token_hash=token_hash(token)).first()


def active_link(token):
    """The link `token` opens, with its post or page, if it is neither expired nor revoked; else None."""
    link = find_link(token)
    return link if link is not None and link.is_active else None


def preview_url(target, token, request=None):
    """
    Where a preview link opens: PLUME_PREVIEW_URL with `{slug}`, `{token}` and `{kind}`
    ("post" or "page") filled in when the site has a separate frontend, else Plume's
    own /preview/<token>/.
    """
    template = settings.PLUME_PREVIEW_URL
    if template:
        return template.format(slug=quote(target.slug), token=token, kind=target._meta.model_name)
    return absolute_url(reverse("blog:preview", kwargs={"token": token}), request=request)
