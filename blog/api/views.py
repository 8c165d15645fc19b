"""The blog's API endpoints: posts (read and write), authors, categories, tags and pages."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from authors.models import Author
from core.api.caching import HttpCachingMixin
from core.surrogate import SurrogateKeysMixin

from ..models import Category, Tag
from ..selectors import readable_pages, readable_posts, with_published_post_counts
from ..services import post_create, post_delete, post_update
from .filters import CategoryFilter, PageFilter, PostFilter
from .permissions import PostPolicy
from .serializers import (
    AuthorSerializer,
    CategorySerializer,
    PageDetailSerializer,
    PageListSerializer,
    PostDetailSerializer,
    PostListSerializer,
    PostWriteSerializer,
    TagSerializer,
)


class ReadBySlug(HttpCachingMixin, SurrogateKeysMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only and cached, addressed by slug (any character but "/": slugs may be Unicode)."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


@extend_schema_view(
    list=extend_schema(summary="List authors", tags=["authors"]),
    retrieve=extend_schema(summary="An author, with biography, links and post count", tags=["authors"]),
)
class AuthorViewSet(ReadBySlug):
    """Here rather than in authors: an author's published posts are the blog's to count."""

    list_key = "author-list"

    serializer_class = AuthorSerializer
    ordering_fields = ["display_name", "post_count"]
    ordering = ["display_name"]

    def get_queryset(self):
        return with_published_post_counts(Author.objects.all(), "author").order_by("display_name", "pk")


@extend_schema_view(
    list=extend_schema(summary="List categories", tags=["taxonomies"]),
    retrieve=extend_schema(summary="A category", tags=["taxonomies"]),
)
class CategoryViewSet(ReadBySlug):
    list_key = "category-list"
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return with_published_post_counts(Category.objects.select_related("parent"), "categories")


@extend_schema_view(
    list=extend_schema(summary="List tags", tags=["taxonomies"]),
    retrieve=extend_schema(summary="A tag", tags=["taxonomies"]),
)
class TagViewSet(ReadBySlug):
    list_key = "tag-list"
    serializer_class = TagSerializer
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return with_published_post_counts(Tag.objects.all(), "tags")


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
class PostViewSet(HttpCachingMixin, SurrogateKeysMixin, viewsets.ModelViewSet):
    list_key = "post-list"
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    # IsAuthenticatedOrReadOnly first: a 401 for anonymous writes, and the schema says reads are open.
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, PostPolicy]
    filterset_class = PostFilter
    ordering_fields = ["published_at", "updated_at", "title", "comment_count"]
    ordering = ["-published_at"]
    # With ?search= and no ?ordering=, the search's ranking is the order.
    ordering_yields_to = "search"

    def get_queryset(self):
        posts = readable_posts(self.request.user)
        # The list shows a summary of each post; the detail (and a write's answer) the whole post.
        posts = posts.for_listing() if self.action == "list" else posts.for_detail()
        return posts.with_comment_count().order_by("-published_at", "-pk")

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
        serializer.instance = post_create(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = post_update(
            post=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        post_delete(post=instance, by=self.request.user)

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


@extend_schema_view(
    list=extend_schema(summary="List pages", tags=["pages"]),
    retrieve=extend_schema(summary="A page", tags=["pages"]),
)
class PageViewSet(ReadBySlug):
    list_key = "page-list"
    filterset_class = PageFilter
    ordering_fields = ["menu_order", "title", "published_at"]
    ordering = ["menu_order", "title"]

    def get_queryset(self):
        return readable_pages(self.request.user).select_related("author")

    def get_serializer_class(self):
        return PageDetailSerializer if self.action == "retrieve" else PageListSerializer
