"""
Addresses that survive edits: when a public post or page changes its slug, its
old address (and the addresses below it that higher apps register, such as a
post's comment feed) answers 301 to the new one, through django.contrib.redirects
as the WordPress importer's old permalinks do.

Chains collapse (A→B then B→C makes A→C), and a live post or page owns its
address: no redirect may start where it lives (a new post taking an old slug
wins; renaming back and forth makes no loop).
"""

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from ..extensions import post_subpaths


def addresses(obj, slug):
    """The paths a post or page answers at for `slug`: its page, then its registered sub-addresses."""
    page = reverse("blog:detail", kwargs={"slug": slug})
    below = post_subpaths() if obj._meta.model_name == "post" else []
    return [page, *(page + subpath for subpath in below)]


def addresses_follow(obj, *, old_slug, was_public):
    """After `obj` is saved: redirect its old addresses if it was public and moved; free its live ones."""
    site = {"site_id": settings.SITE_ID}
    new = addresses(obj, obj.slug)
    if obj.is_public:
        Redirect.objects.filter(**site, old_path__in=new).delete()
    if not (was_public and old_slug and old_slug != obj.slug):
        return
    for old_path, new_path in zip(addresses(obj, old_slug), new, strict=True):
        # Whatever pointed at the old address now points at the new one directly.
        Redirect.objects.filter(**site, new_path=old_path).update(new_path=new_path)
        Redirect.objects.update_or_create(**site, old_path=old_path, defaults={"new_path": new_path})
    Redirect.objects.filter(**site, old_path__in=new).delete()
