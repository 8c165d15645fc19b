"""Writing posts: create, change, delete. The admin and the API call these alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from authors.services import author_for_user

from ..models import Post, Status
from ..notifications import notify_reviewers
from ..permissions import can_create, can_delete, can_edit, can_publish, can_write_as
from ..signals import content_deleted, content_saved
from .addresses import addresses_follow
from .golive import schedule_announcement
from .revisions import revision_record
from .versions import version_check


@transaction.atomic
def post_create(*, by, author=None, categories=None, tags=None, **fields):
    """
    A new post written by `by`, signed by `author` (by default `by`, whose author
    profile is created on first need). PermissionDenied when `by` may not write
    posts; ValidationError on `author` or `status` when `by` may not sign as that
    author or publish the post.
    """
    if not can_create(by):
        raise PermissionDenied(_("You are not allowed to write posts."))
    if author is None:
        author = author_for_user(user=by)
    elif not can_write_as(by, author):
        raise ValidationError({"author": _("You may only write your own posts.")})
    post = _save(Post(author=author, **fields), by=by, categories=categories, tags=tags)
    addresses_follow(post, old_slug=None, was_public=False)
    content_saved.send(sender=Post, instance=post, created=True, was_public=False)
    return post


@transaction.atomic
def post_update(*, post, by, categories=None, tags=None, expected_version=None, **fields):
    """
    Change `post` as `by`: the given fields, and the categories and tags when given.
    PermissionDenied when `by` may not edit it (blog.permissions.can_edit); the same
    ValidationErrors as `post_create` for a new author or a published status;
    StaleVersion when `expected_version` is given and someone saved the post since
    (blog.versions), so a save from an old copy never overwrites a newer one.
    """
    if not can_edit(by, post):
        raise PermissionDenied(_("You are not allowed to change this post."))
    version_check(post, expected_version)
    author = fields.get("author")
    if author is not None and author.pk != post.author_id and not can_write_as(by, author):
        raise ValidationError({"author": _("You may only write your own posts.")})
    was, old_slug, was_public = post.status, post.slug, post.is_public
    for name, value in fields.items():
        setattr(post, name, value)
    post = _save(post, by=by, categories=categories, tags=tags, was=was, was_public=was_public)
    addresses_follow(post, old_slug=old_slug, was_public=was_public)
    content_saved.send(sender=Post, instance=post, created=False, was_public=was_public)
    return post


def post_delete(*, post, by):
    if not can_delete(by, post):
        raise PermissionDenied(_("You are not allowed to delete this post."))
    with transaction.atomic():
        content_deleted.send(sender=Post, instance=post, was_public=post.is_public)
        post.delete()


def _save(post, *, by, categories, tags, was=None, was_public=False):
    if post.status == Status.PUBLISHED and not can_publish(by, post):
        raise ValidationError(
            {"status": _("You may not publish posts: submit it for review and an editor will publish it.")}
        )
    submitted = post.status == Status.PENDING and was != Status.PENDING
    if submitted:
        post.submitted_at = timezone.now()
    if post.status == Status.PUBLISHED:
        post.review_note = ""  # reviewed: the note has done its work
    post.full_clean()
    post.save()
    if categories is not None:
        post.categories.set(categories)
    if tags is not None:
        post.tags.set(tags)
    revision_record(post, by=by)
    schedule_announcement(post, was_public=was_public)
    if submitted:
        notify_reviewers(post, by=by)
    return post
