from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.http import Http404, HttpResponsePermanentRedirect

from blog.models import Page, Post
from blog.selectors import readable_pages, readable_posts
from core.links import absolute_url

from .wp_api import ids

# WordPress's own short addresses: /?p=123 (any post), /?page_id=123 (a page).
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class WordPressIdRedirectMiddleware:
    """
    Answer WordPress's `/?p=ID` and `/?page_id=ID` with a 301 to the post or page of that id.

    django.contrib.redirects only looks for a redirect when the response is a
    404, and `/?p=123` is the home page (200) to Django, which matches URLs on
    their path alone. So these addresses are looked up here, before the home
    page answers; any other request passes through without a query. The id is
    the one the WordPress-compatible API answers with (the WordPress id of
    imported content). Content the visitor may not read (a draft, a scheduled
    or private post) is a 404 as its own address is: a redirect would reveal
    its slug. An id no content has falls back to the importer's Redirect rows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for name in WORDPRESS_ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit() and len(value) <= 18:
                    target = self.target(request, name, int(value))
                    if target:
                        return HttpResponsePermanentRedirect(target)
        return self.get_response(request)

    @staticmethod
    def target(request, name, wordpress_id):
        kinds = [("post", Post, readable_posts), ("page", Page, readable_pages)]
        for kind, model, readable in kinds if name == "p" else kinds[1:]:
            found = model.objects.filter(ids.matching(kind, [wordpress_id])).first()
            if found is not None:
                if not readable(request.user).filter(pk=found.pk).exists():
                    raise Http404
                return found.get_absolute_url()
        return (
            Redirect.objects.filter(site=get_current_site(request), old_path=f"/?{name}={wordpress_id}")
            .values_list("new_path", flat=True)
            .first()
        )


class ApiDiscoveryLinkMiddleware:
    """
    Announce the WordPress-compatible API on every page, as WordPress does
    (`Link: <…/wp-json/>; rel="https://api.w.org/"`): WordPress clients
    (wpapi's `discover()`, the block editor's tools) find the API from it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not response.has_header("Link"):
            response["Link"] = f'<{absolute_url("/wp-json/", request=request)}>; rel="https://api.w.org/"'
        return response
