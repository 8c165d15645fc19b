"""The blog's REST API: posts (read and write), categories, tags and pages.

Reads start from `Post.objects.published()` / `visible_to(user)`, so the API
shows exactly what the site shows. Writes follow the admin's role rules:
contributors write their own drafts, authors publish their own posts, editors
do anything to any post.
"""

from django import forms
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from authors.api import AuthorSummarySerializer
from authors.models import Author
from core.api import fields as api_fields
from core.api.caching import HttpCachingMixin
from core.api.fields import AbsoluteURLField, SlugRelatedField, absolute_uri
from core.api.filters import IsoDateTimeFilter

from .models import Category, Page, Post, Status, Tag, validate_not_reserved
from .search import search
from .selectors import readable_posts

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


def can_edit_others(user):
    return user.is_superuser or user.has_perm("blog.edit_others_posts")


def owns(user, post):
    return post.author.user_id == user.pk


# Taxonomies


class CategorySummarySerializer(serializers.ModelSerializer):
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


class TagSummarySerializer(serializers.ModelSerializer):
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


def published_post_count():
    now = timezone.now()
    return Count(
        "posts", filter=Q(posts__status=Status.PUBLISHED, posts__published_at__lte=now), distinct=True
    )


class CategoryFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__slug", help_text=_("The parent category’s slug."))

    class Meta:
        model = Category
        fields = ["parent"]


@extend_schema_view(
    list=extend_schema(summary="List categories", tags=["taxonomies"]),
    retrieve=extend_schema(summary="A category", tags=["taxonomies"]),
)
class CategoryViewSet(HttpCachingMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filterset_class = CategoryFilter
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return Category.objects.select_related("parent").annotate(post_count=published_post_count())


@extend_schema_view(
    list=extend_schema(summary="List tags", tags=["taxonomies"]),
    retrieve=extend_schema(summary="A tag", tags=["taxonomies"]),
)
class TagViewSet(HttpCachingMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = TagSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return Tag.objects.annotate(post_count=published_post_count())


# Posts

FeaturedImageSerializer = inline_serializer(
    name="FeaturedImage",
    fields={"url": serializers.URLField(), "alt": serializers.CharField()},
    allow_null=True,
)
AdjacentPostSerializer = inline_serializer(
    name="AdjacentPost",
    fields={"slug": serializers.CharField(), "title": serializers.CharField(), "url": serializers.URLField()},
    allow_null=True,
)


class PostListSerializer(serializers.ModelSerializer):
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
        src = post.featured_image_src
        if not src:
            return None
        return {"url": absolute_uri(self.context, src), "alt": post.featured_image_alt}


class PostDetailSerializer(PostListSerializer):
    canonical_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    toc = serializers.SerializerMethodField(help_text=_("The table of contents, as a tree."))
    previous = serializers.SerializerMethodField(help_text=_("The previous (older) published post."))
    next = serializers.SerializerMethodField(help_text=_("The next (newer) published post."))

    class Meta(PostListSerializer.Meta):
        fields = [
            *PostListSerializer.Meta.fields,
            "body_html", "toc", "word_count", "allow_comments",
            "seo_title", "meta_description", "canonical_url", "previous", "next",
        ]  # fmt: skip
        read_only_fields = fields

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
    """What an author sends. The answer is a `PostDetail`, with the rendered HTML and TOC."""

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
    tags = SlugRelatedField(slug_field="slug", queryset=Tag.objects.all(), many=True, required=False)

    class Meta:
        model = Post
        fields = [
            "title", "slug", "body", "excerpt", "status", "published_at", "author", "categories", "tags",
            "featured_image_url", "featured_image_alt", "allow_comments", "sticky",
            "seo_title", "meta_description", "canonical_url",
        ]  # fmt: skip
        extra_kwargs = {"title": {"required": True, "allow_blank": False}}

    def validate_published_at(self, value):
        # Older dates are no blog's, and render with odd historical UTC offsets.
        if value is not None and value.year < EARLIEST_YEAR:
            raise serializers.ValidationError(_("Give a date from %(year)s on.") % {"year": EARLIEST_YEAR})
        return value

    def validate(self, attrs):
        user = self.context["request"].user
        resulting_status = attrs.get("status", self.instance.status if self.instance else Status.DRAFT)
        if resulting_status == Status.PUBLISHED and not user.has_perm("blog.publish_post"):
            raise serializers.ValidationError(
                {"status": _("You may not publish posts: save it as a draft and ask an editor.")}
            )
        author = attrs.get("author")
        if author is not None and author.user_id != user.pk and not can_edit_others(user):
            raise serializers.ValidationError({"author": _("You may only write your own posts.")})
        if self.instance is None and author is None and not hasattr(user, "author"):
            raise serializers.ValidationError(
                {"author": _("Your account has no author profile; ask an editor to create one.")}
            )
        return attrs


class PostPermission(permissions.BasePermission):
    """The admin's role rules: the model permission, then ownership unless editing others' is allowed."""

    actions = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        action = self.actions.get(request.method)
        return bool(request.user.is_authenticated and action and request.user.has_perm(f"blog.{action}_post"))

    def has_object_permission(self, request, view, post):
        if request.method in permissions.SAFE_METHODS:
            return True
        user = request.user
        if post.status == Status.PUBLISHED and not user.has_perm("blog.publish_post"):
            return False  # a contributor's post, once an editor published it, is out of their hands
        return owns(user, post) or can_edit_others(user)


class PostStatusFilter:
    PUBLISHED = "published"
    SCHEDULED = "scheduled"
    DRAFT = "draft"
    ALL = "all"
    choices = [
        (PUBLISHED, _("Published and live (the default)")),
        (SCHEDULED, _("Published with a future date")),
        (DRAFT, _("Drafts")),
        (ALL, _("Everything you may see")),
    ]


class PostFilter(filters.FilterSet):
    author = filters.CharFilter(field_name="author__slug", help_text=_("An author’s slug."))
    category = filters.CharFilter(
        method="filter_category", help_text=_("A category’s slug; its subcategories are included.")
    )
    tag = filters.CharFilter(method="filter_tag", help_text=_("A tag’s slug."))
    search = filters.CharFilter(
        method="filter_search",
        help_text=_("Words to find; results are ranked (title, then excerpt, then body) unless ordered."),
    )
    published_after = IsoDateTimeFilter(
        field_name="published_at", lookup_expr="gte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    published_before = IsoDateTimeFilter(
        field_name="published_at", lookup_expr="lte", help_text=_("ISO 8601 date-time, inclusive.")
    )
    status = filters.ChoiceFilter(
        choices=PostStatusFilter.choices,
        method="filter_status",
        help_text=_("Drafts and scheduled posts are listed only to those allowed to see them."),
    )

    class Meta:
        model = Post
        fields = ["author", "category", "tag", "search", "published_after", "published_before", "status"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.published()
        return queryset

    def filter_category(self, queryset, name, value):
        category = Category.objects.filter(slug=value).first()
        if category is None:
            return queryset.none()
        # A subquery rather than a join: a join would repeat posts and inflate comment counts.
        in_categories = Post.categories.through.objects.filter(category_id__in=category.descendant_ids())
        return queryset.filter(pk__in=in_categories.values("post_id"))

    def filter_tag(self, queryset, name, value):
        return queryset.filter(pk__in=Post.tags.through.objects.filter(tag__slug=value).values("post_id"))

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == PostStatusFilter.PUBLISHED:
            return queryset.published()
        if value == PostStatusFilter.SCHEDULED:
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
        if value == PostStatusFilter.DRAFT:
            return queryset.filter(status=Status.DRAFT)
        return queryset


@extend_schema_view(
    list=extend_schema(summary="List posts", tags=["posts"]),
    retrieve=extend_schema(
        summary="A post, with its HTML, table of contents and neighbours",
        description="Drafts and scheduled posts answer 404 except to their author and to editors.",
        tags=["posts"],
    ),
    create=extend_schema(
        summary="Write a post",
        description="Contributors may only save drafts; authors may publish; the author is you "
        "unless you are an editor.",
        request=PostWriteSerializer,
        responses={201: PostDetailSerializer},
        tags=["posts"],
    ),
    update=extend_schema(
        summary="Replace a post",
        request=PostWriteSerializer,
        responses={200: PostDetailSerializer},
        tags=["posts"],
    ),
    partial_update=extend_schema(
        summary="Change a post",
        request=PostWriteSerializer,
        responses={200: PostDetailSerializer},
        tags=["posts"],
    ),
    destroy=extend_schema(summary="Delete a post", tags=["posts"]),
)
class PostViewSet(HttpCachingMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    # IsAuthenticatedOrReadOnly first: a 401 for anonymous writes, and the schema says reads are open.
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, PostPermission]
    filterset_class = PostFilter
    ordering_fields = ["published_at", "updated_at", "title", "comment_count"]
    ordering = ["-published_at"]
    # With ?search= and no ?ordering=, the search's ranking is the order.
    ordering_yields_to = "search"

    def get_queryset(self):
        posts = readable_posts(self.request.user).for_listing().with_comment_count()
        if self.action == "retrieve":
            posts = posts.with_neighbours()
        return posts.order_by("-published_at", "-pk")

    def get_serializer_class(self):
        if self.action == "list":
            return PostListSerializer
        if self.action == "retrieve":
            return PostDetailSerializer
        return PostWriteSerializer

    def filter_queryset(self, queryset):
        # Filters (and their "published" default) are for the list; a slug finds any visible post.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def perform_create(self, serializer):
        # Non-editors always write as themselves (validate() refuses anyone else).
        serializer.save(author=serializer.validated_data.get("author") or self.request.user.author)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self._detail(serializer.instance), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self._detail(serializer.instance))

    def _detail(self, post):
        post = self.get_queryset().get(pk=post.pk)
        return PostDetailSerializer(post, context=self.get_serializer_context()).data


# Pages


class PageListSerializer(serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")
    author = AuthorSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Page
        fields = [
            "id", "slug", "title", "status", "url", "published_at", "updated_at",
            "menu_order", "show_in_menu", "author",
        ]  # fmt: skip
        read_only_fields = fields


class PageDetailSerializer(PageListSerializer):
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


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is a 400 rather than silently ignored, as Django's field does."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise forms.ValidationError(_("Give true or false."), code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # A text input hands the raw value to the field (the default select maps unknowns to None).
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class PageFilter(filters.FilterSet):
    show_in_menu = StrictBooleanFilter(
        help_text=_("Only the pages shown (true) or not shown (false) in menus.")
    )

    class Meta:
        model = Page
        fields = ["show_in_menu"]


@extend_schema_view(
    list=extend_schema(summary="List pages", tags=["pages"]),
    retrieve=extend_schema(summary="A page", tags=["pages"]),
)
class PageViewSet(HttpCachingMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    filterset_class = PageFilter
    ordering_fields = ["menu_order", "title", "published_at"]
    ordering = ["menu_order", "title"]

    def get_queryset(self):
        # As on the site: drafts only for those who may change pages.
        user = self.request.user
        pages = Page.objects.all() if user.has_perm("blog.change_page") else Page.objects.published()
        return pages.select_related("author")

    def get_serializer_class(self):
        return PageDetailSerializer if self.action == "retrieve" else PageListSerializer
