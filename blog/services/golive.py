"""
Going live is an event, for posts and pages alike: after one is saved published and not
yet announced for its date, a task is enqueued for that date (at once when the date has
come) that checks it is live and sends `content_published` once.

Unpublishing or moving the date needs no cancelling: the task checks when it runs, and
finds a draft, a later date (whose own save enqueued its own task) or a date announced.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..models import Post, Status
from ..tasks import announce_publication

logger = logging.getLogger(__name__)


def schedule_announcement(content, *, was_public):
    """
    After a save of `content` (a post or a page): enqueue its go-live announcement when it
    is published and not yet announced for its date. `was_public`: readers saw it before the
    save, so it is not arriving now (an edit of a live post imported, or older than
    announcements, is no publication).
    """
    if (
        content.status != Status.PUBLISHED
        or content.published_at is None
        or content.announced_for == content.published_at
        or (was_public and content.is_public)
    ):
        return
    kind = "post_id" if isinstance(content, Post) else "page_id"
    if content.published_at > timezone.now():
        if not announce_publication.get_backend().supports_defer:
            logger.warning(
                "The task backend cannot run a task later: %s %s will go live unannounced",
                content._meta.model_name,
                content.pk,
            )
            return
        enqueue = announce_publication.using(run_after=content.published_at).enqueue
    else:
        enqueue = announce_publication.enqueue
    # After commit: the worker must read the saved row; robust: a queue that is down never fails the save.
    transaction.on_commit(partial(enqueue, **{kind: content.pk}), robust=True)


def schedule_announcements(queryset):
    """
    Enqueue the go-live announcement of every post or page of `queryset` still to go live
    (written in bulk, by an import, without the services' saves). Content already live is
    not arriving now: it is never announced.
    """
    for content in queryset.scheduled():
        schedule_announcement(content, was_public=False)
