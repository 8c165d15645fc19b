"""The moderators' endpoints: the comments they may moderate, their decisions and replies."""

from django.db.models import Count, Prefetch, Q
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from blog.models import Page, Post
from core.api.shaping import ShapedResponseMixin

from .. import services
from ..models import Comment, comment_pages
from ..permissions import can_moderate
from .moderation_bulk import ModerationBulkMixin
from .serializers import ModerationCommentSerializer, ModerationReplySerializer


class CanModerate(permissions.BasePermission):
    def has_permission(self, request, view):
        return can_moderate(request.user)


class ModerationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=Comment.Status.choices, help_text=_("Only comments in this status.")
    )
    post = filters.CharFilter(field_name="post__slug", help_text=_("Only comments on this post (its slug)."))
    page_slug = filters.CharFilter(
        field_name="page__slug", help_text=_("Only comments on this page (its slug).")
    )

    class Meta:
        model = Comment
        fields = ["status", "post", "page_slug"]


def with_open_reports(comments):
    """`open_reports`: readers' reports not yet resolved, counted in the same query."""
    return comments.annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))


def with_expansions(comments, expanded):
    """
    `comments` fetching what ?expand= embeds in a fixed number of queries: the post as the
    posts list gives it (one query, and one each for its categories and tags), the page
    (one), the comment answered, as its moderators see it (one).
    """
    related = [name for name in ("post", "page") if name not in expanded]
    comments = comments.select_related(*related)
    if "post" in expanded:
        posts = Post.objects.for_listing().with_comment_count()
        comments = comments.prefetch_related(Prefetch("post", posts))
    if "page" in expanded:
        comments = comments.prefetch_related(Prefetch("page", Page.objects.select_related("author")))
    if "parent" in expanded:
        parents = with_open_reports(Comment.objects.select_related("post", "page"))
        comments = comments.prefetch_related(Prefetch("parent", parents))
    return comments


MODERATION_ACTION_DOCS = {
    "approve": _("Approve: publish the comment."),
    "spam": _("Mark the comment as spam."),
    "trash": _("Move the comment to the trash."),
    "restore": _("Put the comment back in the moderation queue (pending)."),
}


def moderation_action_schema(name):
    return extend_schema(
        summary=MODERATION_ACTION_DOCS[name],
        tags=["moderation"],
        request=None,
        responses={200: ModerationCommentSerializer},
    )


@extend_schema_view(
    list=extend_schema(
        summary="The comments you may moderate (editors: all; authors: on their posts)", tags=["moderation"]
    ),
    retrieve=extend_schema(summary="A comment, for its moderators", tags=["moderation"]),
)
class ModerationCommentViewSet(ModerationBulkMixin, ShapedResponseMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ModerationCommentSerializer
    permission_classes = [permissions.IsAuthenticated, CanModerate]
    filterset_class = ModerationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    reads_need_permission = True

    def get_queryset(self):
        comments = with_open_reports(Comment.objects.moderatable_by(self.request.user))
        return with_expansions(comments, self.expanded).order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        # Each comment's `url` names its page of comments: found for the whole page at once
        # (with the comments they answer, when embedded: one query for all).
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        embedded = "parent" in self.expanded
        parents = [comment.parent for comment in page if comment.parent_id] if embedded else []
        comment_pages([*page, *parents])
        return page

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal data for moderators only: never kept by any cache.
        add_never_cache_headers(response)
        response["Cache-Control"] += ", private"
        return response

    def _moderate(self, action_name):
        comment = services.comment_moderate(
            comment=self.get_object(), action=action_name, by=self.request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)

    @moderation_action_schema("approve")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._moderate("approve")

    @moderation_action_schema("spam")
    @action(detail=True, methods=["post"])
    def spam(self, request, pk=None):
        return self._moderate("spam")

    @moderation_action_schema("trash")
    @action(detail=True, methods=["post"])
    def trash(self, request, pk=None):
        return self._moderate("trash")

    @moderation_action_schema("restore")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._moderate("restore")

    @extend_schema(
        summary="Reply as a moderator: published at once, threaded under it (approves a pending one)",
        tags=["moderation"],
        request=ModerationReplySerializer,
        responses={201: ModerationCommentSerializer},
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        serializer = ModerationReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reply = services.comment_reply(
            parent=self.get_object(), body=serializer.validated_data["body"], by=request.user
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=reply.pk)).data, status=status.HTTP_201_CREATED
        )
