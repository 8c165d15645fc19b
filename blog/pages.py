"""The static pages every page of the site links to (menu, privacy policy), cached."""

from django.core.cache import cache

from core.changes import BEFORE

from .models import Page

SITE_PAGES_KEY = "plume:site-pages"
# The surrogate key (core.surrogate) of every page that shows the menu.
MENU_KEY = "menu"
# Saving any page shows changes at once, a scheduled page going live too (its go-live event,
# blog.tasks.announce_publication, is a "published" change); without a worker, within this time.
SITE_PAGES_SECONDS = 60


def site_pages(request=None):
    """
    The published pages, in menu order, with only what links to them need. Read once per
    `request` (the menu and the comment form's privacy link share it), even with no cache.
    """
    pages = getattr(request, "_plume_site_pages", None)
    if pages is not None:
        return pages
    # The cache never raises for an outage (core.cache.RedisCache answers as an empty one).
    pages = cache.get(SITE_PAGES_KEY)
    if pages is None:
        pages = list(Page.objects.published().only("title", "slug", "show_in_menu"))
        cache.set(SITE_PAGES_KEY, pages, SITE_PAGES_SECONDS)
    if request is not None:
        request._plume_site_pages = pages
    return pages


def menu_pages(request=None):
    return [page for page in site_pages(request) if page.show_in_menu]


def published_page(slug, request=None):
    return next((page for page in site_pages(request) if page.slug == slug), None)


def forget_site_pages(change="saved", **kwargs):
    """content_changed receiver: a page changed."""
    if change not in BEFORE:
        cache.delete(SITE_PAGES_KEY)
