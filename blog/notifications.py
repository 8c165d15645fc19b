"""The review e-mails: to the editors when a post awaits review, to its author when it comes back."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.links import absolute_url

from .permissions import reviewers

logger = logging.getLogger(__name__)


def notify_reviewers(post, *, by):
    """E-mail the editors that `post` awaits review (called by the post services on submission)."""
    emails = set(reviewers().exclude(email="").values_list("email", flat=True))
    emails.discard(getattr(by, "email", ""))
    _mail(sorted(emails), *_submitted_message(post))


def notify_sent_back(post):
    """E-mail `post`'s author the note an editor sent it back with."""
    user = post.author.user if post.author.user_id else None
    _mail([user.email] if user and user.email else [], *_sent_back_message(post))


def _mail(recipients, subject, message):
    # A mail failure never undoes the change it tells of.
    try:
        if recipients:
            send_mass_mail([(subject, message, None, [email]) for email in recipients])
    except Exception:
        logger.exception("Could not send the review e-mail %r", subject)


def _admin_url(post):
    return absolute_url(reverse("admin:blog_post_change", args=[post.pk]))


def _submitted_message(post):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] Post awaiting review: “%(title)s”") % {
            "site": settings.PLUME_SITE_NAME,
            "title": " ".join(post.title.split()),
        }
        message = _("“%(title)s” by %(author)s awaits your review.\n\nReview it: %(url)s\n") % {
            "title": post.title,
            "author": post.author,
            "url": _admin_url(post),
        }
    return subject, message


def _sent_back_message(post):
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(site)s] Your post was sent back: “%(title)s”") % {
            "site": settings.PLUME_SITE_NAME,
            "title": " ".join(post.title.split()),
        }
        message = _("An editor sent “%(title)s” back to you:\n\n%(note)s\n\nEdit it: %(url)s\n") % {
            "title": post.title,
            "note": post.review_note,
            "url": _admin_url(post),
        }
    return subject, message
