"""
What a content change purges from the HTTP caches in front (Varnish, a CDN).

Every public answer names what it shows with surrogate keys (core/surrogate.py): an
object's own key (`post-42`, `author-7`...) wherever it is shown, and a list's key
where membership matters (`home`, `feed`, `search`, `sitemap`, `post-list`,
`category-3-posts`, `tag-9-posts`, `author-7-posts`; `menu` on every HTML page). The
receivers below, connected in plume/api/apps.py beside the API cache's, turn a change
into exactly those keys; core.surrogate.purge_keys sends them after the commit, in the
background.

A scheduled post goes live without any write: saving it schedules `post_went_live`
for its publication time, which purges what its arrival changes (computed then, so a
category added after the save counts).
"""

import logging
from functools import wraps

from django.db import transaction
from django_tasks import task

from blog.models import Category, Post
from comments.models import changed_comments_keys
from core import surrogate

logger = logging.getLogger(__name__)

# The lists every public post is in, whatever its author or categories.
POST_LISTS = ["home", "feed", "search", "sitemap", "post-list"]


def when_purging(receiver):
    """Without cache servers to purge, a change costs nothing: not even the queries for its keys."""

    @wraps(receiver)
    def receive(*args, **kwargs):
        if surrogate.purge_urls():
            receiver(*args, **kwargs)

    return receive


def post_keys(post, *, category_ids=None, tag_ids=None):
    """The keys of the answers that show `post` or would list it."""
    if category_ids is None:
        category_ids = list(post.categories.values_list("pk", flat=True))
    if tag_ids is None:
        tag_ids = list(post.tags.values_list("pk", flat=True))
    # Its neighbours now: their pages get a new "previous" or "next" link (those that
    # linked to it before carry its own key).
    # A fresh instance: `post` may remember the neighbours it had before this change.
    stored = Post(pk=post.pk, published_at=post.published_at)
    neighbours = {"previous": stored.get_previous_published(), "next": stored.get_next_published()}
    return [
        f"post-{post.pk}",
        *POST_LISTS,
        f"author-{post.author_id}-posts",
        *(f"category-{pk}-posts" for pk in category_ids),
        *(f"tag-{pk}-posts" for pk in tag_ids),
        *(f"post-{other.pk}-page" for other in neighbours.values() if other),
    ]


@when_purging
def remember_post_state(sender, instance, raw=False, **kwargs):
    """pre_save: whether the stored post was public, so that drafts being written purge nothing."""
    instance._purge_was_public = (
        not raw and instance.pk is not None and Post.objects.published().filter(pk=instance.pk).exists()
    )


@when_purging
def post_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.is_scheduled:
        pk, published_at = instance.pk, instance.published_at
        transaction.on_commit(lambda: schedule_go_live(pk, published_at), robust=True)
    if getattr(instance, "_purge_was_public", True) or instance.is_public:
        surrogate.purge_keys(post_keys(instance))


def schedule_go_live(post_id, published_at):
    if not post_went_live.get_backend().supports_defer:
        logger.warning("The task backend cannot schedule: post %s going live purges nothing", post_id)
        return
    post_went_live.using(run_after=published_at).enqueue(
        post_id=post_id, published_at=published_at.isoformat()
    )


@task()
def post_went_live(*, post_id, published_at):
    """At a scheduled post's publication time: purge the lists it joins."""
    post = Post.objects.filter(pk=post_id).first()
    if post is None or not post.is_public or post.published_at.isoformat() != published_at:
        return False  # deleted, unpublished or rescheduled since (a new go-live is scheduled then)
    surrogate.purge_keys(post_keys(post))
    return True


@when_purging
def post_deleting(sender, instance, **kwargs):
    """pre_delete: its categories and tags are still there to be read."""
    if Post.objects.published().filter(pk=instance.pk).exists():
        surrogate.purge_keys(post_keys(instance))


@when_purging
def post_terms_changed(sender, instance, action, pk_set, reverse, **kwargs):
    """A post filed under other categories or tags, from either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    prefix, field = ("category", "categories") if sender is Post.categories.through else ("tag", "tags")
    if reverse:  # instance is the category or tag, pk_set the posts
        post_ids, term_ids = pk_set if pk_set is not None else instance.posts.values("pk"), [instance.pk]
    else:
        post_ids = [instance.pk]
        term_ids = pk_set if pk_set is not None else getattr(instance, field).values_list("pk", flat=True)
    # A scheduled post's go-live reads its terms when it runs; a draft is in no list.
    public = list(Post.objects.published().filter(pk__in=post_ids).values_list("pk", flat=True))
    if public:
        keys = [*(f"post-{pk}" for pk in public), *(f"{prefix}-{pk}-posts" for pk in term_ids), "post-list"]
        surrogate.purge_keys(keys)


@when_purging
def page_changed(sender, instance, raw=False, **kwargs):
    # Every HTML page shows the menu of pages (and post pages the privacy page's link).
    if not raw:
        surrogate.purge_keys([*surrogate.object_keys(instance), "menu", "sitemap", "page-list"])


@when_purging
def category_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # Its ancestors' lists take in its posts, and show its name among their subcategories.
    ancestors, parent = [], instance.parent_id
    seen = {instance.pk}
    while parent is not None and parent not in seen:
        seen.add(parent)
        ancestors.append(f"category-{parent}")
        parent = Category.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
    surrogate.purge_keys(
        [*surrogate.object_keys(instance), f"category-{instance.pk}-posts", "category-list", *ancestors]
    )


@when_purging
def tag_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        surrogate.purge_keys([*surrogate.object_keys(instance), f"tag-{instance.pk}-posts", "tag-list"])


@when_purging
def author_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        surrogate.purge_keys([*surrogate.object_keys(instance), f"author-{instance.pk}-posts", "author-list"])


@when_purging
def comment_saved(sender, instance, created=False, raw=False, **kwargs):
    """As the API cache: a new comment that is not approved changes no public answer."""
    if raw or (created and instance.status != instance.Status.APPROVED):
        return
    surrogate.purge_keys(changed_comments_keys(instance.post_id, instance.page_id))


@when_purging
def comment_deleted(sender, instance, **kwargs):
    surrogate.purge_keys(changed_comments_keys(instance.post_id, instance.page_id))
