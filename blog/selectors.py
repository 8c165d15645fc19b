"""
What a user may read, one selector per content kind: site pages, API, feeds,
sitemap, search and the comments app all start from these, or from
`published()` (the one definition of public) where only public content belongs.
The rule itself is `blog.permissions.can_read`; these are its querysets.
"""

import datetime

from django.db import models
from django.utils import timezone

from core.prepared import PreparedQuery

from .models import Autosave, Page, Post, prefetch_taxonomies
from .permissions import PREVIEW_ALL, PREVIEW_OWN, can_preview_pages, preview_scope


def readable_posts(user):
    """Public posts, plus the drafts and scheduled posts `user` may preview."""
    scope = preview_scope(user)
    if scope == PREVIEW_ALL:
        return Post.objects.all()
    if scope == PREVIEW_OWN:
        return Post.objects.published() | Post.objects.filter(author__user=user)
    return Post.objects.published()


def _public_detail(slug, now):
    return Post.objects.published(now).for_detail().with_comment_count().filter(slug=slug)


# A public post page or API detail, the most read answer without a cache: compiled once (core.prepared).
PUBLIC_DETAIL = PreparedQuery(Post, _public_detail, slug=str, now=datetime.datetime)


def readable_post(user, slug):
    """
    The post with this slug `user` may read, as `for_detail().with_comment_count()` gives it
    (its categories and tags prefetched), or None. For a reader who previews nothing, the
    published post through one prepared query and the two of its taxonomies.
    """
    if preview_scope(user) not in (PREVIEW_ALL, PREVIEW_OWN):
        found = PUBLIC_DETAIL.instances(slug=slug, now=timezone.now())
        if found:
            prefetch_taxonomies(found)
        return found[0] if found else None
    return readable_posts(user).for_detail().with_comment_count().filter(slug=slug).first()


def readable_pages(user):
    return Page.objects.all() if can_preview_pages(user) else Page.objects.published()


def posts_in_category(category, posts=None, *, category_ids=None):
    """
    The posts filed under `category` or any category below it, from `posts`
    (published ones by default). A subquery rather than a join, so a post filed
    under two of these categories comes once (and its comments are counted once).
    """
    posts = Post.objects.published() if posts is None else posts
    if category_ids is None:
        category_ids = category.descendant_ids()
    in_category = Post.categories.through.objects.filter(category_id__in=category_ids)
    return posts.filter(pk__in=in_category.values("post_id"))


def with_published_post_counts(queryset, relation):
    """
    `queryset` (authors, categories or tags) annotated with `post_count`, its
    published posts, through `relation`, the Post field pointing at it ("author",
    "categories", "tags"). A correlated subquery: counted only for the rows shown,
    and a post never counted twice.
    """
    published = Post.objects.published().filter(**{relation: models.OuterRef("pk")}).order_by()
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row per outer row.
    counted = published.annotate(n=models.Func("pk", function="COUNT")).values("n")
    return queryset.annotate(
        post_count=models.functions.Coalesce(models.Subquery(counted, output_field=models.IntegerField()), 0)
    )


def pending_autosave(user, kind, obj=None):
    """
    `user`'s autosave of `obj` (None: of a new post or page of `kind`) when it is worth
    offering: newer than the saved object, or kept from a refused save. One query.
    """
    owner = {"post": obj if kind == "post" else None, "page": obj if kind == "page" else None}
    autosave = Autosave.objects.filter(user=user, kind=kind, **owner).first()
    if autosave is None or obj is None or autosave.refused or autosave.saved_at > obj.updated_at:
        return autosave
    return None
