"""
A post's (or a page's) public thread, the token a comment needs, and commenting from any origin.

The thread pages by top-level threads (`?page=`, `?page_size=`; COMMENTS_PER_PAGE threads by
default, as the site's `?cpage=`), each with its whole subtree nested under `replies`, in
two queries whatever the size of the thread: the ids and parents of every approved comment
(to find the threads and what each holds), then the comments of the page asked for.

`?fields=` and `?expand=` (core.api.shaping) shape every comment at every depth, results
and replies alike (the envelope stays, as for lists); `?expand=author` is read in the same
query as the comments. The submission (POST) is never shaped.
"""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, status
from rest_framework.response import Response

from blog.selectors import readable_pages, readable_posts
from core import surrogate
from core.api import throttling as api_throttling
from core.api.caching import HttpCachingMixin
from core.api.pagination import PageNumberPagination
from core.api.schema import error_response
from core.api.shaping import ShapedResponseMixin
from core.errors import error_body

from .. import services
from ..content import content_keys, on
from ..exceptions import CommentFlood, CommentsClosed, CommentTokenRefused
from ..models import Comment
from ..moderation import comments_open
from ..threads import build_tree, per_page_setting
from ..tokens import comment_edit_token
from .serializers import (
    CommentCreatedSerializer,
    CommentSubmitSerializer,
    CommentThreadSerializer,
    CommentTokenErrorSerializer,
    CommentTokenSerializer,
    PublicCommentSerializer,
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


def public_page(request, slug):
    """The page a thread belongs to: 404 unless `request.user` may read it (blog.selectors)."""
    return get_object_or_404(readable_pages(request.user).select_related("author"), slug=slug)


# The columns a thread shows (PublicCommentSerializer), and the tree needs.
THREAD_FIELDS = (
    "id",
    "parent_id",
    "post_id",
    "page_id",
    "author_name",
    "author_url",
    "body_html",
    "created_at",
    "edited_at",
)


class ThreadPagination(PageNumberPagination):
    """Top-level threads per page: COMMENTS_PER_PAGE by default (50, as the site), `?page_size=` up to 100."""

    max_page_size = 100

    @property
    def page_size(self):
        return per_page_setting() or 50


# What ?expand= on a thread reads with the comments, in the same query (select_related).
THREAD_EXPANSIONS = {"author": "user__author"}


def thread_page(content, request, view, *, expanded=()):
    """
    The page of `content`'s approved thread `request` asks for, in two queries: (paginator,
    roots of the page with `children` set, number of approved comments). `expanded`: the
    names of ?expand= (THREAD_EXPANSIONS), fetched in the second query.
    """
    rows = Comment.objects.approved().filter(**on(content)).order_by("created_at", "pk")
    parent_of = dict(rows.values_list("pk", "parent_id"))  # oldest first, as the site
    root_of = thread_roots(parent_of)
    roots = [pk for pk in parent_of if root_of[pk] == pk]  # in the thread's order
    paginator = ThreadPagination()
    shown = set(paginator.paginate_queryset(roots, request, view=view))
    ids = [pk for pk in parent_of if root_of[pk] in shown]
    related = [THREAD_EXPANSIONS[name] for name in expanded]
    comments = rows.filter(pk__in=ids).select_related(*related).only(*THREAD_FIELDS, *related) if ids else []
    # A thread's subtree holds every ancestor of its comments: the tree comes out as the site's.
    return paginator, build_tree(comments), len(parent_of)


def thread_roots(parent_of):
    """
    {pk: its thread's top-level comment} for the approved comments `parent_of` ({pk: parent});
    a comment whose parent is not approved starts a thread of its own (threads.build_tree).
    Linear: each chain is walked once (remembered), cycles guarded.
    """
    root_of = {}
    for pk in parent_of:
        chain, current = [], pk
        while current not in root_of:
            chain.append(current)
            parent = parent_of[current]
            if parent is None or parent not in parent_of or parent in chain:
                root_of[current] = current
                break
            current = parent
        root = root_of[current]
        for node in chain:
            root_of[node] = root
    return root_of


THREAD_PARAMETERS = [
    # Whole numbers from 1, as the paginator checks (anything else is a 400).
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description=_("A page of top-level threads, from 1 (oldest threads first)."),
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1},
        description=_("Top-level threads per page, at most 100 (COMMENTS_PER_PAGE by default: 50)."),
    ),
]
SUBMIT_RESPONSES = {
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
}


@extend_schema_view(
    get=extend_schema(
        summary="A post’s approved comments, by top-level threads (?page=), replies nested",
        tags=["comments"],
        parameters=THREAD_PARAMETERS,
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
        responses=SUBMIT_RESPONSES,
    ),
)
class PostCommentsView(ShapedResponseMixin, HttpCachingMixin, generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [
        api_throttling.AnonRateThrottle,
        api_throttling.UserRateThrottle,
        CommentCreationThrottle,
    ]
    serializer_class = CommentSubmitSerializer
    pagination_class = None  # the thread pages itself (ThreadPagination)
    filter_backends = []
    # The response cache keys on them, and on ShapedResponseMixin's ?fields= and ?expand=.
    cache_query_params = ("page", "page_size")
    shapes_serializer = False  # get_serializer is the submission's; the thread is shaped in get()

    content = staticmethod(public_post)

    def is_shaped(self, method, action):
        return method in ("GET", "HEAD")  # the thread; never the submission's answer

    def get_shaped_serializer_class(self):
        return PublicCommentSerializer

    def get(self, request, slug):
        post = self.content(request, slug)
        surrogate.add_keys(request, *content_keys(post))
        paginator, roots, count = thread_page(post, request, self, expanded=self.expanded)
        thread = {
            "count": count,
            "threads": paginator.page.paginator.count,
            "page": paginator.page.number,
            "pages": paginator.page.paginator.num_pages,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "comments_open": comments_open(post),
            "results": roots,
        }
        serializer = CommentThreadSerializer(thread, context=self.get_serializer_context())
        self.shape(serializer.fields["results"])
        return Response(serializer.data)

    def post(self, request, slug):
        post = self.content(request, slug)
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

    content = staticmethod(public_post)

    def get(self, request, slug):
        post = self.content(request, slug)
        if not comments_open(post):
            raise CommentsClosedError(_("Comments are closed for this post."))
        response = Response(services.comment_form_token(post=post))
        # A cached token would let a robot skip the wait the signed timestamp enforces.
        add_never_cache_headers(response)
        return response


@extend_schema_view(
    get=extend_schema(
        summary="A page’s approved comments, by top-level threads, replies nested",
        tags=["comments"],
        parameters=THREAD_PARAMETERS,
        responses={200: CommentThreadSerializer},
    ),
    post=extend_schema(
        summary="Leave a comment on a page that allows them",
        description="As on a post: first GET the page's token endpoint.",
        tags=["comments"],
        request=CommentSubmitSerializer,
        responses=SUBMIT_RESPONSES,
    ),
)
class PageCommentsView(PostCommentsView):
    """The same thread and form on a page (a guestbook, an "about" page): readable pages only."""

    content = staticmethod(public_page)


@extend_schema(
    summary="A signed token to send back with a comment on a page",
    tags=["comments"],
    responses={
        200: CommentTokenSerializer,
        403: error_response("403", _("Comments are closed on this page (code comments_closed).")),
    },
)
class PageCommentTokenView(PostCommentTokenView):
    content = staticmethod(public_page)
