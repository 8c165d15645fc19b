"""
Reads the comments app's forms, views and services share: which stored comment a reply goes
under, and which comments a reader may report.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from blog.models import Page, Post

from .content import on
from .models import Comment
from .threads import max_depth_setting


def attach_point(parent):
    """
    The comment a reply to `parent` is stored under: `parent` itself, or, when
    that would nest deeper than COMMENTS_MAX_DEPTH, its ancestor one level
    above the cap (so the reply shows right next to the deepest comments).
    """
    chain = [parent]
    seen = {parent.pk}
    current = parent
    while current.parent_id is not None and current.parent_id not in seen:
        current = Comment.objects.only("pk", "parent_id", "post_id", "page_id", "status").get(
            pk=current.parent_id
        )
        chain.append(current)
        seen.add(current.pk)
    # chain: parent first, root last; parent's depth is len(chain).
    depth_of_reply = len(chain) + 1
    max_depth = max_depth_setting()
    if depth_of_reply <= max_depth:
        return parent
    if max_depth == 1:
        return None
    return chain[len(chain) - (max_depth - 1)]


def find_parent(*, post, parent_id):
    """
    The comment a reply to `parent_id` is stored under; ValidationError when it is not on `post`
    (a post or a page).
    A comment held as spam is a parent like a pending one: its writer, who sees it as
    awaiting moderation, must get the same answer to a reply either way.
    """
    parent = (
        Comment.objects.filter(
            pk=parent_id,
            **on(post),
            status__in=[Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM],
        )
        .only("pk", "parent_id", "post_id", "page_id", "status")
        .first()
    )
    if parent is None:
        raise ValidationError(_("The comment you are replying to does not exist on this post."))
    return attach_point(parent)


def reportable_comments():
    """The comments a reader may report (site and API alike): published ones, on published posts and pages."""
    public = Q(post__in=Post.objects.published()) | Q(page__in=Page.objects.published())
    return Comment.objects.approved().filter(public)
