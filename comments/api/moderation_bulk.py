"""
The moderators' bulk actions and corrections, mixed into `ModerationCommentViewSet`: several
comments approved, marked as spam, trashed, restored or deleted in one request (each through the
same service and permission rule as one at a time), and a comment's text, name or website
corrected (audited in its admin history).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import fields as api_fields

from .. import services
from ..models import Comment
from ..services.moderation import MODERATION_ACTIONS
from .serializers import ModerationCommentSerializer

BULK_ACTIONS = [*MODERATION_ACTIONS, "delete"]
BULK_MAX_IDS = 100


class ModerationBulkSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        min_length=1,
        max_length=BULK_MAX_IDS,
        help_text=gettext_lazy("The comments to act on (at most 100)."),
    )
    action = serializers.ChoiceField(
        choices=BULK_ACTIONS,
        help_text=gettext_lazy(
            "approve, spam, trash, restore (back to pending) or delete (for good; replies move up a level)."
        ),
    )


BulkFailuresSerializer = inline_serializer(
    name="ModerationBulkFailure",
    many=True,
    fields={
        "id": serializers.IntegerField(),
        "code": serializers.ChoiceField(choices=["not_found", "permission_denied", "invalid"]),
        "detail": serializers.CharField(),
    },
)
ModerationBulkResultSerializer = inline_serializer(
    name="ModerationBulkResult",
    fields={
        "action": serializers.CharField(),
        "succeeded": serializers.ListField(child=serializers.IntegerField()),
        "failed": BulkFailuresSerializer,
    },
)


class ModerationEditSerializer(serializers.Serializer):
    body = api_fields.CharField(max_length=10000, required=False)
    author_name = api_fields.CharField(max_length=100, required=False)
    author_url = api_fields.CharField(max_length=500, required=False, allow_blank=True)


def bulk_moderate(*, ids, action_name, by):
    """{"succeeded": [...], "failed": [...]}: each comment on its own, so one refusal stops no other."""
    ids = list(dict.fromkeys(ids))  # once each, in the order given
    found = Comment.objects.filter(pk__in=ids).select_related("post__author").in_bulk()
    succeeded, failed = [], []
    for pk in ids:
        comment = found.get(pk)
        if comment is None:
            failed.append({"id": pk, "code": "not_found", "detail": _("No such comment.")})
            continue
        try:
            with transaction.atomic():
                if action_name == "delete":
                    services.comment_delete(comment=comment, by=by)
                else:
                    services.comment_moderate(comment=comment, action=action_name, by=by)
        except PermissionDenied as denied:
            failed.append({"id": pk, "code": "permission_denied", "detail": str(denied)})
        except ValidationError as error:
            failed.append({"id": pk, "code": "invalid", "detail": " ".join(error.messages)})
        else:
            succeeded.append(pk)
    return {"action": action_name, "succeeded": succeeded, "failed": failed}


class ModerationBulkMixin:
    """For `ModerationCommentViewSet` (comments/api/moderation.py)."""

    @extend_schema(
        summary="Act on several comments at once",
        description=(
            "Each comment goes through the same rule and service as one at a time: a moderator acts only "
            "on the comments they may moderate. The answer says which ids succeeded and why the others "
            "failed (not_found, permission_denied, invalid)."
        ),
        tags=["moderation"],
        request=ModerationBulkSerializer,
        responses={200: ModerationBulkResultSerializer},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        serializer = ModerationBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = bulk_moderate(
            ids=serializer.validated_data["ids"],
            action_name=serializer.validated_data["action"],
            by=request.user,
        )
        return Response(result)

    @extend_schema(
        summary="Correct a comment's text, name or website (kept in its admin history)",
        tags=["moderation"],
        request=ModerationEditSerializer,
        responses={200: ModerationCommentSerializer},
    )
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        serializer = ModerationEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.comment_edit_by_moderator(comment=comment, by=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)
