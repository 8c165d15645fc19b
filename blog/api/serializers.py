"""What the blog's API reads and writes: posts, pages, categories and tags as JSON."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from authors.api import AuthorProfileSerializer, AuthorSummarySerializer
from authors.models import Author
from core.api import fields as api_fields
from core.api.fields import AbsoluteURLField, SlugRelatedField, absolute_uri
from core.api.images import RenditionSerializer, renditions
from core.api.prototypes import PrototypeFieldsMixin
from core.api.shaping import ExpandableSerializerMixin

from ..media import with_renditions
from ..models import Category, Media, Page, Post, Revision, Tag, validate_not_reserved
from ..revisions import summarize

# The stored table of contents: a tree of {id, title, level, children}.
TOC_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "level": {"type": "integer"},
            "children": {"type": "array", "items": {"type": "object"}},
        },
    },
}


EARLIEST_YEAR = 1970


# Authors


class AuthorSerializer(AuthorProfileSerializer):
    post_count = serializers.IntegerField(read_only=True, help_text=_("Published posts."))

    class Meta(AuthorProfileSerializer.Meta):
        fields = [*AuthorProfileSerializer.Meta.fields, "post_count"]
        read_only_fields = fields


# Taxonomies


class CategorySummarySerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "url"]
        read_only_fields = fields


class CategorySerializer(CategorySummarySerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text=_("The parent’s slug.")
    )
    post_count = serializers.IntegerField(read_only=True, help_text=_("Published posts in this category."))

    class Meta(CategorySummarySerializer.Meta):
        fields = [*CategorySummarySerializer.Meta.fields, "description", "parent", "post_count"]
        read_only_fields = fields


class TagSummarySerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Tag
        fields = ["id", "slug", "name", "url"]
        read_only_fields = fields


class TagSerializer(TagSummarySerializer):
    post_count = serializers.IntegerField(read_only=True, help_text=_("Published posts with this tag."))

    class Meta(TagSummarySerializer.Meta):
        fields = [*TagSummarySerializer.Meta.fields, "post_count"]
        read_only_fields = fields


# Posts

FeaturedImageSerializer = inline_serializer(
    name="FeaturedImage",
    fields={
        "url": serializers.URLField(),
        "alt": serializers.CharField(),
        "media": serializers.IntegerField(
            allow_null=True, help_text=_("The media library's id, if from it.")
        ),
        "width": serializers.IntegerField(allow_null=True),
        "height": serializers.IntegerField(allow_null=True),
        "renditions": RenditionSerializer,
    },
    allow_null=True,
)
AdjacentPostSerializer = inline_serializer(
    name="AdjacentPost",
    fields={"slug": serializers.CharField(), "title": serializers.CharField(), "url": serializers.URLField()},
    allow_null=True,
)


class PostListSerializer(PrototypeFieldsMixin, ExpandableSerializerMixin, serializers.ModelSerializer):
    # ?expand=: the author's profile (biography, links), and categories and tags as their endpoints
    # give them (description, parent, post counts), instead of the summaries.
    expandable_fields = {
        "author": lambda: AuthorProfileSerializer(read_only=True),
        "categories": lambda: CategorySerializer(many=True, read_only=True),
        "tags": lambda: TagSerializer(many=True, read_only=True),
    }
    excerpt = serializers.CharField(source="summary", read_only=True)
    url = AbsoluteURLField(source="get_absolute_url")
    author = AuthorSummarySerializer(read_only=True)
    categories = CategorySummarySerializer(many=True, read_only=True)
    tags = TagSummarySerializer(many=True, read_only=True)
    featured_image = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True, help_text=_("Approved comments."))

    class Meta:
        model = Post
        fields = [
            "id", "slug", "title", "status", "excerpt", "url", "published_at", "updated_at",
            "reading_time", "sticky", "author", "categories", "tags", "featured_image", "comment_count",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(FeaturedImageSerializer)
    def get_featured_image(self, post):
        image = post.featured_image_info
        if not image:
            return None
        return {
            "url": absolute_uri(self.context, image["src"]),
            "alt": image["alt"],
            "media": post.featured_media_id,
            "width": image["width"],
            "height": image["height"],
            "renditions": renditions(self.context, image["sizes"]),
        }


@extend_schema_field(OpenApiTypes.STR)
class BodyWithRenditions(serializers.ReadOnlyField):
    """The rendered body, its images of the media library with srcset and sizes (blog.media)."""

    def to_representation(self, value):
        return str(with_renditions(value))


class PostDetailSerializer(PostListSerializer):
    body_html = BodyWithRenditions(help_text=_("The body as sanitized HTML."))
    canonical_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    toc = serializers.SerializerMethodField(help_text=_("The table of contents, as a tree."))
    previous = serializers.SerializerMethodField(help_text=_("The previous (older) published post."))
    next = serializers.SerializerMethodField(help_text=_("The next (newer) published post."))

    class Meta(PostListSerializer.Meta):
        fields = [
            *PostListSerializer.Meta.fields,
            "body_html", "toc", "word_count", "allow_comments",
            "seo_title", "meta_description", "canonical_url", "previous", "next", "review_note",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"review_note": {"help_text": _("Why an editor sent the post back (drafts only).")}}

    @extend_schema_field(TOC_SCHEMA)
    def get_toc(self, post):
        return post.toc

    @extend_schema_field(AdjacentPostSerializer)
    def get_previous(self, post):
        return self._adjacent(post.get_previous_published())

    @extend_schema_field(AdjacentPostSerializer)
    def get_next(self, post):
        return self._adjacent(post.get_next_published())

    def _adjacent(self, post):
        if post is None:
            return None
        return {
            "slug": post.slug,
            "title": post.title,
            "url": absolute_uri(self.context, post.get_absolute_url()),
        }


class PostWriteSerializer(serializers.ModelSerializer):
    """
    What an author sends: its shape is checked here, who may do what by the post
    services (blog.services). The answer is a `PostDetail`, with the rendered HTML and TOC.
    """

    serializer_field_mapping = api_fields.STRICT_FIELD_MAPPING

    slug = api_fields.SlugField(
        allow_unicode=True,
        max_length=200,
        required=False,
        allow_blank=True,
        validators=[validate_not_reserved, UniqueValidator(queryset=Post.objects.all())],
        help_text=_("Made from the title when left blank."),
    )
    author = SlugRelatedField(
        slug_field="slug",
        queryset=Author.objects.all(),
        required=False,
        help_text=_("Editors only: whose post this is. Others always write as themselves."),
    )
    categories = SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), many=True, required=False
    )
    tags = serializers.ListField(
        child=api_fields.CharField(max_length=100),
        required=False,
        help_text=_(
            "Tags by slug or name; a name not yet used makes a new tag (for those who may add tags)."
        ),
    )
    featured_media = serializers.PrimaryKeyRelatedField(
        queryset=Media.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("An image of the media library (its id) as the featured image."),
    )

    class Meta:
        model = Post
        fields = [
            "title", "slug", "body", "excerpt", "status", "published_at", "author", "categories", "tags",
            "featured_media", "featured_image_url", "featured_image_alt", "allow_comments", "sticky",
            "seo_title", "meta_description", "canonical_url",
        ]  # fmt: skip
        extra_kwargs = {"title": {"required": True, "allow_blank": False}}

    def validate_published_at(self, value):
        # Older dates are no blog's, and render with odd historical UTC offsets.
        if value is not None and value.year < EARLIEST_YEAR:
            raise serializers.ValidationError(_("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})
        return value


# Pages


class PageListSerializer(PrototypeFieldsMixin, ExpandableSerializerMixin, serializers.ModelSerializer):
    expandable_fields = {"author": lambda: AuthorProfileSerializer(read_only=True, allow_null=True)}
    url = AbsoluteURLField(source="get_absolute_url")
    author = AuthorSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Page
        fields = [
            "id", "slug", "title", "status", "url", "published_at", "updated_at",
            "menu_order", "show_in_menu", "allow_comments", "author",
        ]  # fmt: skip
        read_only_fields = fields


class PageDetailSerializer(PageListSerializer):
    body_html = BodyWithRenditions(help_text=_("The body as sanitized HTML."))
    canonical_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    toc = serializers.SerializerMethodField(help_text=_("The table of contents, as a tree."))

    class Meta(PageListSerializer.Meta):
        fields = [
            *PageListSerializer.Meta.fields,
            "body_html", "toc", "reading_time", "seo_title", "meta_description", "canonical_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(TOC_SCHEMA)
    def get_toc(self, page):
        return page.toc


# Revisions (for those who may edit the post)


class RevisionSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField(help_text=_("Who saved it (their user name), or null."))
    summary = serializers.SerializerMethodField(
        help_text=_("What changed since the revision before, in one line.")
    )

    class Meta:
        model = Revision
        fields = ["id", "created_at", "user", "status", "summary"]
        read_only_fields = fields

    def get_user(self, revision) -> str | None:
        return revision.user.get_username() if revision.user_id else None

    def get_summary(self, revision) -> str:
        return summarize(revision)


class RevisionDetailSerializer(RevisionSerializer):
    data = serializers.JSONField(
        read_only=True,
        help_text=_(
            "The post as saved: title, slug, excerpt, body, status, published_at, author, categories, "
            "tags, SEO fields, featured image."
        ),
    )

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "data"]
        read_only_fields = fields


class SendBackSerializer(serializers.Serializer):
    note = serializers.CharField(help_text=_("What the author should change; shown to them on the post."))
