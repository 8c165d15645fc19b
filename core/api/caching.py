"""HTTP caching for the read endpoints.

Every GET answer carries an ETag (a hash of its body) and a Last-Modified (the
time the published content last changed), and a matching If-None-Match or
If-Modified-Since gets a 304. Anonymous answers are public for
PLUME_API_CACHE_SECONDS and kept in the Django cache, so a repeated anonymous
read runs no database query at all.

Invalidation is a "generation": one cache entry naming the current version of
the content. Saving or deleting a post, page, comment, author, category or tag
drops it (signals wired in `plume.api.apps`); the next read starts a new generation,
and every cached answer of the old one is simply never looked up again. A
scheduled post going live changes the content without any save, so each
generation also remembers the next scheduled publication and ends by itself
when that moment comes.

Writes that bypass signals (`QuerySet.update()`, e.g. the GDPR eraser) should call
`invalidate()`; even without it, a cached answer lives PLUME_API_CACHE_SECONDS at most,
as long as browsers and proxies may keep it anyway.

Last-Modified has one-second precision (HTTP dates); ETag is the exact validator
and takes precedence when a client sends both, as browsers do.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from core import surrogate
from core.links import absolute_url

GENERATION_KEY = "plume:api:generation"
RESPONSE_KEY = "plume:api:response:{generation}:{language}:{url}"
# Anonymous answers differ from those for a logged-in user or a token on the same URL.
VARY = ["Accept-Language", "Authorization", "Cookie"]


def max_age():
    return getattr(settings, "PLUME_API_CACHE_SECONDS", 60)


# Callables returning the next moment content changes by itself (a scheduled post going
# live), or None. The apps that schedule content register one in their AppConfig.ready():
# the cache cannot import them.
scheduled_change_providers = []


def register_scheduled_change(provider):
    if provider not in scheduled_change_providers:
        scheduled_change_providers.append(provider)
    return provider


def _next_scheduled_change():
    dates = [provider() for provider in scheduled_change_providers]
    return min((date for date in dates if date is not None), default=None)


def _start_generation(changed_at):
    generation = {
        "id": uuid.uuid4().hex,
        "changed_at": changed_at,
        "ends_at": _next_scheduled_change(),
    }
    cache.set(GENERATION_KEY, generation, timeout=None)
    return generation


def current_generation():
    """The content's current version: {"id", "changed_at", "ends_at"}."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        return _start_generation(timezone.now())
    if generation["ends_at"] is not None and generation["ends_at"] <= timezone.now():
        return _start_generation(generation["ends_at"])
    return generation


def invalidate(**kwargs):
    """Signal receiver: the content changed, so every cached answer is out of date."""
    cache.delete(GENERATION_KEY)
    # Again after commit: a read between the save and the commit would have cached old data.
    transaction.on_commit(lambda: cache.delete(GENERATION_KEY))


def invalidate_for_comment(sender, instance, created, **kwargs):
    """A new comment that is not approved changes no public answer: spam must not empty the cache."""
    if created and instance.status != instance.Status.APPROVED:
        return
    invalidate()


def has_no_credentials(request):
    """Anonymous, as far as can be told without the database: no credentials, no session cookie."""
    return "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _response_key(request, generation):
    # The origin the answer's links get (core.links), not the Host header as sent.
    url = hashlib.sha256(absolute_url(request.get_full_path(), request=request).encode()).hexdigest()
    return RESPONSE_KEY.format(generation=generation["id"], language=translation.get_language(), url=url)


class HttpCachingMixin:
    # For API views: validators and 304s on every GET, a shared cache for anonymous GETs.
    # (A comment, not a docstring: drf-spectacular would show it as every view's description.)
    # Headers of the answer that are part of it and kept with it (pagination totals, say).
    cached_headers = ()

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        generation = current_generation()
        # Looked up before authentication, so a cached answer costs no query at all.
        key = _response_key(request, generation) if has_no_credentials(request) else None
        cached = cache.get(key) if key else None
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
        else:
            # Drafts and other per-user answers: never stored by shared caches, always revalidated.
            patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, VARY)
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
