"""The static pages every page of the site links to (menu, privacy policy), cached."""

import logging

from django.core.cache import cache

from .models import Page

logger = logging.getLogger(__name__)

SITE_PAGES_KEY = "plume:site-pages"
# The surrogate key (core.surrogate) of every page that shows the menu.
MENU_KEY = "menu"
# A page scheduled to go live appears within this time; saving any page shows changes at once.
SITE_PAGES_SECONDS = 60


def site_pages():
    """The published pages, in menu order, with only what links to them need."""
    try:
        pages = cache.get(SITE_PAGES_KEY)
    except Exception:  # a cache that is down costs a query, never the page
        logger.warning("site pages: cache read failed, reading the database", exc_info=True)
        pages = None
    if pages is None:
        pages = list(Page.objects.published().only("title", "slug", "show_in_menu"))
        try:
            cache.set(SITE_PAGES_KEY, pages, SITE_PAGES_SECONDS)
        except Exception:
            logger.warning("site pages: cache write failed", exc_info=True)
    return pages


def menu_pages():
    return [page for page in site_pages() if page.show_in_menu]


def published_page(slug):
    return next((page for page in site_pages() if page.slug == slug), None)


def forget_site_pages(**kwargs):
    """Signal receiver: a page changed."""
    cache.delete(SITE_PAGES_KEY)
