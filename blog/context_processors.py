from .pages import menu_pages


def site(request):
    """The menu pages, for every template (the site's name and tagline: core.context_processors)."""
    # A list, read here once, not a callable the template would call (and query) itself.
    return {"menu_pages": menu_pages(request)}
