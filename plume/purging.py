"""
What a content change purges from the HTTP caches in front (Varnish, a CDN).

Every public answer names what it shows with surrogate keys (core/surrogate.py): an
object's own key (`post-42`, `author-7`...) wherever it is shown, and a list's key
where membership matters (`home`, `feed`, `search`, `sitemap`, `post-list`,
`category-3-posts`, `tag-9-posts`, `author-7-posts`; `menu` on every HTML page).
`purge_on_change` hears every change (core.changes.content_changed, wired once in
plume/changes.py beside the response cache's invalidation) and hands it to the function
below for its kind and phase, which turns it into exactly those keys;
core.surrogate.purge_keys sends them after the commit, in the background.

A scheduled post or page goes live without any write: blog.tasks.announce_publication,
run at its publication time, sends `content_published` (a "published" change), which
purges what its arrival changes (computed then, so a category added after the save counts).
"""

import logging

from authors.models import Author
from blog.models import Category, Page, Post, Tag
from comments.models import Comment, changed_comments_keys
from core import surrogate
from core.models import SiteSettings

logger = logging.getLogger(__name__)

# The lists every public post is in, whatever its author or categories.
POST_LISTS = ["home", "feed", "search", "sitemap", "post-list"]


def purge_on_change(sender, instance, change, raw=False, **kwargs):
    """content_changed receiver. Without cache servers to purge, a change costs nothing: not even
    the queries for its keys; loading fixtures purges nothing."""
    if raw or not surrogate.purge_urls():
        return
    if change == "everything":
        surrogate.purge_keys([surrogate.SITE_KEY])
        return
    receiver = RECEIVERS.get((sender, change))
    if receiver is not None:
        receiver(sender=sender, instance=instance, **kwargs)


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


def remember_post_state(sender, instance, **kwargs):
    """Before a save: whether the stored post was public, so that drafts being written purge nothing."""
    instance._purge_was_public = (
        instance.pk is not None and Post.objects.published().filter(pk=instance.pk).exists()
    )


def post_saved(sender, instance, **kwargs):
    # A scheduled post purges nothing now: its going live does (post_went_live).
    if getattr(instance, "_purge_was_public", True) or instance.is_public:
        surrogate.purge_keys(post_keys(instance))


def saved_live(instance):
    """Saved at or after its publication time (published now): its save purged it then."""
    return instance.updated_at is not None and instance.updated_at >= instance.published_at


def post_went_live(sender, instance, **kwargs):
    """`content_published`: the lists a post joins when it goes live, unless its save did it."""
    if not saved_live(instance):
        surrogate.purge_keys(post_keys(instance))


def post_deleting(sender, instance, **kwargs):
    """pre_delete: its categories and tags are still there to be read."""
    if Post.objects.published().filter(pk=instance.pk).exists():
        surrogate.purge_keys(post_keys(instance))


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


def page_changed(sender, instance, **kwargs):
    # Every HTML page shows the menu of pages (and post pages the privacy page's link).
    surrogate.purge_keys([*surrogate.object_keys(instance), "menu", "sitemap", "page-list"])


def page_went_live(sender, instance, **kwargs):
    """`content_published`: a scheduled page joins the menu, the sitemap and the list at its time."""
    if not saved_live(instance):
        page_changed(sender, instance)


def category_changed(sender, instance, **kwargs):
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


def tag_changed(sender, instance, **kwargs):
    surrogate.purge_keys([*surrogate.object_keys(instance), f"tag-{instance.pk}-posts", "tag-list"])


def author_changed(sender, instance, **kwargs):
    surrogate.purge_keys([*surrogate.object_keys(instance), f"author-{instance.pk}-posts", "author-list"])


def comment_changed(sender, instance, **kwargs):
    # (A new comment held for moderation is no change: core.changes.)
    surrogate.purge_keys(changed_comments_keys(instance.post_id, instance.page_id))


def site_settings_changed(sender, instance, **kwargs):
    # The site's name and colours are on every HTML page; feeds keep them until they expire.
    surrogate.purge_keys(["menu"])


RECEIVERS = {
    (Post, "saving"): remember_post_state,
    (Post, "saved"): post_saved,
    (Post, "published"): post_went_live,
    (Post, "deleting"): post_deleting,
    (Page, "published"): page_went_live,
    (Post.categories.through, "related"): post_terms_changed,
    (Post.tags.through, "related"): post_terms_changed,
    **{
        (model, change): receiver
        for model, receiver in (
            (Page, page_changed),
            (Category, category_changed),
            (Tag, tag_changed),
            (Author, author_changed),
            (Comment, comment_changed),
            (SiteSettings, site_settings_changed),
        )
        for change in ("saved", "deleted")
    },
}
