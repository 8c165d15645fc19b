"""
Answers a shared cache (Varnish, a CDN) may keep, and the surrogate keys that purge them.

A view that shows public content declares what it shows: `add_keys(request, "home")`,
`add_objects(request, post, *page_of_posts)` (an object names itself with its
`surrogate_keys()` method: `post-42`, `author-7`...). Declaring keys is also what makes
an answer public: `SharedCacheMiddleware` then writes them in `xkey` (Varnish's xkey
module), `Surrogate-Key` (Fastly and others, space-separated) and `Cache-Tag`
(Cloudflare and others, comma-separated), with
`Cache-Control: public, max-age, s-maxage, stale-while-revalidate, stale-if-error`.

An answer is public only for a request without credentials and without any of the
PLUME_PRIVATE_COOKIES (session, flash messages, the commenter's remembered name), a
200 that sets no cookie and that the view did not mark private itself (a draft's
preview). Then `Vary: Cookie`, which the session middleware adds as soon as anything
looks at the (empty) session, is dropped: whatever cookies such a request carries do
not change the answer, and the VCL passes every request that carries a private cookie.
The same page for a reader with a private cookie (signed in, or who has commented) is
`private, no-cache`: their own view, never stored by a shared cache.

`purge_keys` sends the purge for some keys to every cache server PLUME_PURGE_URLS
names, after the transaction commits, through the task queue: one task per server, a
short timeout, a few retries with backoff, each failure logged. A dead Varnish never
slows or fails a request.
"""

import http.client
import logging
from datetime import timedelta
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_cache_control
from django_tasks import task

logger = logging.getLogger(__name__)

REQUEST_ATTRIBUTE = "_plume_surrogate_keys"
# Carried by every public answer besides its own keys: purging it empties the caches in front
# (after a change too broad to name, such as an import).
SITE_KEY = "site"
# Keys per purge request: Varnish's default request header limit is 8 KB.
KEYS_PER_PURGE = 200


def _django_request(request):
    # A DRF Request wraps the HttpRequest the middleware sees.
    return getattr(request, "_request", request)


def add_keys(request, *keys):
    """Declare that the answer to `request` shows what these keys name (and may be shared)."""
    request = _django_request(request)
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    if found is None:
        found = set()
        setattr(request, REQUEST_ATTRIBUTE, found)
    found.update(key for key in keys if key)


def add_objects(request, *objects):
    """Declare the keys of these objects (those without `surrogate_keys()` name nothing)."""
    add_keys(request, *(key for obj in objects if obj is not None for key in object_keys(obj)))


def clear_keys(request):
    """Take back every key declared for `request`: its answer names nothing a cache could keep."""
    setattr(_django_request(request), REQUEST_ATTRIBUTE, set())


def object_keys(obj):
    method = getattr(obj, "surrogate_keys", None)
    return list(method()) if method else []


def keys_of(request):
    return sorted(getattr(_django_request(request), REQUEST_ATTRIBUTE, ()))


class SurrogateKeysMixin:
    """
    For API views: the keys of the object a detail answer shows, or of the page of
    objects a list shows plus `list_key` (which any change of such an object purges:
    a list's membership and order depend on them all).
    """

    list_key = None

    def get_object(self):
        obj = super().get_object()
        add_objects(self.request, obj)
        return obj

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        add_keys(self.request, self.list_key)
        if page is not None:
            add_objects(self.request, *page)
        return page


def has_private_state(request):
    """Credentials or a cookie that makes the page this reader's own."""
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    return any(name in request.COOKIES for name in settings.PLUME_PRIVATE_COOKIES)


def is_public(request, response):
    """Whether `response` may be shared: the view named what it shows, and nothing made it private."""
    return bool(keys_of(request)) and _is_public(request, response)


def _is_public(request, response):
    # A 304 carries the headers its 200 would have (RFC 9110): a shared cache revalidating
    # its copy must not hear "private".
    if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
        return False
    if has_private_state(request) or response.cookies:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _without_vary_cookie(response):
    if not response.has_header("Vary"):
        return
    kept = [field for field in cc_delim_re.split(response["Vary"]) if field and field.lower() != "cookie"]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


class SharedCacheMiddleware:
    """Place it above SessionMiddleware: it must see (and undo) the Vary: Cookie added there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        keys = keys_of(request)
        if not keys:
            return response
        if not _is_public(request, response):
            if "no-store" not in response.get("Cache-Control", ""):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        # The API says itself how long its answers keep (core/api/caching.py), and varies on
        # what it reads; pages take the site's times.
        if "max-age" not in response.get("Cache-Control", ""):
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PLUME_CACHE_BROWSER_SECONDS,
                s_maxage=settings.PLUME_CACHE_SHARED_SECONDS,
                stale_while_revalidate=settings.PLUME_CACHE_STALE_WHILE_REVALIDATE,
                stale_if_error=settings.PLUME_CACHE_STALE_IF_ERROR,
            )
            _without_vary_cookie(response)
        keys = [*keys, SITE_KEY]
        response["xkey"] = " ".join(keys)
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
        return response


def purge_urls():
    return [url for url in settings.PLUME_PURGE_URLS if url]


def purge_keys(keys, *, at=None):
    """
    Purge `keys` from every cache server, once the current transaction commits
    (a rolled-back change purges nothing), or at `at` (a scheduled post's go-live).
    """
    keys = sorted({key for key in keys if key})
    if not keys or not purge_urls():
        return
    transaction.on_commit(partial(_enqueue_purges, keys, at), robust=True)


def _enqueue_purges(keys, at):
    for url in purge_urls():
        for start in range(0, len(keys), KEYS_PER_PURGE):
            batch = keys[start : start + KEYS_PER_PURGE]
            if at is None:
                purge.enqueue(url=url, keys=batch)
            elif purge.get_backend().supports_defer:
                purge.using(run_after=at).enqueue(url=url, keys=batch)
            else:
                logger.warning("Task backend cannot schedule: the purge for %s at %s is not sent", url, at)


def send_purge(url, keys):
    """One `PURGE` with an `xkey-purge` header; the status code, or an exception."""
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=settings.PLUME_PURGE_TIMEOUT)
    try:
        connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(keys)})
        status = connection.getresponse().status
    finally:
        connection.close()
    if status >= 400:
        raise OSError(f"{url} answered {status}")
    return status


@task()
def purge(*, url, keys, attempt=1):
    """Purge `keys` from the cache server at `url`; on failure, try again later."""
    try:
        send_purge(url, keys)
    except Exception as error:  # refused, timeout, 4xx/5xx: retry, never more than a few times
        if attempt >= settings.PLUME_PURGE_MAX_ATTEMPTS or not purge.get_backend().supports_defer:
            logger.error(
                "Purge of %s on %s failed after %d attempt(s): %s", " ".join(keys), url, attempt, error
            )
            return False
        delay = settings.PLUME_PURGE_RETRY_SECONDS * 2 ** (attempt - 1)
        purge.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            url=url, keys=keys, attempt=attempt + 1
        )
        logger.warning(
            "Purge on %s failed (attempt %d: %s); next attempt in %d s", url, attempt, error, delay
        )
        return False
    logger.info("Purged %s on %s", " ".join(keys), url)
    return True
