"""
The ids the WordPress-compatible API answers with.

Imported content keeps its WordPress id (the `wordpress_id` columns), so a
frontend written for the old site finds the same post at the same
`/wp-json/wp/v2/posts/<id>`. Content written in Plume has no WordPress id: it
answers with `NATIVE_OFFSETS[kind] + pk`. Every offset is at least 10^9, far
above the ids of any real WordPress site, so the two never collide; the kinds
WordPress keeps in one table (posts, pages and attachments; categories and
tags) get offsets 10^9 apart, so they do not collide with each other either.

    posts 1,000,000,000 + pk    categories 1,000,000,000 + pk    users    1,000,000,000 + pk
    pages 2,000,000,000 + pk    tags       2,000,000,000 + pk    comments 1,000,000,000 + pk
    media 3,000,000,000 + pk of the post whose featured image it is

Media are not imported (featured images stay at their old URLs): each post's
featured image is one media item, always numbered from its post.

`export_wordpress` writes these ids, so a site moved to another Plume answers
with the same ids there: they come back as WordPress ids. (Content written on
the new site afterwards could, in principle, be numbered like one of them; the
imported row answers first.)
"""

from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

SPAN = 10**9
NATIVE_OFFSETS = {
    "post": SPAN,
    "page": 2 * SPAN,
    "media": 3 * SPAN,
    "category": SPAN,
    "tag": 2 * SPAN,
    "user": SPAN,
    "comment": SPAN,
}


def wp_id(kind, wordpress_id, pk):
    if kind != "media" and wordpress_id:
        return wordpress_id
    return NATIVE_OFFSETS[kind] + pk


def id_of(obj, kind):
    return wp_id(kind, getattr(obj, "wordpress_id", None), obj.pk)


def native_pk(kind, value):
    """The pk an API id stands for when it is a native id, else None."""
    offset = NATIVE_OFFSETS[kind]
    return value - offset if offset < value < offset + SPAN else None


def matching(kind, ids, prefix=""):
    """A filter for the rows these API ids stand for (nothing when `ids` is empty)."""
    ids = list(ids)
    natives = [pk for pk in (native_pk(kind, value) for value in ids) if pk is not None]
    if kind == "media":
        return Q(**{f"{prefix}pk__in": natives})
    # Every id may be a WordPress id: content moved from another Plume keeps its native ids as such.
    imported = [value for value in ids if value > 0]
    return Q(**{f"{prefix}wordpress_id__in": imported}) | Q(
        **{f"{prefix}wordpress_id__isnull": True, f"{prefix}pk__in": natives}
    )


def ordering(kind):
    """The API id as an expression, to sort by (`orderby=id`)."""
    if kind == "media":
        return F("pk")
    return Coalesce(F("wordpress_id"), F("pk") + Value(NATIVE_OFFSETS[kind]))
