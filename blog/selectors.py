"""
What a user may read, one selector per content kind: site pages, API, feeds,
sitemap, search and the comments app all start from these, or from
`published()` (the one definition of public) where only public content belongs.
The rule itself is `blog.permissions.can_read`; these are its querysets.
"""

from django.db import models

from .models import Autosave, Page, Post
from .permissions import PREVIEW_ALL, PREVIEW_OWN, can_preview_pages, preview_scope


def readable_posts(user):
    """Public posts, plus the drafts and scheduled posts `user` may preview."""
    scope = preview_scope(user)
    if scope == PREVIEW_ALL:
        return Post.objects.all()
    if scope == PREVIEW_OWN:
        return Post.objects.published() | Post.objects.filter(author__user=user)
    return Post.objects.published()


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
