"""The e-mail that tells a comment's moderators it waits for them."""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from core.links import absolute_url
from core.models import SiteSettings

from ..models import Comment
from ..permissions import moderators

logger = logging.getLogger(__name__)


def moderator_recipients(comment):
    """The e-mail addresses of everyone who may moderate `comment`, minus whoever wrote it."""
    emails = set(moderators(comment).exclude(email="").values_list("email", flat=True))
    if comment.user_id:
        emails.discard(comment.user.email)
    return sorted(emails)


def notify_moderators(*, comment, base_url=""):
    """E-mail the moderators about a comment waiting for them. A mail failure never loses the comment."""
    try:
        recipients = moderator_recipients(comment)
        if not recipients:
            return 0
        subject, message = _notification(comment, base_url)
        return send_mass_mail([(subject, message, None, [email]) for email in recipients])
    except Exception:
        logger.exception("Could not send the moderation e-mail for comment %s", comment.pk)
        return 0


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
    comment = Comment.objects.select_related("post__author__user", "user").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return 0  # deleted or already moderated meanwhile: nothing waits any more
    return notify_moderators(comment=comment, base_url=base_url)


def _notification(comment, base_url):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] Comment waiting for moderation: “%(title)s”") % {
            "site": SiteSettings.objects.current().site_name,
            "title": " ".join(comment.post.title.split()),  # no line break in a header
        }
        message = _(
            "A new comment on “%(title)s” is waiting for your approval.\n\n"
            "Author: %(name)s (%(email)s)\n"
            "Website: %(url)s\n"
            "Why it waits: %(reason)s\n\n"
            "%(body)s\n\n"
            "Moderate it: %(admin_url)s\n"
            "Post: %(post_url)s\n"
        ) % {
            "title": comment.post.title,
            "name": comment.author_name,
            "email": comment.author_email or "-",
            "url": comment.author_url or "-",
            "reason": comment.moderation_reason,
            "body": comment.body,
            "admin_url": absolute_url(
                reverse("admin:comments_comment_change", args=[comment.pk]), base_url=base_url
            ),
            "post_url": absolute_url(comment.post.get_absolute_url(), base_url=base_url),
        }
    return subject, message
