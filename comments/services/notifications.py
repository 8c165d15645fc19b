"""
The e-mails to the people who run the blog: a comment waits for its moderators, or a comment
was published at once on an author's post. Each person chooses which they get (their author
profile: `notify_comments_to_moderate`, `notify_approved_comments`).
"""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.links import absolute_url
from core.models import SiteSettings

from ..models import Comment, SentEmail
from ..permissions import moderators
from .mailing import one_line, send_logged

logger = logging.getLogger(__name__)


def moderator_recipients(comment):
    """
    The e-mail addresses of everyone who may moderate `comment`, minus whoever wrote it and
    whoever turned these e-mails off in their profile.
    """
    users = moderators(comment).exclude(email="").exclude(author__notify_comments_to_moderate=False)
    emails = set(users.values_list("email", flat=True))
    if comment.user_id:
        emails.discard(comment.user.email)
    return sorted(emails)


def notify_moderators(*, comment, base_url=""):
    """E-mail the moderators about a comment waiting for them. A mail failure never loses the comment."""
    try:
        recipients = moderator_recipients(comment)
        if not recipients:
            return 0
        subject, message = _notification(comment, base_url, waiting=True)
    except Exception:
        logger.exception("Could not send the moderation e-mail for comment %s", comment.pk)
        return 0
    return sum(
        send_logged(kind=SentEmail.Kind.TO_MODERATE, to=email, subject=subject, body=message, comment=comment)
        for email in recipients
    )


def announce_pending(*, comment, base_url=""):
    """
    Tell the moderators of a comment waiting for them, in the background once the comment is
    committed: who they are and their e-mail are the worker's to find, not the reader's request's.
    """
    transaction.on_commit(
        partial(notify_moderators_task.enqueue, comment_id=comment.pk, base_url=base_url), robust=True
    )


@task()
def notify_moderators_task(*, comment_id, base_url=""):
    comment = (
        Comment.objects.select_related("post__author__user", "page", "user").filter(pk=comment_id).first()
    )
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0  # deleted or already moderated meanwhile: nothing waits any more
    return notify_moderators(comment=comment, base_url=base_url)


def notify_post_author(*, comment, base_url=""):
    """
    A comment published at once (approved by the rules): its post's author is told when their
    profile asks for it. Moderators' approvals tell nobody: the author was told it waited.
    """
    if comment.post_id is None:
        return 0  # a page's comments belong to the site: its moderators were told if it waited
    try:
        author = comment.post.author
        email = author.user.email
        if not author.notify_approved_comments or not email or not author.user.is_active:
            return 0
        if comment.user_id == author.user_id or (comment.author_email or "").casefold() == email.casefold():
            return 0
        subject, message = _notification(comment, base_url, waiting=False)
    except Exception:
        logger.exception("Could not send the new comment e-mail for comment %s", comment.pk)
        return 0
    return send_logged(
        kind=SentEmail.Kind.ON_MY_POST, to=email, subject=subject, body=message, comment=comment
    )


def _notification(comment, base_url, *, waiting):
    values = {
        "site": SiteSettings.objects.current().site_name,
        "title": comment.content.title,
        "name": comment.author_name,
        "email": comment.author_email or "-",
        "url": comment.author_url or "-",
        "reason": comment.moderation_reason,
        "body": comment.body,
        "admin_url": absolute_url(
            reverse("admin:comments_comment_change", args=[comment.pk]), base_url=base_url
        ),
        "post_url": absolute_url(comment.content.get_absolute_url(), base_url=base_url),
        "comment_url": absolute_url(comment.get_absolute_url(), base_url=base_url),
    }
    with translation.override(settings.LANGUAGE_CODE):
        if waiting:
            subject = _("[%(site)s] Comment waiting for moderation: “%(title)s”")
            message = _(
                "A new comment on “%(title)s” is waiting for your approval.\n\n"
                "Author: %(name)s (%(email)s)\n"
                "Website: %(url)s\n"
                "Why it waits: %(reason)s\n\n"
                "%(body)s\n\n"
                "Moderate it: %(admin_url)s\n"
                "Post: %(post_url)s\n"
            )
        else:
            subject = _("[%(site)s] New comment on “%(title)s”")
            message = _(
                "A new comment on your post “%(title)s” was published.\n\n"
                "Author: %(name)s (%(email)s)\n"
                "Website: %(url)s\n"
                "Why it was published: %(reason)s\n\n"
                "%(body)s\n\n"
                "Read it: %(comment_url)s\n"
                "Moderate it: %(admin_url)s\n\n"
                "You get this e-mail because your author profile asks for it.\n"
            )
    return one_line(subject % values), message % values
