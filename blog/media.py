"""Uploaded images (the media library): checked, stripped of metadata, offered in renditions.

The model lives here and is imported by `blog.models`; the upload rules are
`core.images` (content check, size limit, EXIF) and `blog.services.media`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.images import renditions_of


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
