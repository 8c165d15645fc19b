"""
A reader's own comment through the API: editing or deleting it with the `edit_token` its
creation answer gave (for COMMENTS_EDIT_WINDOW seconds), and reporting someone else's, under the
same rules as the site's "Report" (one report per reader, counted by account, session or
address; an hourly limit per address).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response

from blog.selectors import readable_posts
from core.api import fields as api_fields
from core.api import throttling as api_throttling
from core.api.schema import error_response
from core.clients import client_ip
from core.links import site_origin

from .. import services
from ..exceptions import CommentEditRefused, CommentsClosed
from ..models import Comment
from ..selectors import reportable_comments
from .public import CommentCreationThrottle, CommentsClosedError

EDIT_TOKEN_HEADER = "X-Comment-Edit-Token"  # noqa: S105 (a header name)

edit_token_parameter = OpenApiParameter(
    name=EDIT_TOKEN_HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy("The `edit_token` the comment's creation answer gave."),
)


class CommentEditSerializer(serializers.Serializer):
    body = api_fields.CharField(max_length=10000, help_text=gettext_lazy("The comment's new text."))


CommentEditedSerializer = inline_serializer(
    name="CommentEdited",
    fields={
        "id": serializers.IntegerField(),
        "status": serializers.ChoiceField(
            choices=[Comment.Status.APPROVED, Comment.Status.PENDING],
            help_text=gettext_lazy("pending: the edit sent it back to the moderators (see message)."),
        ),
        "message": serializers.CharField(
            help_text=gettext_lazy("A message to show the reader, in their language.")
        ),
        "edited_at": serializers.DateTimeField(),
    },
)


class CommentEditRefusedError(exceptions.PermissionDenied):
    def __init__(self, refused):
        super().__init__(refused.message, code=refused.code)


EDIT_REFUSED = error_response(
    "403",
    gettext_lazy(
        "Not this comment's edit token (code comment_edit_token_invalid), its edit window is over "
        "(comment_edit_window_over), a moderator removed it (comment_removed), or comments are closed."
    ),
)


@extend_schema_view(
    patch=extend_schema(
        summary="Edit your own comment (within the edit window, with its edit token)",
        description=(
            "The new text goes through the moderation rules again: an approved comment whose edit adds "
            "links beyond the limit, or trips any other rule, goes back to the moderators."
        ),
        tags=["comments"],
        parameters=[edit_token_parameter],
        request=CommentEditSerializer,
        responses={200: CommentEditedSerializer, 403: EDIT_REFUSED},
    ),
    delete=extend_schema(
        summary="Delete your own comment (within the edit window, with its edit token)",
        tags=["comments"],
        parameters=[edit_token_parameter],
        responses={204: OpenApiResponse(description=gettext_lazy("Deleted.")), 403: EDIT_REFUSED},
    ),
)
class OwnCommentView(generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]  # the edit token is the permission (comments.permissions)
    throttle_classes = [
        api_throttling.AnonRateThrottle,
        api_throttling.UserRateThrottle,
        CommentCreationThrottle,
    ]
    serializer_class = CommentEditSerializer
    pagination_class = None
    filter_backends = []
    http_method_names = ["patch", "delete", "options"]

    def get_object(self):
        return get_object_or_404(
            Comment.objects.select_related("post").filter(post__in=readable_posts(self.request.user)),
            pk=self.kwargs["pk"],
        )

    def token(self):
        return self.request.headers.get(EDIT_TOKEN_HEADER, "")

    def patch(self, request, pk):
        comment = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            comment = services.comment_edit(
                comment=comment,
                token=self.token(),
                data=serializer.validated_data,
                base_url=site_origin(request=request),
            )
        except CommentEditRefused as refused:
            raise CommentEditRefusedError(refused) from refused
        except CommentsClosed as closed:
            raise CommentsClosedError(closed.message) from closed
        shown, message = services.edit_answer(comment)
        return Response(
            {"id": comment.pk, "status": shown, "message": message, "edited_at": comment.edited_at}
        )

    def delete(self, request, pk):
        comment = self.get_object()
        try:
            services.comment_withdraw(comment=comment, token=self.token())
        except CommentEditRefused as refused:
            raise CommentEditRefusedError(refused) from refused
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentReportSerializer(serializers.Serializer):
    reason = api_fields.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Why (optional)."),
    )


CommentReportedSerializer = inline_serializer(
    name="CommentReported",
    fields={"message": serializers.CharField(help_text=gettext_lazy("A message to show the reader."))},
)


class ReportsThrottledError(exceptions.APIException):
    """429 with Retry-After (DRF's handler sets it from `wait`), and the service's own message."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "report_throttled"

    def __init__(self, detail, wait):
        super().__init__(detail, code="report_throttled")
        self.wait = wait


@extend_schema(
    summary="Report a published comment to the moderators",
    description=(
        "As the site's “Report”: once per reader (account, else session, else address), at most "
        "COMMENTS_REPORTS_PER_HOUR reports an hour from one address; enough distinct readers send the "
        "comment back to moderation."
    ),
    tags=["comments"],
    request=CommentReportSerializer,
    responses={
        201: CommentReportedSerializer,
        400: error_response(
            "400", gettext_lazy("Invalid input, or this reader already reported the comment.")
        ),
        429: error_response(
            "429", gettext_lazy("Too many reports from this address: retry after Retry-After.")
        ),
    },
)
class CommentReportView(generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = CommentReportSerializer
    pagination_class = None
    filter_backends = []

    def post(self, request, pk):
        comment = get_object_or_404(reportable_comments().select_related("post", "page"), pk=pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = client_ip(request)
        session = getattr(request, "session", None)
        try:
            key = services.reporter_key(
                user=request.user,
                session_key=session.session_key if session is not None else None,
                address=address,
            )
        except ValueError:
            raise exceptions.ValidationError(
                {"comment": [_("A report needs an account, a session or an address.")]}
            ) from None
        try:
            services.comment_report(
                comment=comment,
                reporter_key=key,
                reason=serializer.validated_data["reason"],
                user=request.user,
                address=address,
            )
        except services.ReportsThrottled as throttled:
            raise ReportsThrottledError(" ".join(throttled.messages), throttled.retry_after) from throttled
        return Response(
            {"message": _("Thank you: the moderators will look at this comment.")},
            status=status.HTTP_201_CREATED,
        )
