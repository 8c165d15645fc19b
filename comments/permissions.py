"""
Who may moderate comments, the one home of the rule.

Two permissions decide it (the roles in `authors.roles` grant them):
`moderate_others_comments` (editors; superusers have every permission) lets a
user moderate every comment; `moderate_comment` (authors) the comments on
their own posts. Comments on pages (blog.Page) belong to the site, not to an
author: only editors moderate them. Nobody else moderates anything, and an
inactive account nothing at all.

The same rule is asked three ways: of one comment (`can_moderate`), of a set
of comments (`moderatable_comments`, what the admin and the API list) and of
the users (`moderators`, who is told of a comment waiting). The personal data
tools span every post, so only those who moderate every comment use them.

A reader, moderator or not, may edit or delete their own comment for a while after sending it
(`reader_edit_refusal`): with the edit token the site keeps in their browser, or the API gave
their application.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from .exceptions import CommentEditRefused
from .tokens import edit_token_matches

MODERATE_OWN = "comments.moderate_comment"
MODERATE_OTHERS = "comments.moderate_others_comments"
# The backend that grants permissions (axes' backend only refuses logins): `with_perm`
# needs to be told which one when there are several.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _active(user):
    return bool(user and user.is_authenticated and user.is_active)


def moderates_every_comment(user):
    """Editors and superusers: every comment, on every post."""
    return _active(user) and user.has_perm(MODERATE_OTHERS)


def moderates_own_posts_comments(user):
    """Authors: the comments on the posts they wrote (editors too, as part of every comment)."""
    return _active(user) and user.has_perm(MODERATE_OWN)


def can_moderate(user, comment=None):
    """Whether `user` may moderate `comment`; without `comment`: whether they may moderate any."""
    if moderates_every_comment(user):
        return True
    if not moderates_own_posts_comments(user):
        return False
    if comment is None:
        return True
    if comment.post_id is None:  # on a page: editors only
        return False
    return comment.post.author.user_id == user.pk


def can_erase_personal_data(user):
    """Export and erase a commenter's data: it spans every post, so only who moderates every comment."""
    return moderates_every_comment(user)


def moderatable_comments(user, comments):
    """The comments of the queryset `comments` that `user` may moderate (as `can_moderate` says)."""
    if moderates_every_comment(user):
        return comments
    if moderates_own_posts_comments(user):
        return comments.filter(post__author__user=user)  # never a page's comments
    return comments.none()


def moderators(comment):
    """The users who may moderate `comment` (as `can_moderate` says), as a queryset."""
    users = get_user_model().objects
    every = users.with_perm(
        MODERATE_OTHERS, is_active=True, include_superusers=True, backend=PERMISSION_BACKEND
    )
    if comment.post_id is None:  # on a page: editors only
        return every
    post_author = comment.post.author.user
    if can_moderate(post_author, comment):
        return every | users.filter(pk=post_author.pk)
    return every


def reader_edit_refusal(comment, token, *, now=None):
    """
    Whether the holder of `token` may edit or delete `comment` as its writer: None when they
    may, else the refusal (a `CommentEditRefused` to raise). The token must be the comment's
    own (`comments.tokens.comment_edit_token`), the comment no older than COMMENTS_EDIT_WINDOW
    seconds, and not moved to the trash by a moderator. A comment held as spam may be edited as
    a pending one: its writer is never told it was taken for spam.
    """
    if not edit_token_matches(comment, token):
        return CommentEditRefused("wrong_token")
    window = settings.COMMENTS_EDIT_WINDOW
    if window <= 0 or (now or timezone.now()) - comment.created_at > timedelta(seconds=window):
        return CommentEditRefused("window_over", window=window)
    if comment.status == comment.Status.TRASH:
        return CommentEditRefused("removed")
    return None
