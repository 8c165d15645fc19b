"""
A commenter's personal data (RGPD/GDPR): export and erase, by e-mail address. Their comments,
their subscriptions (with when they were asked for and confirmed) and the e-mails sent to them.
"""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import surrogate
from core.api.caching import invalidate

from ..models import Comment, SentEmail, Subscription, changed_comments_keys


def personal_data_export(*, email):
    """Every comment and stored datum for `email`, as a JSON-ready dict."""
    comments = (
        Comment.objects.filter(author_email__iexact=email)
        .select_related("post", "page")
        .order_by("created_at")
    )
    return {
        "email": email,
        "comments": [
            {
                "id": comment.pk,
                "post": comment.content.title,
                "post_url": comment.content.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "author_name": comment.author_name,
                "author_email": comment.author_email,
                "author_url": comment.author_url,
                "body": comment.body,
                "status": comment.status,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "created_at": comment.created_at.isoformat(),
            }
            for comment in comments
        ],
        "subscriptions": [
            {
                "id": subscription.pk,
                "post": subscription.content.title,
                "post_url": subscription.content.get_absolute_url(),
                "comment": subscription.comment_id,
                "email": subscription.email,
                "follows": subscription.scope,
                "requested_at": subscription.created_at.isoformat(),
                "confirmed_at": subscription.confirmed_at.isoformat() if subscription.confirmed_at else None,
            }
            for subscription in Subscription.objects.filter(email__iexact=email)
            .select_related("post", "page")
            .order_by("created_at", "pk")
        ],
        "emails_sent": [
            {
                "kind": sent.kind,
                "to": sent.email,
                "subject": sent.subject,
                "comment": sent.comment_id,
                "sent_at": sent.created_at.isoformat(),
            }
            for sent in SentEmail.objects.filter(email__iexact=email).order_by("created_at", "pk")
        ],
    }


def personal_data_erase(*, email):
    """
    Anonymize every comment by `email`, as WordPress's eraser does: name
    "Anonymous" (translated), e-mail, website, IP, browser and account link
    removed; the text is kept. The address's subscriptions and the record of the e-mails
    sent to it are deleted. Returns the number of comments anonymized.
    """
    Subscription.objects.filter(email__iexact=email).delete()
    SentEmail.objects.filter(email__iexact=email).delete()
    with translation.override(settings.LANGUAGE_CODE):
        anonymous = _("Anonymous")
    comments = Comment.objects.filter(author_email__iexact=email)
    # Their names are on public pages: purged from the caches in front too.
    public_posts = (
        set(comments.filter(status=Comment.Status.APPROVED).values_list("post_id", "page_id"))
        if surrogate.purge_urls()
        else set()
    )
    erased = comments.update(
        author_name=anonymous,
        author_email="",
        author_url="",
        ip_address=None,
        user_agent="",
        user=None,
        updated_at=timezone.now(),
    )
    if erased:
        invalidate()  # QuerySet.update() sends no signal for the cache to hear
        surrogate.purge_keys(
            [key for post_id, page_id in public_posts for key in changed_comments_keys(post_id, page_id)]
        )
    return erased
