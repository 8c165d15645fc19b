from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Post, Status
from ..permissions import can_publish
from ..signals import content_saved
from .addresses import addresses_follow
from .golive import schedule_announcement
from .revisions import revision_record


@transaction.atomic
def post_publish(*, post, by, published_at=None):
    """
    Publish `post` as `by`, now or at `published_at` (a future date schedules it).

    Refuses with PermissionDenied when `by` may not publish it (a contributor,
    or an author and someone else's post).
    """
    if not can_publish(by, post):
        raise PermissionDenied(_("You are not allowed to publish this post."))
    was_public = post.is_public
    post.status = Status.PUBLISHED
    post.review_note = ""
    if published_at is not None:
        post.published_at = published_at
    elif post.published_at is None:
        post.published_at = timezone.now()
    post.full_clean()
    post.save()
    revision_record(post, by=by)
    addresses_follow(post, old_slug=post.slug, was_public=False)
    schedule_announcement(post, was_public=was_public)
    content_saved.send(sender=Post, instance=post, created=False, was_public=was_public)
    return post


@transaction.atomic
def post_unpublish(*, post, by):
    """Put `post` back to draft; the same people who may publish it may take it down."""
    if not can_publish(by, post):
        raise PermissionDenied(_("You are not allowed to unpublish this post."))
    was_public = post.is_public
    post.status = Status.DRAFT
    post.full_clean()
    post.save()
    revision_record(post, by=by)
    content_saved.send(sender=Post, instance=post, created=False, was_public=was_public)
    return post
