"""HTTP caching for the read endpoints.

Every GET answer carries an ETag (a hash of its body) and a Last-Modified (when
the content last changed), and a matching If-None-Match or If-Modified-Since
gets a 304. Anonymous answers are public for PLUME_API_CACHE_SECONDS and kept in
the Django cache, so a repeated anonymous read runs no database query at all.

When the content last changed is the database's to say, never a process's: the
`ContentClock` row records the time of every change once it commits, and the
content's own publication dates cover a scheduled post going live without any
save. One query reads both (`content_state()`), so every process labels the
same content with the same Last-Modified, whenever it happens to cache it.

Invalidation is a "generation": one cache entry holding that state. Saving or
deleting a post, page, comment, author, category or tag drops it (signals wired
in `plume.api.apps`) and moves the clock; the next read reads the state again,
and every cached answer of the old generation is simply never looked up again.
Each generation also remembers the next scheduled publication and ends by
itself when that moment comes.

With a cache shared by every process (Redis), the generation in it is the truth.
With a per-process cache (local memory, the default) a change reaches the cache
of the process that made it only, so before rendering an answer or answering a
revalidation (If-None-Match, If-Modified-Since) the state is read from the
database again: a 304 is only ever given for a copy that is still current, and
an answer is never labelled older than its content. A plain repeated read may
still be served from that process's memory for PLUME_API_CACHE_SECONDS, as long
as browsers and proxies may keep it anyway; `check --deploy` warns (plume.W001).

Cache keys keep only the query parameters the view accepts (its filters,
ordering, search and pagination; `cache_query_params` for others), in a stable
order, so `?x=<random>` is served from the cache like the bare address.

Writes that bypass signals (`QuerySet.update()`, e.g. the GDPR eraser) should call
`invalidate()`; even without it, a cached answer lives PLUME_API_CACHE_SECONDS at most.

A view may set `etag_version` on its answer (blog's posts do): the ETag then starts with
that version, `"<version>-<hash>"`, so that a client's If-Match names the version it
read while If-None-Match still compares the whole tag.

Last-Modified has one-second precision (HTTP dates): two changes within one
second look alike to a client revalidating by date. ETag is the exact validator
and takes precedence when a client sends both, as browsers do.
"""

import datetime
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date
from rest_framework.settings import api_settings

from core import surrogate
from core.cache import is_per_process
from core.links import absolute_url
from core.models import ContentClock

GENERATION_KEY = "plume:api:generation"
PENDING_CHANGE_KEY = "plume:api:pending-change"
RESPONSE_KEY = "plume:api:response:{generation}:{language}:{url}"
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
    return getattr(settings, "PLUME_API_CACHE_SECONDS", 60)


# Callables returning two one-date querysets: the latest publication now live and the next
# one scheduled (`.values("published_at")[:1]`). The apps that schedule content register one
# in their AppConfig.ready(): the cache cannot import them.
publication_providers = []


def register_publications(provider):
    if provider not in publication_providers:
        publication_providers.append(provider)
    return provider


def content_state():
    """The content's current version, from the database in one query: {"id", "changed_at", "ends_at"}."""
    dates = {}
    for index, provider in enumerate(publication_providers):
        live, scheduled = provider()
        dates[f"live_{index}"] = Subquery(live)
        dates[f"scheduled_{index}"] = Subquery(scheduled)
    row = ContentClock.objects.filter(pk=1).annotate(**dates).values("changed_at", *dates).first()
    if row is None:
        # No change recorded yet (a new database): from now on, then.
        ContentClock.objects.get_or_create(pk=1, defaults={"changed_at": timezone.now()})
        row = ContentClock.objects.filter(pk=1).annotate(**dates).values("changed_at", *dates).first()
    # A change this process made in a transaction not yet committed (see invalidate()).
    pending = cache.get(PENDING_CHANGE_KEY)
    live = [row["changed_at"], pending, *(row[name] for name in dates if name.startswith("live_"))]
    changed_at = max(date for date in live if date is not None)
    ends_at = min((row[name] for name in dates if name.startswith("scheduled_") and row[name]), default=None)
    return {"id": changed_at.isoformat(), "changed_at": changed_at, "ends_at": ends_at}


def current_generation(*, verify=False):
    """The content's current version, as the cache remembers it; `verify`: as the database says.

    Returns (generation, read_from_the_database).
    """
    generation = cache.get(GENERATION_KEY)
    if generation is not None and not verify and not _ended(generation):
        return generation, False
    state = content_state()
    if state != generation:
        cache.set(GENERATION_KEY, state, timeout=None)
    return state, True


def _ended(generation):
    return generation["ends_at"] is not None and generation["ends_at"] <= timezone.now()


def invalidate(**kwargs):
    """Signal receiver: the content changed, so every cached answer is out of date."""
    cache.set(PENDING_CHANGE_KEY, timezone.now(), timeout=None)
    cache.delete(GENERATION_KEY)
    # The clock moves once the change is visible to every process: after the commit, once
    # per transaction (an import saves thousands of objects in one).
    connection = transaction.get_connection()
    if not any(callback is _record_change for _savepoints, callback, _robust in connection.run_on_commit):
        # Robust: the change is committed; a clock that cannot move must not turn it into a 500.
        transaction.on_commit(_record_change, robust=True)


def _record_change():
    now = timezone.now()
    with transaction.atomic():
        clock, created = ContentClock.objects.select_for_update().get_or_create(
            pk=1, defaults={"changed_at": now}
        )
        if not created:
            # Strictly later than the last change, even when this server's clock lags another's.
            clock.changed_at = max(now, clock.changed_at + datetime.timedelta(microseconds=1))
            clock.save(update_fields=["changed_at"])
    cache.delete(GENERATION_KEY)


def invalidate_for_comment(sender, instance, created, **kwargs):
    """A new comment that is not approved changes no public answer: spam must not empty the cache."""
    if created and instance.status != instance.Status.APPROVED:
        return
    invalidate()


def has_no_credentials(request):
    """Anonymous, as far as can be told without the database: no credentials, no session cookie."""
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def accepted_query_params(view):
    """The query parameters that can change `view`'s answer: its filters, ordering, search, pagination.

    A view that reads another parameter itself names it in `cache_query_params`.
    """
    names = {*getattr(view, "cache_query_params", ())}
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


def _canonical_url(request, view):
    """The address without the parameters the view ignores, the rest in a stable order."""
    accepted = accepted_query_params(view)
    params = sorted(
        ((name, value) for name, values in request.GET.lists() if name in accepted for value in values),
        key=lambda pair: pair[0],
    )
    # The origin the answer's links get (core.links), not the Host header as sent.
    return absolute_url(f"{request.path}?{urlencode(params)}", request=request)


def _response_key(request, view, generation):
    # Unknown parameters stay out of the key, so `?x=<random>` cannot get past the cache.
    url = hashlib.sha256(_canonical_url(request, view).encode()).hexdigest()
    return RESPONSE_KEY.format(generation=generation["id"], language=translation.get_language(), url=url)


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
        # A per-process cache may not have heard of a change another process made: ask the
        # database before answering a revalidation, and before rendering (below).
        per_process = is_per_process()
        revalidation = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        generation, verified = current_generation(verify=per_process and revalidation)
        shared = self.shares_answer(request)
        anonymous = shared and has_no_credentials(request)
        # Looked up before authentication, so a cached answer costs no query at all.
        key = _response_key(request, self, generation) if anonymous else None
        cached = cache.get(key) if key else None
        if cached is None and per_process and not verified:
            generation, verified = current_generation(verify=True)
            key = _response_key(request, self, generation) if anonymous else None
        if cached is not None:
            response = HttpResponse(cached["content"], content_type=cached["content_type"])
            response["ETag"] = cached["etag"]
            surrogate.add_keys(request, *cached.get("surrogate_keys", ()))
            for name, value in cached.get("headers", {}).items():
                response[name] = value
            public = True
        else:
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if hasattr(response, "render"):
                response.render()
            set_response_etag(response)
            # A view may put its object's version first (blog's posts: If-Match compares it).
            version = getattr(response, "etag_version", None)
            if version:
                response["ETag"] = f'"{version}-{response["ETag"].strip(chr(34))}"'
            # Stored only when authentication, too, found nobody (tests force_authenticate, say).
            public = key is not None and not self.request.user.is_authenticated
            if public:
                cache.set(
                    key,
                    {
                        "content": response.content,
                        "content_type": response["Content-Type"],
                        "etag": response["ETag"],
                        "surrogate_keys": surrogate.keys_of(request),
                        "headers": {name: response[name] for name in self.cached_headers if name in response},
                    },
                    timeout=max_age(),
                )
        last_modified = int(generation["changed_at"].timestamp())
        response["Last-Modified"] = http_date(last_modified)
        if public:
            patch_cache_control(response, public=True, max_age=max_age())
        elif not shared:
            # An answer the view says is for this request alone (a preview token): kept nowhere.
            patch_cache_control(response, private=True, no_store=True)
        else:
            # Drafts and other per-user answers: never stored by shared caches, always revalidated.
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
