"""
Compressed answers, except those that carry a secret (BREACH).

A page compressed together with a secret and text an attacker can make it reflect leaks
the secret through the compressed size. The CSRF token is the secret Plume's pages carry:
a response that rendered one (`get_token()` flags the request) goes out uncompressed.
Anonymous pages without a form compress, as do feeds, the sitemap and the API.
"""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware


def carries_csrf_token(request, response):
    """
    Whether the page rendered a CSRF token: `get_token()` flags the request, and the CSRF
    middleware (or a view's csrf_protect, which runs it early and clears the flag) then sets
    the cookie on this response.
    """
    return bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or settings.CSRF_COOKIE_NAME in response.cookies


class BreachSafeGZipMiddleware(GZipMiddleware):
    """
    Django's GZipMiddleware, skipped when the response carries a CSRF token. It must sit
    below CsrfViewMiddleware in MIDDLEWARE: CsrfViewMiddleware clears the flag once it has
    set the cookie, and a middleware's response hook runs before those listed above it.
    """

    def process_response(self, request, response):
        if carries_csrf_token(request, response):
            return response
        return super().process_response(request, response)
