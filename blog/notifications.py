"""The review e-mails: to the editors when a post awaits review, to its author when it comes back."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.links import absolute_url

from .permissions import reviewers

logger = logging.getLogger(__name__)


def notify_reviewers(post, *, by):
    """E-mail the editors that `post` awaits review (called by the post services on submission)."""
    emails = set(reviewers().exclude(email="").values_list("email", flat=True))
    emails.discard(getattr(by, "email", ""))
    subject = gettext_noop("[%(site)s] Post awaiting review: “%(title)s”")
    body = gettext_noop("“%(title)s” by %(author)s awaits your review.\n\nReview it: %(url)s\n")
    _mail(sorted(emails), post, subject, body)


def notify_sent_back(post):
    """E-mail `post`'s author the note an editor sent it back with."""
    user = post.author.user if post.author.user_id else None
    subject = gettext_noop("[%(site)s] Your post was sent back: “%(title)s”")
    body = gettext_noop("An editor sent “%(title)s” back to you:\n\n%(note)s\n\nEdit it: %(url)s\n")
    _mail([user.email] if user and user.email else [], post, subject, body)


def _mail(recipients, post, subject, body):
    """One message to each of `recipients`, in the site's language. A failure never undoes the change."""
    try:
        if not recipients:
            return
        with translation.override(settings.LANGUAGE_CODE):
            params = {
                "site": settings.PLUME_SITE_NAME,
                "title": " ".join(post.title.split()),  # no line break in a header
                "author": post.author,
                "note": post.review_note,
                "url": absolute_url(reverse("admin:blog_post_change", args=[post.pk])),
            }
            subject, message = _(subject) % params, _(body) % params
        send_mass_mail([(subject, message, None, [email]) for email in recipients])
    except Exception:
        logger.exception("Could not send the review e-mail for post %s", post.pk)
