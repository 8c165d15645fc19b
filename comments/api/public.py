"""A post's public thread, the token a comment needs, and commenting from any origin."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response

from blog.selectors import readable_posts
from core import surrogate
from core.api import throttling as api_throttling
from core.api.caching import HttpCachingMixin
from core.api.schema import error_response
from core.errors import error_body

from .. import services
from ..exceptions import CommentFlood, CommentsClosed, CommentTokenRefused
from ..models import Comment
from ..moderation import comments_open
from ..threads import flatten
from ..tokens import comment_edit_token
from .serializers import (
    CommentCreatedSerializer,
    CommentSubmitSerializer,
    CommentThreadSerializer,
    CommentTokenErrorSerializer,
    CommentTokenSerializer,
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
        surrogate.add_keys(request, f"comments-{post.pk}", f"post-{post.pk}")
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
        # Spam is stored for the moderators but, as on the site, shown to its writer as pending.
        shown, message = services.reader_answer(
            comment, notify=serializer.validated_data.get("notify", False)
        )
        return Response(
            {"id": comment.pk, "status": shown, "message": message, **edit_grant(comment)},
            status=status.HTTP_201_CREATED,
        )


def edit_grant(comment):
    """What lets the client that sent `comment` edit or delete it (comments/api/reader.py), and until when."""
    window = settings.COMMENTS_EDIT_WINDOW
    if window <= 0:
        return {"edit_token": None, "editable_until": None}
    return {
        "edit_token": comment_edit_token(comment),
        "editable_until": comment.created_at + timedelta(seconds=window),
    }


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
