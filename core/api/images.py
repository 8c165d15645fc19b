"""An image's renditions (core.images) as every endpoint gives them: the media library, posts, authors."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from core.picture import rendition_url

from .fields import absolute_uri

RenditionSerializer = inline_serializer(
    name="Rendition",
    fields={
        "url": serializers.URLField(),
        "width": serializers.IntegerField(),
        "height": serializers.IntegerField(),
        "type": serializers.CharField(help_text=_("image/webp, or the original's type.")),
    },
    many=True,
)


def renditions(context, sizes):
    """An image's renditions as the API gives them: absolute URLs, smallest first."""
    return [
        {
            "url": absolute_uri(context, rendition_url(size["name"])),
            "width": size["width"],
            "height": size["height"],
            "type": size["type"],
        }
        for size in sorted(sizes, key=lambda size: (size["width"], size["type"]))
    ]
