"""A moderator's decisions: a comment's status, a reply, and the purge of old spam and trash."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Comment
from ..permissions import can_moderate
from ..selectors import attach_point
from ..spam_filter import request_training
from .submission import account_identity
from .subscriptions import notify_followers

MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    # Back into the moderation queue: a moderator then decides again.
    "restore": Comment.Status.PENDING,
}
# The action that puts a comment in a status: the admin's change form picks the status itself.
STATUS_ACTIONS = {status: action for action, status in MODERATION_ACTIONS.items()}


def comment_moderate(*, comment, action, by):
    """Approve, mark as spam, trash or restore (back to pending) `comment` as the moderator `by`."""
    if action not in MODERATION_ACTIONS:
        raise ValidationError({"action": _("Unknown moderation action “%(action)s”.") % {"action": action}})
    if not can_moderate(by, comment):
        raise PermissionDenied(_("You may not moderate this comment."))
    comment.status = MODERATION_ACTIONS[action]
    comment.moderation_rule = "moderator"
    with translation.override(settings.LANGUAGE_CODE):
        comment.moderation_reason = _("%(action)s by %(user)s") % {
            "action": comment.get_status_display(),
            "user": by.get_username(),
        }
    with transaction.atomic():
        # Only the status and its reason change: the relations and the constraints, which
        # cost a query each, were checked when the comment was made.
        comment.full_clean(
            exclude=["post", "page", "parent", "user", "form_token"], validate_constraints=False
        )
        comment.save()
        if action == "approve":
            # A moderator has seen it: earlier reports no longer count towards hiding it.
            comment.reports.filter(resolved=False).update(resolved=True)
    if action == "approve":
        notify_followers(comment=comment)
    if action in ("approve", "spam"):
        request_training()  # the spam filter learns from moderators' verdicts
    return comment


def comment_reply(*, parent, body, by):
    """
    A moderator's reply to `parent`, approved at once and threaded under it.
    As in WordPress ("Approve and reply"), replying approves a pending parent.
    """
    if not can_moderate(by, parent):
        raise PermissionDenied(_("You may not moderate this comment."))
    if parent.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        raise ValidationError({"parent": _("Restore this comment before replying to it.")})
    if not (body or "").strip():
        raise ValidationError({"body": _("Please write a reply.")})
    with transaction.atomic():
        if parent.status == Comment.Status.PENDING:
            comment_moderate(comment=parent, action="approve", by=by)
        name, email = account_identity(by)
        reply = Comment(
            post_id=parent.post_id,
            page_id=parent.page_id,
            parent=attach_point(parent),
            user=by,
            author_name=name,
            author_email=email,
            body=body,
            status=Comment.Status.APPROVED,
            moderation_rule="moderator",
            moderation_reason=_("Reply from a moderator"),
        )
        reply.full_clean()
        reply.save()
    notify_followers(comment=reply)
    return reply


def comments_purge(*, older_than_days):
    """
    Delete spam and trash not touched for `older_than_days` days. Their replies
    move up to the nearest kept ancestor (`comments.models.lift_replies`): deleting
    a comment never deletes the (approved) answers under it.
    """
    cutoff = timezone.now() - timedelta(days=older_than_days)
    doomed = Comment.objects.filter(
        status__in=[Comment.Status.SPAM, Comment.Status.TRASH], updated_at__lt=cutoff
    )
    with transaction.atomic():
        deleted = doomed.delete()[1].get(Comment._meta.label, 0)
    return deleted
