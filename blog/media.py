"""Uploaded images (the media library): checked, stripped of metadata, offered in renditions.

The model lives here and is imported by `blog.models`; the upload rules are
`core.images` (content check, size limit, EXIF) and `blog.services.media`.
"""

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import models
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.images import renditions_of
from core.picture import picture


class Media(models.Model):
    file = models.ImageField(_("file"), upload_to="media/%Y/%m/")
    alt_text = models.CharField(
        _("alternative text"),
        max_length=255,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    width = models.PositiveIntegerField(_("width"), editable=False)
    height = models.PositiveIntegerField(_("height"), editable=False)
    mime_type = models.CharField(_("type"), max_length=50, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # {"source": file name, "sizes": [{name, width, height, type}]}, written by core.images.render_image.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self):
        return self.alt_text or self.file.name.rsplit("/", 1)[-1]

    @property
    def url(self):
        return self.file.url

    @property
    def sizes(self):
        return renditions_of(self.renditions, self.file.name)

    def image_info(self, alt=None):
        """What `{% picture %}` and the API show of this image."""
        return {
            "src": self.file.url,
            "alt": self.alt_text if alt is None else alt,
            "width": self.width,
            "height": self.height,
            "sizes": self.sizes,
        }


# Images of the media library in a post's or page's body (Markdown `![alt](/media/media/…)`):
# given their renditions where the body is shown, so that renditions made after the body was
# rendered are offered too. The stored body_html stays as core.markdown rendered it.
IMG_TAG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\s([a-z-]+)="([^"]*)"')
BODY_SIZES = "(min-width: 41rem) 41rem, 100vw"


def _media_name(src):
    media_url = settings.MEDIA_URL
    path = urlsplit(src).path if src.startswith(("http://", "https://")) else src
    if not path.startswith(media_url):
        return None
    return unquote(path[len(media_url) :])


def with_renditions(html, sizes=BODY_SIZES):
    """`html` (sanitized) with each image of the media library as a `<picture>`; one query at most."""
    if not html or "<img" not in html:
        return html
    tags = [(match, dict(ATTRIBUTE.findall(match.group(0)))) for match in IMG_TAG.finditer(html)]
    names = {_media_name(unescape(attributes.get("src", ""))) for _match, attributes in tags} - {None}
    if not names:
        return html
    library = {media.file.name: media for media in Media.objects.filter(file__in=names)}
    if not library:
        return html

    def replace(match):
        attributes = dict(ATTRIBUTE.findall(match.group(0)))
        media = library.get(_media_name(unescape(attributes.get("src", ""))))
        if media is None:
            return match.group(0)
        alt = unescape(attributes["alt"]) if "alt" in attributes else media.alt_text
        return picture(
            unescape(attributes["src"]),
            media.sizes,
            alt=alt,
            width=media.width,
            height=media.height,
            sizes_attr=sizes,
        )

    return mark_safe(IMG_TAG.sub(replace, html))  # noqa: S308 (sanitized HTML, and picture() escapes)
