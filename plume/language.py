"""
One language for the reader's site: the blog's, not the visitor's browser's.

Public pages are written in `LANGUAGE_CODE` whatever `Accept-Language` says, so that a
French blog never shows an English interface around French articles (and a page is the
same for every reader, which keeps it cacheable without `Vary: Accept-Language`).
The admin and the API's messages may follow the user, as Django's LocaleMiddleware does.
The API documentation is in English, the language of Swagger UI's own interface, so the
page reads in one language.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin

FOLLOW_THE_USER = ("/admin/", "/api/", "/wp-json/")
ENGLISH_ONLY = ("/api/docs/", "/api/schema/")


class SiteLanguageMiddleware(MiddlewareMixin):
    def process_request(self, request):
        path = request.path_info
        if path.startswith(ENGLISH_ONLY):
            language, request.language_follows_user = "en", False
        elif path.startswith(FOLLOW_THE_USER):
            language, request.language_follows_user = translation.get_language_from_request(request), True
        else:
            language, request.language_follows_user = settings.LANGUAGE_CODE, False
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(request, "language_follows_user", False):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
