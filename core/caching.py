"""
One response cache for the site's pages, its feeds and sitemap, and the API.

Every GET answer carries an ETag (a hash of its body); a public one also a Last-Modified
(when the content last changed). A matching If-None-Match or If-Modified-Since gets a 304.
An anonymous answer is kept in the Django cache for PLUME_RESPONSE_CACHE_SECONDS (0: none
kept), so a repeated anonymous read runs no database query at all. The API kit
(`core.api.caching.HttpCachingMixin`) and the site's views (`cache_response`, a decorator
that also fits a feed) share this module: one key scheme, one generation, one invalidation.

When the content last changed is the database's to say, never a process's: the
`ContentClock` row records the time of every change once it commits, and the
content's own publication dates cover a scheduled post going live without any
save. One query reads both (`content_state()`), so every process labels the
same content with the same Last-Modified, whenever it happens to cache it.

Invalidation is a "generation": one cache entry holding that state. Every change of the
content (core.changes.content_changed, which plume wires to the models once) calls
`invalidate()`, which drops it and moves the clock; the next read reads the state again,
and every cached answer of the old generation is simply never looked up again.
Each generation also remembers the next scheduled publication and ends by
itself when that moment comes.

With a cache shared by every process (Redis), the generation in it is the truth, and a
repeated anonymous read runs no query at all. With a per-process cache (local memory, the
default) a change reaches the cache of the process that made it only, so every read asks
the database for the state (one small query) before it looks for its answer: a 304 is only
ever given for a copy that is still current, an answer is never labelled older than its
content, and a page purged from the cache in front (Varnish) is never fetched again from a
process's stale copy. `check --deploy` recommends Redis (plume.W001).

Cache keys keep only the query parameters the view reads (the API's filters, ordering,
search and pagination; a page's `page`, `q`, `cpage`...), in a stable order, and the
language, so `?x=<random>` is served from the cache like the bare address.

Who is served from the cache, and stored in it: a request without credentials and
without any of the PLUME_PRIVATE_COOKIES (core.surrogate.has_private_state: a session,
so a signed-in reader or one with a pending comment; flash messages; the commenter's
remembered name). Their answers are their own: rendered each time, never stored, and
`Cache-Control: private`.

Writes that bypass signals (`QuerySet.update()`, e.g. the GDPR eraser) should call
`invalidate()`; even without it, a cached answer lives PLUME_RESPONSE_CACHE_SECONDS at most.

Last-Modified has one-second precision (HTTP dates): two changes within one
second look alike to a client revalidating by date. ETag is the exact validator
and takes precedence when a client sends both, as browsers do.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Subquery
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from core import surrogate
from core.cache import is_per_process
from core.changes import BEFORE
from core.links import absolute_url
from core.models import ContentClock
from core.prepared import PreparedQuery

GENERATION_KEY = "plume:cache:generation"
PENDING_CHANGE_KEY = "plume:cache:pending-change"
RESPONSE_KEY = "plume:cache:response:{generation}:{language}:{url}"
# The generation this request was answered under (read once, whoever asks).
REQUEST_ATTRIBUTE = "_plume_generation"


def kept_seconds():
    """How long an anonymous answer is kept in the Django cache (0: none is)."""
    return settings.PLUME_RESPONSE_CACHE_SECONDS


# Callables returning two one-date querysets: the latest publication live at `now` and the
# next one scheduled after it (`.values("published_at")[:1]`). The apps that schedule content
# register one in their AppConfig.ready(): the cache cannot import them.
publication_providers = []


def register_publications(provider):
    if provider not in publication_providers:
        publication_providers.append(provider)
        STATE_QUERY.forget()
    return provider


def _state_names():
    return [
        "changed_at",
        *(f"{kind}_{index}" for index in range(len(publication_providers)) for kind in ("live", "scheduled")),
    ]


def _state_queryset(now):
    dates = {}
    for index, provider in enumerate(publication_providers):
        live, scheduled = provider(now=now)
        dates[f"live_{index}"] = Subquery(live)
        dates[f"scheduled_{index}"] = Subquery(scheduled)
    return ContentClock.objects.filter(pk=1).annotate(**dates).values("changed_at", *dates)


# It runs on every uncached read: compiled once (building it through the ORM cost more than running it).
STATE_QUERY = PreparedQuery(ContentClock, _state_queryset, now=datetime.datetime)


def _state_row(now):
    rows, _using = STATE_QUERY.rows(now=now)
    return dict(zip(_state_names(), rows[0], strict=True)) if rows else None


def content_state():
    """The content's current version, from the database in one query: {"id", "changed_at", "ends_at"}."""
    now = timezone.now()
    row = _state_row(now)
    if row is None:
        # No change recorded yet (a new database): from now on, then.
        ContentClock.objects.get_or_create(pk=1, defaults={"changed_at": now})
        row = _state_row(now)
    # A change this process made in a transaction not yet committed (see invalidate()).
    pending = cache.get(PENDING_CHANGE_KEY)
    live = [row["changed_at"], pending, *(row[name] for name in row if name.startswith("live_"))]
    changed_at = max(date for date in live if date is not None)
    ends_at = min((row[name] for name in row if name.startswith("scheduled_") and row[name]), default=None)
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


def request_generation(request, *, verify=False):
    """The generation `request` is answered under: read once per request, whoever asks (the
    response cache, the comment thread's); `verify` as for current_generation()."""
    if request is None:
        return current_generation(verify=verify)
    request = getattr(request, "_request", request)  # a DRF Request wraps the HttpRequest
    known = getattr(request, REQUEST_ATTRIBUTE, None)
    if known is not None and (known[1] or not verify):
        return known
    known = current_generation(verify=verify)
    setattr(request, REQUEST_ATTRIBUTE, known)
    return known


class GenerationMemo:
    """
    Values this process computed under the content's current generation, for as long as it
    lasts: what only a content change (or a scheduled post going live, which moves the
    generation too) can change, such as a listing's number of posts. Per process, so it needs
    no cache server; the generation is read as the response cache reads it (from the
    database when no cache is shared). At most `size` values: a new generation, or a full
    memo, starts afresh.
    """

    def __init__(self, size=1024):
        self.size = size
        self.generation_id = None
        self.values = {}

    def clear(self):
        self.generation_id, self.values = None, {}

    def get(self, request, key, compute):
        generation = trusted_generation(request)
        if generation["id"] != self.generation_id or len(self.values) >= self.size:
            self.generation_id, self.values = generation["id"], {}
        if key not in self.values:
            self.values[key] = compute()
        return self.values[key]


def trusted_generation(request):
    """
    The generation `request` is answered under, as far as this process may trust its cache:
    a cache of this process only may not have heard of a change another process made, so
    then the database says (one query, once per request); a shared cache's is the truth.
    """
    generation, _read = request_generation(request, verify=is_per_process())
    return generation


def _ended(generation):
    return generation["ends_at"] is not None and generation["ends_at"] <= timezone.now()


def invalidate(**kwargs):
    """The content changed: every cached answer is out of date (a content_changed receiver)."""
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


def may_be_shared(request):
    """Anonymous, as far as can be told without the database: no credentials, no private cookie."""
    return request.method in ("GET", "HEAD") and not surrogate.has_private_state(request)


def canonical_url(request, accepted):
    """The address without the parameters the view ignores, the rest in a stable order."""
    params = sorted(
        ((name, value) for name, values in request.GET.lists() if name in accepted for value in values),
        key=lambda pair: pair[0],
    )
    # The origin the answer's links get (core.links), not the Host header as sent.
    return absolute_url(f"{request.path}?{urlencode(params)}", request=request)


def response_key(request, accepted, generation):
    # Unknown parameters stay out of the key, so `?x=<random>` cannot get past the cache.
    url = hashlib.sha256(canonical_url(request, accepted).encode()).hexdigest()
    return RESPONSE_KEY.format(generation=generation["id"], language=translation.get_language(), url=url)


@dataclass
class Answer:
    response: HttpResponse
    generation: dict
    public: bool  # kept (or found) in the shared cache: the same for every anonymous reader


def answer(request, *, accepted, respond, shareable, kept_headers=()):
    """
    The answer to a GET or HEAD `request`, from the cache when an anonymous reader's is there,
    else `respond()`'s (with an ETag), kept when `shareable(response)` says it may be.
    `accepted`: the query parameters the answer depends on.
    """
    # Trusted as far as the cache is shared (trusted_generation), or a purged page would be
    # fetched again by the cache in front from this process's stale copy.
    generation = trusted_generation(request)
    kept, shared = kept_seconds(), may_be_shared(request)
    # Looked up before the view runs (before authentication): a cached answer costs no more.
    key = response_key(request, accepted, generation) if kept and shared else None
    cached = cache.get(key) if key else None
    if cached is not None:
        response = HttpResponse(cached["content"], content_type=cached["content_type"])
        response["ETag"] = cached["etag"]
        surrogate.add_keys(request, *cached["surrogate_keys"])
        for name, value in cached["headers"].items():
            response[name] = value
        return Answer(response, generation, public=True)
    response = respond()
    if response.status_code != 200 or getattr(response, "streaming", False):
        return Answer(response, generation, public=False)
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    set_response_etag(response)
    # A view may put its object's version first (blog's posts: If-Match compares it).
    version = getattr(response, "etag_version", None)
    if version:
        response["ETag"] = f'"{version}-{response["ETag"].strip(chr(34))}"'
    public = shared and shareable(response)
    if public and key is not None:
        cache.set(
            key,
            {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": response["ETag"],
                "surrogate_keys": surrogate.keys_of(request),
                "headers": {name: response[name] for name in kept_headers if name in response},
            },
            timeout=kept,
        )
    return Answer(response, generation, public=public)


def conditional(request, found):
    """`found`'s response with its validators, or a 304 when the client's copy is current."""
    response = found.response
    if found.response.status_code != 200 or "ETag" not in response:
        return response
    last_modified = None
    if found.public:
        # A reader's own view (their pending comment) changes without the content's clock.
        last_modified = int(found.generation["changed_at"].timestamp())
        response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


def cache_response(view=None, *, params=()):
    """
    A site view (a function, or a Feed instance) answered through the response cache;
    `params`: the query parameters it reads. Its answers are public when it declared
    surrogate keys and nothing made them private (core.surrogate.is_public), and
    SharedCacheMiddleware gives them their Cache-Control.
    """
    accepted = frozenset(params)

    def decorate(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            found = answer(
                request,
                accepted=accepted,
                respond=lambda: view(request, *args, **kwargs),
                shareable=lambda response: surrogate.is_public(request, response),
            )
            return conditional(request, found)

        return cached_view

    return decorate(view) if view is not None else decorate


def invalidate_on_change(sender, change, **kwargs):
    """content_changed receiver: once something changed, every cached answer is out of date."""
    if change not in BEFORE:
        invalidate()
