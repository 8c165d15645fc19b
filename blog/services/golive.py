"""
Going live is an event: after a post is saved published and not yet announced
for its date, a task is enqueued for that date (at once when the date has come)
that checks the post is live and sends `post_published` once.
"""

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..models import Status
from ..tasks import announce_publication

logger = logging.getLogger(__name__)


def schedule_announcement(post):
    if (
        post.status != Status.PUBLISHED
        or post.published_at is None
        or post.announced_for == post.published_at
    ):
        return
    if post.published_at > timezone.now():
        if not announce_publication.get_backend().supports_defer:
            logger.warning("The task backend cannot run a task later: %s will go live unannounced", post.pk)
            return
        enqueue = announce_publication.using(run_after=post.published_at).enqueue
    else:
        enqueue = announce_publication.enqueue
    # After commit: the worker must read the saved post; robust: a queue that is down never fails the save.
    transaction.on_commit(partial(enqueue, post_id=post.pk), robust=True)
