"""
Following a discussion by e-mail, the RGPD way: a reader asks ("Notify me of replies"), a
first e-mail asks them to confirm (a signed link that expires), and nothing else is sent to
the address until they do. Every later e-mail carries a one-click unsubscribe link and a
link to all the subscriptions of the address.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.links import absolute_url

from ..models import Comment, SentEmail, Subscription
from .mailing import render_email, send_logged, unsubscribe_headers
from .notifications import notify_post_author

logger = logging.getLogger(__name__)

CONFIRM_SALT = "comments.subscription-confirm"


class SubscriptionLinkExpired(Exception):
    """The confirmation link is genuine but older than COMMENTS_SUBSCRIPTION_CONFIRM_DAYS."""


class SubscriptionLinkInvalid(Exception):
    """The link was altered, or its subscription no longer exists."""


# Links -------------------------------------------------------------------------


def confirmation_token(subscription):
    return signing.dumps(subscription.key, salt=CONFIRM_SALT)


def subscription_from_confirmation(token):
    """The subscription a confirmation link names; raises SubscriptionLinkExpired or ...Invalid."""
    try:
        key = signing.loads(
            token, salt=CONFIRM_SALT, max_age=timedelta(days=settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS)
        )
    except signing.SignatureExpired as error:
        raise SubscriptionLinkExpired from error
    except signing.BadSignature as error:
        raise SubscriptionLinkInvalid from error
    subscription = Subscription.objects.filter(key=str(key)).select_related("post", "page", "comment").first()
    if subscription is None:
        raise SubscriptionLinkInvalid
    return subscription


def subscription_links(subscription, *, base_url=""):
    """The absolute URLs every e-mail about `subscription` carries."""
    return {
        "unsubscribe_url": absolute_url(
            reverse("comments:unsubscribe", args=[subscription.key]), base_url=base_url
        ),
        "subscriptions_url": absolute_url(
            reverse("comments:subscriptions", args=[subscription.address_key]), base_url=base_url
        ),
    }


# The lifecycle -----------------------------------------------------------------


def subscription_request(*, comment, scope=Subscription.Scope.REPLIES, base_url=""):
    """
    The writer of `comment` asks to follow the discussion (`scope`: replies to their comment,
    or every new comment on the post). Stores an unconfirmed subscription and sends the
    confirmation e-mail, the only one sent before they confirm. Nothing for spam (a robot
    would use it to mail strangers) or a comment without an address. Asking to follow a post
    the address already follows (or asked to) sends nothing more.
    """
    if not comment.author_email or comment.status in (Comment.Status.SPAM, Comment.Status.TRASH):
        return None
    if scope not in Subscription.Scope.values:
        scope = Subscription.Scope.REPLIES
    if scope == Subscription.Scope.POST:
        existing = Subscription.objects.filter(
            **comment.on_content, scope=scope, email__iexact=comment.author_email
        ).first()
        if existing is not None:
            return existing
    subscription = Subscription(
        post_id=comment.post_id,
        page_id=comment.page_id,
        comment=comment,
        email=comment.author_email,
        scope=scope,
    )
    subscription.full_clean()
    subscription.save()
    confirm_url = absolute_url(
        reverse("comments:subscription-confirm", args=[confirmation_token(subscription)]), base_url=base_url
    )
    subject, body = render_email(
        "confirmation",
        {
            "subscription": subscription,
            "comment": comment,
            "post": comment.content,
            "post_url": absolute_url(comment.content.get_absolute_url(), base_url=base_url),
            "confirm_url": confirm_url,
            "held": comment.status != Comment.Status.APPROVED,
            "days": settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS,
        },
    )
    send_logged(
        kind=SentEmail.Kind.CONFIRMATION,
        to=subscription.email,
        subject=subject,
        body=body,
        comment=comment,
        subscription=subscription,
    )
    return subscription


def subscription_confirm(*, subscription, scope=None):
    """The reader followed the confirmation link and said yes (and maybe chose what to follow)."""
    if scope in Subscription.Scope.values:
        subscription.scope = scope
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
    subscription.save(update_fields=["scope", "confirmed_at", "address_key"])
    return subscription


def subscription_remove(*, subscription):
    """Unsubscribe: the subscription is deleted, not flagged (nothing kept that is not needed)."""
    subscription.delete()


def subscriptions_of(address_key):
    """Every subscription of the address `address_key` stands for ("my subscriptions")."""
    return (
        Subscription.objects.filter(address_key=address_key)
        .select_related("post", "page", "comment")
        .order_by("-created_at", "-pk")
    )


def subscriptions_purge_unconfirmed(*, now=None):
    """Drop the subscriptions nobody confirmed within COMMENTS_SUBSCRIPTION_CONFIRM_DAYS."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.COMMENTS_SUBSCRIPTION_CONFIRM_DAYS)
    deleted, _by_model = Subscription.objects.unconfirmed().filter(created_at__lt=cutoff).delete()
    return deleted


# Telling the followers ---------------------------------------------------------

READER_KINDS = (SentEmail.Kind.PUBLISHED, SentEmail.Kind.REPLY, SentEmail.Kind.NEW_COMMENT)


def notify_followers(*, comment, base_url=""):
    """
    `comment` is approved: tell its writer (when they asked, and it had waited), the writer
    of the comment it answers, and the followers of the post. Only confirmed subscriptions;
    never for a pending or spam comment; never twice about one comment to one address (an
    approval, a report and a second approval send nothing new); never to whoever wrote it.
    Returns the number of e-mails sent.
    """
    if comment.status != Comment.Status.APPROVED:
        return 0
    try:
        return _notify_followers(comment, base_url)
    except Exception:  # an e-mail problem never fails the approval that caused it
        logger.exception("Could not tell the followers of comment %s", comment.pk)
        return 0


def _notify_followers(comment, base_url):
    told = {
        email.casefold()
        for email in SentEmail.objects.filter(comment=comment, kind__in=READER_KINDS).values_list(
            "email", flat=True
        )
    }
    writer = (comment.author_email or "").casefold()
    followers = (
        Subscription.objects.confirmed()
        .filter(**comment.on_content)
        .filter(
            Q(comment=comment)
            | Q(scope=Subscription.Scope.POST)
            | (Q(scope=Subscription.Scope.REPLIES) & Q(comment_id=comment.parent_id))
        )
        .select_related("post", "page", "comment")
        .order_by("pk")
    )
    kinds = []
    for subscription in followers:
        if subscription.comment_id == comment.pk:
            kinds.append((0, subscription, SentEmail.Kind.PUBLISHED))
        elif comment.parent_id and subscription.comment_id == comment.parent_id:
            kinds.append((1, subscription, SentEmail.Kind.REPLY))
        else:
            kinds.append((2, subscription, SentEmail.Kind.NEW_COMMENT))
    sent = 0
    # The most personal e-mail first: one who follows both their comment and the post gets the reply.
    for _rank, subscription, kind in sorted(kinds, key=lambda item: item[0]):
        address = subscription.email.casefold()
        if address in told or (address == writer and kind != SentEmail.Kind.PUBLISHED):
            continue
        told.add(address)
        sent += _notify(subscription=subscription, comment=comment, kind=kind, base_url=base_url)
    return sent


def _notify(*, subscription, comment, kind, base_url):
    links = subscription_links(subscription, base_url=base_url)
    subject, body = render_email(
        kind,
        {
            "subscription": subscription,
            "comment": comment,
            "post": comment.content,
            "comment_url": absolute_url(comment.get_absolute_url(), base_url=base_url),
            **links,
        },
    )
    return send_logged(
        kind=kind,
        to=subscription.email,
        subject=subject,
        body=body,
        comment=comment,
        subscription=subscription,
        headers=unsubscribe_headers(links["unsubscribe_url"]),
    )


def announce_approved(*, comment, base_url=""):
    """
    Tell the post's author (when their profile asks) and the discussion's followers of a
    comment published at once, in the background once it is committed, as pending comments
    are announced to their moderators: the reader's request never waits on it.
    """
    transaction.on_commit(
        partial(notify_approved_task.enqueue, comment_id=comment.pk, base_url=base_url), robust=True
    )


@task()
def notify_approved_task(*, comment_id, base_url=""):
    comment = (
        Comment.objects.select_related("post__author__user", "page", "user").filter(pk=comment_id).first()
    )
    if comment is None or comment.status != Comment.Status.APPROVED:
        return 0  # deleted or moderated away meanwhile
    return notify_post_author(comment=comment, base_url=base_url) + notify_followers(
        comment=comment, base_url=base_url
    )
