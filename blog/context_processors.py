from django.conf import settings

from .models import Page


def site(request):
    """The site's name, description and menu pages, for every template."""
    return {
        "site_name": settings.PLUME_SITE_NAME,
        "site_description": settings.PLUME_SITE_DESCRIPTION,
        "menu_pages": Page.objects.published().filter(show_in_menu=True).only("title", "slug"),
    }
