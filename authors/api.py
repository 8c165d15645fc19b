from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets

from core.api.caching import HttpCachingMixin
from core.api.fields import AbsoluteURLField

from .models import Author

LinkSerializer = inline_serializer(
    name="AuthorLink",
    fields={"kind": serializers.CharField(), "label": serializers.CharField(), "url": serializers.URLField()},
    many=True,
)


class AuthorSummarySerializer(serializers.ModelSerializer):
    """The author as shown on a post: enough for a byline."""

    name = serializers.CharField(source="display_name", read_only=True)
    avatar_url = AbsoluteURLField(allow_null=True, help_text=_("null without an avatar."))
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Author
        fields = ["slug", "name", "role_title", "avatar_url", "url"]
        read_only_fields = fields


class AuthorSerializer(AuthorSummarySerializer):
    links = serializers.SerializerMethodField()
    post_count = serializers.IntegerField(read_only=True, help_text=_("Published posts."))

    class Meta(AuthorSummarySerializer.Meta):
        fields = [*AuthorSummarySerializer.Meta.fields, "bio_html", "links", "post_count"]
        read_only_fields = fields

    @extend_schema_field(LinkSerializer)
    def get_links(self, author):
        return [{**link, "label": str(link["label"])} for link in author.links]


@extend_schema_view(
    list=extend_schema(summary="List authors", tags=["authors"]),
    retrieve=extend_schema(summary="An author, with biography, links and post count", tags=["authors"]),
)
class AuthorViewSet(HttpCachingMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AuthorSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["display_name", "post_count"]
    ordering = ["display_name"]

    def get_queryset(self):
        return Author.objects.with_published_post_counts().order_by("display_name", "pk")
