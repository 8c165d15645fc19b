"""Writing posts: create, change, delete. The admin and the API call these alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from authors.services import author_for_user

from ..models import Post, Status
from ..permissions import can_create, can_delete, can_edit, can_publish, can_write_as


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
    return _save(Post(author=author, **fields), by=by, categories=categories, tags=tags)


@transaction.atomic
def post_update(*, post, by, categories=None, tags=None, **fields):
    """
    Change `post` as `by`: the given fields, and the categories and tags when given.
    PermissionDenied when `by` may not edit it (blog.permissions.can_edit); the same
    ValidationErrors as `post_create` for a new author or a published status.
    """
    if not can_edit(by, post):
        raise PermissionDenied(_("You are not allowed to change this post."))
    author = fields.get("author")
    if author is not None and author.pk != post.author_id and not can_write_as(by, author):
        raise ValidationError({"author": _("You may only write your own posts.")})
    for name, value in fields.items():
        setattr(post, name, value)
    return _save(post, by=by, categories=categories, tags=tags)


def post_delete(*, post, by):
    if not can_delete(by, post):
        raise PermissionDenied(_("You are not allowed to delete this post."))
    post.delete()


def _save(post, *, by, categories, tags):
    if post.status == Status.PUBLISHED and not can_publish(by, post):
        raise ValidationError(
            {"status": _("You may not publish posts: save it as a draft and ask an editor.")}
        )
    post.full_clean()
    post.save()
    if categories is not None:
        post.categories.set(categories)
    if tags is not None:
        post.tags.set(tags)
    return post
