from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from markdownx.models import MarkdownxField
from PIL import Image, ImageOps

from core.images import renditions_of
from core.links import slug_path
from core.markdown import render
from core.slugs import unique_slug

AVATAR_THUMBNAIL_SIZE = (160, 160)


class Author(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="author",
        verbose_name=_("user"),
    )
    display_name = models.CharField(_("display name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True, allow_unicode=True)
    role_title = models.CharField(
        _("role title"), max_length=150, blank=True, help_text=_("For example “Rédactrice principale”.")
    )
    bio = MarkdownxField(_("biography"), blank=True, help_text=_("Markdown."))
    bio_html = models.TextField(_("rendered biography"), blank=True, editable=False)
    avatar = models.ImageField(_("avatar"), upload_to="avatars/", blank=True)
    avatar_thumbnail = models.ImageField(
        _("avatar thumbnail"), upload_to="avatars/thumbnails/", blank=True, editable=False
    )
    # Square renditions of avatar in PLUME_AVATAR_WIDTHS, made in the background (core.images).
    avatar_renditions = models.JSONField(default=dict, blank=True, editable=False)
    website = models.URLField(_("website"), blank=True)
    twitter_url = models.URLField(_("X / Twitter"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    mastodon_url = models.URLField(_("Mastodon"), blank=True)
    github_url = models.URLField(_("GitHub"), blank=True)
    # The user id on the WordPress site this author was imported from: the WordPress-compatible
    # API answers with it, so a frontend written for that site finds its authors again.
    wordpress_id = models.PositiveBigIntegerField(_("WordPress id"), null=True, blank=True, unique=True)
    # Which comment e-mails this person gets (the comments app reads them; a user without a
    # profile gets the defaults).
    notify_comments_to_moderate = models.BooleanField(
        _("e-mail me new comments to moderate"),
        default=True,
        help_text=_("Comments waiting for a moderator, on the posts you may moderate."),
    )
    notify_approved_comments = models.BooleanField(
        _("e-mail me approved comments on my posts"),
        default=False,
        help_text=_("Comments published at once (approved automatically) on the posts you wrote."),
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Author, self.display_name or self.user.get_username(), instance=self)
        self.bio_html = render(self.bio)
        self.make_avatar_thumbnail()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_path("blog:author", self.slug)

    def surrogate_keys(self):
        return [f"author-{self.pk}"]

    @property
    def links(self):
        """The author's public links, in display order, skipping blank ones."""
        candidates = [
            ("website", _("Website"), self.website),
            ("twitter", "X", self.twitter_url),
            ("linkedin", "LinkedIn", self.linkedin_url),
            ("mastodon", "Mastodon", self.mastodon_url),
            ("github", "GitHub", self.github_url),
        ]
        return [{"kind": kind, "label": label, "url": url} for kind, label, url in candidates if url]

    @property
    def avatar_url(self):
        image = self.avatar_thumbnail or self.avatar
        return image.url if image else ""

    @property
    def avatar_info(self):
        """The avatar as `{% picture %}` and the API show it: the thumbnail, with its renditions once made."""
        if not self.avatar_url:
            return None
        sizes = renditions_of(self.avatar_renditions, self.avatar.name) if self.avatar else []
        largest = max(sizes, key=lambda size: size["width"], default={})
        return {
            "src": self.avatar_url,
            "alt": "",
            "width": largest.get("width"),
            "height": largest.get("height"),
            "sizes": sizes,
        }

    def make_avatar_thumbnail(self):
        """Build a square thumbnail once, when a new avatar is uploaded."""
        if not self.avatar:
            self.avatar_thumbnail = None
            return
        if getattr(self.avatar, "_committed", True) and self.avatar_thumbnail:
            return
        self.avatar.open()
        with Image.open(self.avatar) as image:
            thumbnail = ImageOps.fit(image.convert("RGB"), AVATAR_THUMBNAIL_SIZE)
            buffer = BytesIO()
            thumbnail.save(buffer, format="JPEG", quality=85)
        name = f"{self.slug or 'avatar'}.jpg"
        self.avatar_thumbnail.save(name, ContentFile(buffer.getvalue()), save=False)
        self.avatar.seek(0)
