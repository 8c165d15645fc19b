from django.conf import settings

from .pages import menu_pages


def site(request):
    """The site's name, description and menu pages, for every template."""
    return {
        "site_name": settings.PLUME_SITE_NAME,
        "site_description": settings.PLUME_SITE_DESCRIPTION,
        # A list, read here once, not a callable the template would call (and query) itself.
        "menu_pages": menu_pages(request),
    }
