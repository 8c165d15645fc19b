"""The blog's API endpoints: posts (read and write), authors, categories, tags and pages."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from authors.models import Author
from core.api.caching import HttpCachingMixin
from core.api.shaping import ShapedResponseMixin
from core.surrogate import SurrogateKeysMixin

from ..models import LISTING_FIELDS, Category, Page, Post, Tag, taxonomy_prefetches
from ..permissions import can_edit
from ..selectors import readable_pages, readable_posts, with_published_post_counts
from ..services import (
    post_create,
    post_delete,
    post_send_back,
    post_submit,
    post_update,
    revision_restore,
    tags_for_names,
)
from .detail import PublishedDetailMixin
from .filters import CategoryFilter, PageFilter, PostFilter
from .permissions import PostPolicy
from .preconditions import ConditionalWrites, etag, expected_version, if_match
from .previews import PREVIEW_PARAMETERS, PreviewTokenMixin
from .serializers import (
    AuthorSerializer,
    CategorySerializer,
    PageDetailSerializer,
    PageListSerializer,
    PostDetailSerializer,
    PostListSerializer,
    PostWriteSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    SendBackSerializer,
    TagSerializer,
)
from .writes import CategoryWriteSerializer, PageWrites, PageWriteSerializer, TagWriteSerializer, TermWrites


def revision_action(method, url_path=None):
    # Open to all at the door: the view answers 404 to whoever may not edit the post.
    return action(detail=True, methods=[method], url_path=url_path, permission_classes=[permissions.AllowAny])


NOT_YOURS = "Answers 404 to anyone who may not edit the post, as if it had no revisions."
CONDITIONAL = (
    "Requires If-Match with the post's ETag (from GET or the last write): 428 without it, "
    "412 when someone saved the post since. The answer's ETag is the new version."
)
HONOURS_IF_MATCH = " With If-Match (the post's ETag), a 412 when someone saved the post since."
REQUIRED_PARAMETERS, REQUIRED_RESPONSES = if_match(required=True)
OPTIONAL_PARAMETERS, OPTIONAL_RESPONSES = if_match(required=False)


# What an embedded author (?expand=author) shows beyond a listing's byline.
AUTHOR_PROFILE_FIELDS = (
    "author__bio_html", "author__website", "author__twitter_url", "author__linkedin_url",
    "author__mastodon_url", "author__github_url",
)  # fmt: skip


def with_expansions(posts, expanded, *, listing):
    """`posts` fetching what ?expand= embeds, in the same number of queries as without."""
    if "author" in expanded and listing:
        posts = posts.only(*LISTING_FIELDS, *AUTHOR_PROFILE_FIELDS)
    if expanded & {"categories", "tags"}:
        categories, tags = taxonomy_prefetches()
        if "categories" in expanded:
            counted = with_published_post_counts(Category.objects.select_related("parent"), "categories")
            categories = Prefetch("categories", counted)
        if "tags" in expanded:
            tags = Prefetch("tags", with_published_post_counts(Tag.objects.all(), "tags"))
        posts = posts.prefetch_related(None).prefetch_related(categories, tags)
    return posts


class ReadBySlug(ShapedResponseMixin, HttpCachingMixin, SurrogateKeysMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only and cached, addressed by slug (any character but "/": slugs may be Unicode)."""

    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


class WriteBySlug(ShapedResponseMixin, HttpCachingMixin, SurrogateKeysMixin, viewsets.ModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"


def write_schema(noun, write_serializer, read_serializer, tag, who="Editors", conditional=False):
    # A conditional object (a page: blog.versions) takes If-Match on PATCH, as posts do.
    parameters, responses = (REQUIRED_PARAMETERS, REQUIRED_RESPONSES) if conditional else ([], {})
    return {
        "create": extend_schema(
            summary=f"Add a {noun}",
            description=f"{who} only.",
            request=write_serializer,
            responses={201: read_serializer},
            tags=[tag],
        ),
        "partial_update": extend_schema(
            summary=f"Change a {noun}",
            description=f"{who} only." + (f" {CONDITIONAL}" if conditional else ""),
            parameters=parameters,
            request=write_serializer,
            responses={200: read_serializer, **responses},
            tags=[tag],
        ),
        "destroy": extend_schema(summary=f"Delete a {noun}", description=f"{who} only.", tags=[tag]),
    }


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
    **write_schema("category", CategoryWriteSerializer, CategorySerializer, "taxonomies"),
)
class CategoryViewSet(TermWrites, WriteBySlug):
    list_key = "category-list"
    term_model = Category
    serializer_class = CategorySerializer
    write_serializer_class = CategoryWriteSerializer
    filterset_class = CategoryFilter
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return with_published_post_counts(Category.objects.select_related("parent"), "categories")


@extend_schema_view(
    list=extend_schema(summary="List tags", tags=["taxonomies"]),
    retrieve=extend_schema(summary="A tag", tags=["taxonomies"]),
    **write_schema("tag", TagWriteSerializer, TagSerializer, "taxonomies"),
)
class TagViewSet(TermWrites, WriteBySlug):
    list_key = "tag-list"
    term_model = Tag
    serializer_class = TagSerializer
    write_serializer_class = TagWriteSerializer
    ordering_fields = ["name", "post_count"]
    ordering = ["name"]

    def get_queryset(self):
        return with_published_post_counts(Tag.objects.all(), "tags")


@extend_schema_view(
    list=extend_schema(summary="List posts", tags=["posts"]),
    retrieve=extend_schema(
        summary="A post, with its HTML, table of contents and neighbours",
        description="Drafts and scheduled posts answer 404 except to their author and to editors, "
        "and to whoever has a preview link's token (`?preview=` or `X-Plume-Preview`). The table "
        "of contents carries the headings' stable ids: a renamed heading keeps its first id.",
        parameters=PREVIEW_PARAMETERS,
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
        description=CONDITIONAL,
        parameters=REQUIRED_PARAMETERS,
        request=PostWriteSerializer,
        responses={200: PostDetailSerializer, **REQUIRED_RESPONSES},
        tags=["posts"],
    ),
    partial_update=extend_schema(
        summary="Change a post",
        description=CONDITIONAL,
        parameters=REQUIRED_PARAMETERS,
        request=PostWriteSerializer,
        responses={200: PostDetailSerializer, **REQUIRED_RESPONSES},
        tags=["posts"],
    ),
    destroy=extend_schema(summary="Delete a post", tags=["posts"]),
)
class PostViewSet(
    ConditionalWrites,
    PreviewTokenMixin,
    ShapedResponseMixin,
    HttpCachingMixin,
    SurrogateKeysMixin,
    PublishedDetailMixin,
    viewsets.ModelViewSet,
):
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
        posts = with_expansions(posts, self.expanded, listing=self.action == "list")
        return posts.with_comment_count().order_by("-published_at", "-pk")

    def preview_queryset(self):
        return Post.objects.for_detail().with_comment_count()

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

    def _with_tags(self, data):
        # Tags named that do not exist yet are made, for writers who may add tags.
        if data.get("tags") is not None:
            data = {**data, "tags": tags_for_names(names=data["tags"], by=self.request.user)}
        return data

    @transaction.atomic
    def perform_create(self, serializer):
        serializer.instance = post_create(by=self.request.user, **self._with_tags(serializer.validated_data))

    @transaction.atomic
    def perform_update(self, serializer):
        serializer.instance = post_update(
            post=serializer.instance,
            by=self.request.user,
            expected_version=self._expected,
            **self._with_tags(serializer.validated_data),
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
        post = self.get_object()
        # Before the body is judged: a stale copy is refused whatever it holds.
        self._expected = expected_version(request, post, required=True)
        serializer = self.get_serializer(post, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self._conditionally(self.perform_update, serializer)
        return self._written(serializer.instance)

    def _written(self, post):
        response = Response(self._detail(post))
        response["ETag"] = etag(post)
        return response

    def _detail(self, post):
        post = self.get_queryset().get(pk=post.pk)
        return PostDetailSerializer(post, context=self.get_serializer_context()).data

    # Review: the same transitions and rules as the admin (blog.permissions).

    @extend_schema(
        summary="Submit a draft for review",
        description="Contributors submit their drafts (they may not publish); authors may, too. "
        'Editors are told by e-mail. The same as writing status "pending".' + HONOURS_IF_MATCH,
        parameters=OPTIONAL_PARAMETERS,
        request=None,
        responses={200: PostDetailSerializer, **OPTIONAL_RESPONSES},
        tags=["review"],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, slug=None):
        post = self.get_object()
        expected = expected_version(request, post, required=False)
        submitted = self._conditionally(post_submit, post=post, by=request.user, expected_version=expected)
        return self._written(submitted)

    @extend_schema(
        summary="Send a post awaiting review back to its author",
        description="For editors (and an author for their own post): back to draft, with a note "
        "its author sees (review_note). To publish or schedule it instead, write its status and date."
        + HONOURS_IF_MATCH,
        parameters=OPTIONAL_PARAMETERS,
        request=SendBackSerializer,
        responses={200: PostDetailSerializer, **OPTIONAL_RESPONSES},
        tags=["review"],
    )
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, slug=None):
        post = self.get_object()
        expected = expected_version(request, post, required=False)
        serializer = SendBackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = self._conditionally(
            post_send_back,
            post=post,
            by=request.user,
            note=serializer.validated_data["note"],
            expected_version=expected,
        )
        return self._written(post)

    # Revisions: a 404 for whoever may not edit the post, so they do not learn it has any.

    def _editable_post(self, slug):
        post = get_object_or_404(readable_posts(self.request.user).select_related("author"), slug=slug)
        if not self.request.user.is_authenticated or not can_edit(self.request.user, post):
            raise exceptions.NotFound()
        return post

    @extend_schema(
        operation_id="posts_revisions_list",
        summary="A post's revisions, newest first",
        description=NOT_YOURS,
        tags=["revisions"],
    )
    @revision_action("get")
    def revisions(self, request, slug=None):
        post = self._editable_post(slug)
        page = self.paginate_queryset(post.revisions.select_related("user").defer("data"))
        return self.get_paginated_response(RevisionSerializer(page, many=True).data)

    @extend_schema(
        operation_id="posts_revision_retrieve",
        summary="One revision of a post, with everything it saved",
        description=NOT_YOURS,
        responses=RevisionDetailSerializer,
        tags=["revisions"],
    )
    @revision_action("get", r"revisions/(?P<revision_id>[0-9]+)")
    def revision(self, request, slug=None, revision_id=None):
        post = self._editable_post(slug)
        revision = get_object_or_404(post.revisions.select_related("user"), pk=revision_id)
        return Response(RevisionDetailSerializer(revision).data)

    @extend_schema(
        summary="Restore a revision",
        description="Brings the post back to the revision's content (not its status or date), "
        "through the same rules as a change; the restore is itself a new revision. "
        + NOT_YOURS
        + HONOURS_IF_MATCH,
        parameters=OPTIONAL_PARAMETERS,
        request=None,
        responses={200: PostDetailSerializer, **OPTIONAL_RESPONSES},
        tags=["revisions"],
    )
    @revision_action("post", r"revisions/(?P<revision_id>[0-9]+)/restore")
    def restore(self, request, slug=None, revision_id=None):
        post = self._editable_post(slug)
        revision = get_object_or_404(post.revisions, pk=revision_id)
        expected = expected_version(request, post, required=False)
        try:
            restored = self._conditionally(
                revision_restore, revision=revision, by=request.user, expected_version=expected
            )
        except PermissionDenied:
            raise exceptions.NotFound() from None
        return self._written(restored)


@extend_schema_view(
    list=extend_schema(summary="List pages", tags=["pages"]),
    retrieve=extend_schema(
        summary="A page",
        description="Unpublished pages answer 404 except to those who may change pages, and to "
        "whoever has a preview link's token (`?preview=` or `X-Plume-Preview`).",
        parameters=PREVIEW_PARAMETERS,
        tags=["pages"],
    ),
    **write_schema(
        "page",
        PageWriteSerializer,
        PageDetailSerializer,
        "pages",
        who="Editors (who may change pages)",
        conditional=True,
    ),
)
class PageViewSet(PageWrites, PreviewTokenMixin, WriteBySlug):
    list_key = "page-list"
    preview_kind = "page"

    def preview_queryset(self):
        return Page.objects.select_related("author")

    filterset_class = PageFilter
    ordering_fields = ["menu_order", "title", "published_at"]
    ordering = ["menu_order", "title"]

    def get_queryset(self):
        return readable_pages(self.request.user).select_related("author")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update"):
            return PageWriteSerializer
        return PageDetailSerializer if self.action == "retrieve" else PageListSerializer
