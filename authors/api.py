"""The author serializers other apps' endpoints nest or extend (authors serves no endpoint itself)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from core.api.fields import AbsoluteURLField
from core.api.images import RenditionSerializer, renditions
from core.api.prototypes import PrototypeFieldsMixin

from .models import Author

LinkSerializer = inline_serializer(
    name="AuthorLink",
    fields={"kind": serializers.CharField(), "label": serializers.CharField(), "url": serializers.URLField()},
    many=True,
)


class AuthorSummarySerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    """The author as shown on a post: enough for a byline."""

    name = serializers.CharField(source="display_name", read_only=True)
    avatar_url = AbsoluteURLField(allow_null=True, help_text=_("null without an avatar."))
    avatar_renditions = serializers.SerializerMethodField(
        help_text=_("Square copies of the avatar in several widths, WebP and its format; empty until made.")
    )
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Author
        fields = ["slug", "name", "role_title", "avatar_url", "avatar_renditions", "url"]
        read_only_fields = fields

    @extend_schema_field(RenditionSerializer)
    def get_avatar_renditions(self, author):
        info = author.avatar_info
        return renditions(self.context, info["sizes"]) if info else []


class AuthorProfileSerializer(AuthorSummarySerializer):
    """The author's page: the byline, with biography and links (blog's API adds the post count)."""

    links = serializers.SerializerMethodField()

    class Meta(AuthorSummarySerializer.Meta):
        fields = [*AuthorSummarySerializer.Meta.fields, "bio_html", "links"]
        read_only_fields = fields

    @extend_schema_field(LinkSerializer)
    def get_links(self, author):
        return [{**link, "label": str(link["label"])} for link in author.links]
