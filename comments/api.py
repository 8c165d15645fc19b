"""The comments API: a post's public thread, commenting from any origin, and moderation.

Everything that decides goes through `comments.services` (the same pipeline as
the HTML form): these views only translate HTTP to service calls and back.
"""

import copy

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from blog.models import Post
from blog.selectors import readable_posts
from core.api import fields as api_fields
from core.api import throttling as api_throttling
from core.api.caching import HttpCachingMixin
from core.api.fields import AbsoluteURLField, absolute_uri
from core.api.schema import ErrorSerializer, error_response
from core.errors import error_body

from . import services
from .exceptions import CommentFlood, CommentsClosed, CommentTokenRefused
from .models import Comment
from .moderation import can_moderate, comments_open
from .threads import flatten

# Public -----------------------------------------------------------------------


class PublicCommentSerializer(serializers.ModelSerializer):
    """An approved comment as anyone may see it: never the e-mail address or the IP."""

    author_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))

    class Meta:
        model = Comment
        fields = ["id", "parent", "author_name", "author_url", "body_html", "created_at", "replies"]
        read_only_fields = fields


# Declared after the class so the field can nest the serializer itself (drf-spectacular's recipe).
PublicCommentSerializer._declared_fields["replies"] = PublicCommentSerializer(
    source="children", many=True, read_only=True
)


class CommentThreadSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Approved comments in the whole thread."))
    comments_open = serializers.BooleanField(help_text=_("Whether the post takes new comments."))
    results = PublicCommentSerializer(many=True, help_text=_("The top-level comments, replies nested."))


class CommentSubmitSerializer(serializers.Serializer):
    """
    What a client sends: types and lengths are checked here (and documented);
    the moderation service then validates and decides, as it does for the HTML form.
    """

    author_name = api_fields.CharField(max_length=100, help_text=_("Not needed when authenticated."))
    author_email = api_fields.EmailField(
        max_length=254, help_text=_("Not needed when authenticated; never published.")
    )
    author_url = api_fields.CharField(max_length=500, required=False, allow_blank=True)
    body = api_fields.CharField(
        max_length=10000, help_text=_("Plain text; paragraphs, emphasis, links and inline code.")
    )
    parent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text=_("The id of the comment replied to.")
    )
    timestamp = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged.")
    )
    security_hash = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged.")
    )
    honeypot = api_fields.CharField(
        required=False, allow_blank=True, help_text=_("From the token, unchanged (empty).")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # The account gives the name and e-mail (see services.account_identity).
            for name in ("author_name", "author_email"):
                self.fields[name].required = False
                self.fields[name].allow_blank = True


CommentCreatedSerializer = inline_serializer(
    name="CommentCreated",
    fields={
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(
            choices=[Comment.Status.APPROVED, Comment.Status.PENDING],
            help_text=_("approved: published now; pending: a moderator will decide."),
        ),
        "message": serializers.CharField(help_text=_("A message to show the reader, in their language.")),
    },
)
CommentTokenSerializer = inline_serializer(
    name="CommentToken",
    fields={
        "timestamp": serializers.CharField(),
        "security_hash": serializers.CharField(),
        "honeypot": serializers.CharField(allow_blank=True),
    },
)
CommentTokenErrorSerializer = inline_serializer(
    name="CommentTokenError",
    fields={
        **copy.deepcopy(ErrorSerializer._declared_fields),
        "token": inline_serializer(
            name="CommentTokenFresh",
            fields=copy.deepcopy(CommentTokenSerializer._declared_fields),
            required=False,
            help_text=_(
                "When the token was expired or already used: a fresh one, to send the comment again."
            ),
        ),
    },
)


class CommentCreationThrottle(api_throttling.ScopedRateThrottle):
    """Comment submissions per client IP (scope "comments"); reading a thread is not counted."""

    scope = "comments"

    def allow_request(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().allow_request(request, view)


def public_post(request, slug):
    """The post a thread belongs to: 404 unless `request.user` may see it."""
    return get_object_or_404(readable_posts(request.user).select_related("author"), slug=slug)


@extend_schema_view(
    get=extend_schema(
        summary="A post’s approved comments, as a tree",
        tags=["comments"],
        responses={200: CommentThreadSerializer},
    ),
    post=extend_schema(
        summary="Leave a comment",
        description=(
            "First GET the token endpoint and send its fields back unchanged with the comment (a token "
            "serves once, for at most two hours): the same "
            "moderation as the site's form applies (honeypot, signed timing, flood, word lists, links). "
            "Spam is kept for the moderators but reported to the writer as pending."
        ),
        tags=["comments"],
        request=CommentSubmitSerializer,
        responses={
            201: CommentCreatedSerializer,
            400: OpenApiResponse(
                CommentTokenErrorSerializer,
                description=_(
                    "Invalid input (see `errors`), or a token that is expired (code comment_token_expired) "
                    "or already used (comment_token_used): `token` then holds a fresh one."
                ),
            ),
            403: error_response("403", _("Comments are closed on this post (code comments_closed).")),
            429: error_response(
                "429",
                _("Too many comments from this address: retry after the seconds in Retry-After."),
            ),
        },
    ),
)
class PostCommentsView(HttpCachingMixin, generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [
        api_throttling.AnonRateThrottle,
        api_throttling.UserRateThrottle,
        CommentCreationThrottle,
    ]
    serializer_class = CommentSubmitSerializer
    pagination_class = None
    filter_backends = []

    def get(self, request, slug):
        post = public_post(request, slug)
        roots = Comment.objects.approved().filter(post=post).tree()
        thread = {
            "count": sum(1 for _ in flatten(roots)),
            "comments_open": comments_open(post),
            "results": roots,
        }
        return Response(CommentThreadSerializer(thread, context=self.get_serializer_context()).data)

    def post(self, request, slug):
        post = public_post(request, slug)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            comment = services.comment_submit(
                post=post,
                data=serializer.validated_data,
                request_meta=services.RequestMeta.from_request(request),
                user=request.user,
            )
        except CommentsClosed as closed:
            raise CommentsClosedError(closed.message) from closed
        except CommentFlood as flood:
            raise CommentFloodError(flood.message, wait=flood.retry_after) from flood
        except CommentTokenRefused as refused:
            return token_refused_response(refused, post)
        if comment.status == Comment.Status.APPROVED:
            answer = {"status": comment.status, "message": _("Thank you: your comment is published.")}
        else:
            # Spam is stored for the moderators but, as on the site, shown to its writer as pending.
            answer = {
                "status": Comment.Status.PENDING,
                "message": _("Thank you: your comment is awaiting moderation."),
            }
        return Response({"id": comment.pk, **answer}, status=status.HTTP_201_CREATED)


def token_refused_response(refused, post):
    """400 in the one error shape, plus a fresh `token` to send the same comment again with."""
    message = str(refused.message)
    body = error_body(status_code=400, code=refused.code, detail=message, errors={"security_hash": [message]})
    response = Response({**body, "token": services.comment_form_token(post=post)}, status=400)
    add_never_cache_headers(response)
    return response


class CommentsClosedError(exceptions.PermissionDenied):
    default_code = "comments_closed"

    def __init__(self, detail):
        super().__init__(detail, code="comments_closed")


class CommentFloodError(exceptions.APIException):
    """429 with Retry-After (DRF's handler sets it from `wait`), and the service's own message."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "comment_flood"

    def __init__(self, detail, wait):
        super().__init__(detail, code="comment_flood")
        self.wait = wait


@extend_schema(
    summary="A signed token to send back with a comment",
    description="Fetch it when the comment form is shown: a comment sent too soon after is taken for spam.",
    tags=["comments"],
    responses={
        200: CommentTokenSerializer,
        403: error_response("403", _("Comments are closed on this post (code comments_closed).")),
    },
)
class PostCommentTokenView(generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    pagination_class = None
    filter_backends = []
    reads_need_permission = True  # 403 when comments are closed

    def get(self, request, slug):
        post = public_post(request, slug)
        if not comments_open(post):
            raise CommentsClosedError(_("Comments are closed for this post."))
        response = Response(services.comment_form_token(post=post))
        # A cached token would let a robot skip the wait the signed timestamp enforces.
        add_never_cache_headers(response)
        return response


# Moderation -------------------------------------------------------------------


class ModeratedPostSerializer(serializers.ModelSerializer):
    url = AbsoluteURLField(source="get_absolute_url")

    class Meta:
        model = Post
        fields = ["id", "slug", "title", "url"]
        read_only_fields = fields


class ModerationCommentSerializer(serializers.ModelSerializer):
    """A comment as its moderators see it: with the e-mail, the truncated IP and why it is where it is."""

    post = ModeratedPostSerializer(read_only=True)
    author_url = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))
    open_reports = serializers.IntegerField(read_only=True, help_text=_("Readers’ reports not yet resolved."))
    url = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id", "post", "parent", "author_name", "author_email", "author_url", "body", "body_html",
            "status", "kind", "moderation_rule", "moderation_reason", "ip_address", "user_agent",
            "created_at", "open_reports", "url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, comment):
        return absolute_uri(self.context, f"{comment.post.get_absolute_url()}#comment-{comment.pk}")


class ModerationReplySerializer(serializers.Serializer):
    body = api_fields.CharField(max_length=10000, help_text=_("The reply, published at once."))


class CanModerate(permissions.BasePermission):
    def has_permission(self, request, view):
        return can_moderate(request.user)


class ModerationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        choices=Comment.Status.choices, help_text=_("Only comments in this status.")
    )
    post = filters.CharFilter(field_name="post__slug", help_text=_("Only comments on this post (its slug)."))

    class Meta:
        model = Comment
        fields = ["status", "post"]


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
class ModerationCommentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ModerationCommentSerializer
    permission_classes = [permissions.IsAuthenticated, CanModerate]
    filterset_class = ModerationFilter
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    reads_need_permission = True

    def get_queryset(self):
        return (
            Comment.objects.moderatable_by(self.request.user)
            .select_related("post")
            .annotate(open_reports=Count("reports", filter=Q(reports__resolved=False)))
            .order_by("-created_at", "-pk")
        )

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
