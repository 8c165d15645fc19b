"""
HTTP caching for the API's read endpoints: the API's side of the one response cache
(core/caching.py, which the site's pages and feeds use too: the same generation, keys and
invalidation).

What is the API's own: which query parameters can change an answer (read from the view's
filters, ordering, search and pagination), the headers kept with a cached answer
(pagination totals), and its Cache-Control: anonymous answers are public for
PLUME_API_CACHE_SECONDS, others private and always revalidated, and both vary on
`Accept-Language`, `Authorization` and `Cookie`.

A view may set `etag_version` on its answer (blog's posts do): the ETag then starts with
that version (core.caching.answer). A view whose `shares_answer(request)` is False (a
preview token's) answers that request alone: never cached, `private, no-store`.
"""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework.settings import api_settings

from core.caching import answer as cached_answer

# The shared mechanism, under the names the API's callers have always imported.
from core.caching import (  # noqa: F401 - re-exported
    content_state,
    current_generation,
    invalidate,
    register_publications,
)

# Anonymous answers differ from those for a logged-in user or a token on the same URL.
VARY = ["Accept-Language", "Authorization", "Cookie"]
# DRF's paginators name their parameters in these attributes.
PAGINATION_PARAMS = (
    "page_query_param",
    "page_size_query_param",
    "limit_query_param",
    "offset_query_param",
    "cursor_query_param",
)


def max_age():
    return settings.PLUME_API_CACHE_SECONDS


def accepted_query_params(view):
    """The query parameters that can change `view`'s answer: its filters, ordering, search, pagination.

    A view that reads another parameter itself names it in `cache_query_params`; mixins may
    each name theirs (every class's own tuple counts, not only the first found).
    """
    names = {*getattr(view, "cache_query_params", ())}
    for klass in type(view).__mro__:
        own = vars(klass).get("cache_query_params")
        if isinstance(own, tuple | list):
            names.update(own)
    if api_settings.URL_FORMAT_OVERRIDE:
        names.add(api_settings.URL_FORMAT_OVERRIDE)
    paginator = getattr(view, "pagination_class", None)
    for attribute in PAGINATION_PARAMS:
        names.add(getattr(paginator, attribute, None))
    for backend in getattr(view, "filter_backends", ()):
        names.add(getattr(backend, "ordering_param", None))
        names.add(getattr(backend, "search_param", None))
        if hasattr(backend, "get_filterset_class"):
            names.update(_filterset_params(view))
    names.discard(None)
    return names


def _filterset_params(view):
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return set(getattr(view, "filterset_fields", None) or ())
    names = set()
    for name, filter_ in filterset_class.base_filters.items():
        widget = filter_.extra.get("widget") or filter_.field_class.widget
        # A range filter reads name_min and name_max (django-filter's SuffixedMultiWidget).
        suffixes = getattr(widget, "suffixes", None) or [""]
        names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes)
    return names


class HttpCachingMixin:
    # For API views: validators and 304s on every GET, a shared cache for anonymous GETs.
    # (A comment, not a docstring: drf-spectacular would show it as every view's description.)
    # Headers of the answer that are part of it and kept with it (pagination totals, say).
    cached_headers = ()

    def shares_answer(self, request):
        """False when the answer to `request` (a Django HttpRequest) is its own: never cached."""
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        if not self.shares_answer(request):
            # An answer the view says is for this request alone (a preview token): kept nowhere.
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, VARY)
            return response
        found = cached_answer(
            request,
            accepted=accepted_query_params(self),
            respond=lambda: super(HttpCachingMixin, self).dispatch(request, *args, **kwargs),
            # Stored only when authentication, too, found nobody (tests force_authenticate, say).
            shareable=lambda response: not self.request.user.is_authenticated,
            kept_headers=self.cached_headers,
        )
        response = found.response
        if response.status_code != 200:
            return response
        last_modified = int(found.generation["changed_at"].timestamp())
        response["Last-Modified"] = http_date(last_modified)
        if found.public:
            patch_cache_control(response, public=True, max_age=max_age())
        else:
            # Drafts and other per-user answers: never stored by shared caches, always revalidated.
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
