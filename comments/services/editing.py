"""
Changing a comment after it was sent: its writer, for COMMENTS_EDIT_WINDOW seconds with the
comment's edit token (`comments.permissions.reader_edit_refusal`), or one of its moderators.

A writer's edit goes through the moderation rules again, as a new comment would (less those
about sending a form: token, flood, honeypot, timing). An edit never raises a comment's status:
an approved comment whose new text trips a rule (more links than allowed, a moderation word, a
high spam score...) goes back to the moderators with that rule's reason; a clean edit keeps the
status it had. A moderator's edit is theirs to answer for: it keeps the status, and is logged in
the comment's admin history.
"""

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..forms import CommentEditForm, ModeratorEditForm
from ..models import Comment
from ..moderation import Submission, moderate
from ..permissions import can_moderate, reader_edit_refusal
from .notifications import announce_pending
from .submission import SILENT_RULES

# An edit may lower a comment's status, never raise it.
STATUS_RANK = {Comment.Status.SPAM: 0, Comment.Status.PENDING: 1, Comment.Status.APPROVED: 2}


def _valid(form_class, data):
    form = form_class(data={key: value for key, value in data.items() if value is not None})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def edited_status(comment, decision):
    """
    (status, rule, reason) of `comment` once edited, given the rules' `decision` on its new text.
    A rule that found something (not an approval, not "nobody decided") lowers the status to its
    verdict, with its reason; otherwise the comment keeps its status and the reason it had.
    """
    found = decision.status != Comment.Status.APPROVED and decision.rule not in SILENT_RULES
    if found and STATUS_RANK[decision.status] <= STATUS_RANK.get(comment.status, 0):
        return decision.status, decision.rule[:50], str(decision.reason)[:255]
    return comment.status, comment.moderation_rule, comment.moderation_reason


def comment_edit(*, comment, token, data, base_url="", now=None):
    """
    The writer of `comment` changes its text (`data["body"]`) with its edit token. Raises
    CommentEditRefused (not theirs, too late, removed), CommentsClosed, or ValidationError
    (field messages). Returns the comment, with the status the rules left it in.
    """
    now = now or timezone.now()
    refusal = reader_edit_refusal(comment, token, now=now)
    if refusal is not None:
        raise refusal
    body = _valid(CommentEditForm, data)["body"]
    if body == comment.body:
        return comment
    submission = Submission(
        post=comment.content,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        body=body,
        ip_address=comment.ip_address,
        user_agent=comment.user_agent,
        user=comment.user,
        now=now,
        edit_of=comment,
    )
    with translation.override(settings.LANGUAGE_CODE):
        decision = moderate(submission)
    if decision.verdict.refusal is not None:
        raise decision.verdict.refusal
    was_public = comment.status == Comment.Status.APPROVED
    comment.status, comment.moderation_rule, comment.moderation_reason = edited_status(comment, decision)
    comment.body = body
    comment.edited_at, comment.edited_by = now, None
    comment.full_clean(exclude=["post", "parent", "user", "form_token"])
    comment.save()
    if was_public and comment.status == Comment.Status.PENDING:
        announce_pending(comment=comment, base_url=base_url)  # back in the queue: its moderators are told
    return comment


def comment_withdraw(*, comment, token, now=None):
    """
    The writer of `comment` deletes it with its edit token (CommentEditRefused otherwise). It is
    deleted, not blanked: its replies, if any came within the window, move up a level
    (`comments.models.lift_replies`), and nothing of what the writer took back is kept.
    """
    refusal = reader_edit_refusal(comment, token, now=now)
    if refusal is not None:
        raise refusal
    comment.delete()


MODERATOR_FIELDS = ("body", "author_name", "author_url")


def comment_edit_by_moderator(*, comment, by, data):
    """
    A moderator of `comment` corrects its text, name or website (`data`: any of body,
    author_name, author_url). The status stays; `edited_at`/`edited_by` say who and when, and the
    admin history of the comment keeps which fields changed. Raises PermissionDenied or
    ValidationError (field messages).
    """
    if not can_moderate(by, comment):
        raise PermissionDenied(_("You may not moderate this comment."))
    unknown = set(data) - set(MODERATOR_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be edited.") for name in sorted(unknown)})
    current = {name: getattr(comment, name) for name in MODERATOR_FIELDS}
    cleaned = _valid(ModeratorEditForm, {**current, **data})
    changed = [name for name in MODERATOR_FIELDS if name in data and cleaned[name] != current[name]]
    if not changed:
        return comment
    for name in changed:
        setattr(comment, name, cleaned[name])
    comment.edited_at, comment.edited_by = timezone.now(), by
    with translation.override(None):  # stored untranslated, as the admin does; shown translated
        fields = [str(Comment._meta.get_field(name).verbose_name) for name in changed]
    with transaction.atomic():
        comment.full_clean(exclude=["post", "parent", "user", "form_token"])
        comment.save()
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[comment],
            action_flag=CHANGE,
            change_message=[{"changed": {"fields": fields}}],
            single_object=True,
        )
    return comment


def comment_delete(*, comment, by):
    """A moderator deletes `comment` for good (its replies move up a level); PermissionDenied otherwise."""
    if not can_moderate(by, comment):
        raise PermissionDenied(_("You may not moderate this comment."))
    comment.delete()


def edit_answer(comment):
    """
    What the writer is told once their edit is saved: (status, message), spam shown as pending
    as everywhere; a comment the edit sent back to the moderators says why.
    """
    if comment.status == Comment.Status.APPROVED:
        return comment.status, _("Your comment is updated.")
    message = _("Your comment is updated and awaits moderation.")
    if comment.status == Comment.Status.PENDING and comment.moderation_rule not in SILENT_RULES:
        message = _("%(message)s Why: %(reason)s") % {"message": message, "reason": comment.moderation_reason}
    return Comment.Status.PENDING, message
