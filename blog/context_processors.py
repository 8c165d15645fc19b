from .pages import menu_pages


def site(request):
    """The menu pages, for every template (the site's name and tagline: core.context_processors)."""
    return {"menu_pages": menu_pages}
