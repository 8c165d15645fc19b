from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponsePermanentRedirect

# WordPress's own short addresses: /?p=123 (any post), /?page_id=123 (a page).
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


class WordPressIdRedirectMiddleware:
    """
    Answer WordPress's `/?p=ID` and `/?page_id=ID` with the redirect the importer stored.

    django.contrib.redirects only looks for a redirect when the response is a
    404, and `/?p=123` is the home page (200) to Django, which matches URLs on
    their path alone. So these addresses are looked up here, in the same
    Redirect table, before the home page answers; any other request passes
    through without a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for name in WORDPRESS_ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit():
                    new_path = (
                        Redirect.objects.filter(
                            site=get_current_site(request), old_path=f"/?{name}={int(value)}"
                        )
                        .values_list("new_path", flat=True)
                        .first()
                    )
                    if new_path:
                        return HttpResponsePermanentRedirect(new_path)
        return self.get_response(request)


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
            response["Link"] = f'<{request.build_absolute_uri("/wp-json/")}>; rel="https://api.w.org/"'
        return response
