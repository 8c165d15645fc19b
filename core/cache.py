"""The cache is an accelerator, never a single point of failure.

Every use of the cache (the API's response cache, the site's page list, DRF's
throttles...) goes through the backend configured in CACHES, so the outage rule
lives here, once: when Redis cannot be reached, the backend answers as Django's
DummyCache does (nothing found, nothing kept, `add()` pretends it stored) and the
site serves uncached, correct answers. A warning is logged once when an outage
starts (once per process) and an info line when the cache answers again.

While the cache is down it is not asked at all: one call is let through every
RETRY_SECONDS (an OPTIONS key, 5 by default) to see whether it is back, so a
dead cache costs a request nothing and a hanging one costs one socket timeout
per retry window, not one per cache call. Keep the client's socket timeouts
short (SOCKET_CONNECT_TIMEOUT, SOCKET_TIMEOUT in OPTIONS; see plume.settings).
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger("plume.cache")

OUTAGE_ERRORS = (RedisError, ConnectionInterrupted, OSError)
# The BaseCache API Plume (and the libraries it uses) call; each falls back to DummyCache's answer.
RESILIENT_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "decr",
    "set_many",
    "delete_many",
    "clear",
    "close",
)


class Outage:
    """Whether one cache is down, shared by the threads of a process (Django gives each its own backend)."""

    def __init__(self, name, retry_seconds):
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._down_since = None
        self._retry_at = 0.0

    @property
    def down(self):
        return self._down_since is not None

    def should_try(self):
        if self._down_since is None:
            return True
        with self._lock:
            now = time.monotonic()
            if self._down_since is None or now >= self._retry_at:
                # This caller probes; the others keep going without the cache meanwhile.
                self._retry_at = now + self.retry_seconds
                return True
        return False

    def failed(self, error):
        with self._lock:
            started = self._down_since is None
            if started:
                self._down_since = time.monotonic()
            self._retry_at = time.monotonic() + self.retry_seconds
        if started:
            logger.warning(
                "Cache %s unreachable (%s: %s): serving without it, retrying every %s s.",
                self.name,
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def succeeded(self):
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            lasted = time.monotonic() - self._down_since
            self._down_since = None
        logger.info("Cache %s reachable again after %.0f s.", self.name, lasted)


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(name, retry_seconds):
    with _outages_lock:
        return _outages.setdefault(name, Outage(name, retry_seconds))


def _resilient(name):
    def method(self, *args, **kwargs):
        if self._outage.should_try():
            try:
                result = getattr(super(ResilientCacheMixin, self), name)(*args, **kwargs)
            except OUTAGE_ERRORS as error:
                self._outage.failed(error)
            else:
                self._outage.succeeded()
                return result
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class ResilientCacheMixin:
    """Put before a cache backend class: an unreachable cache behaves as an empty one."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_seconds = options.pop("RETRY_SECONDS", 5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._outage = _outage_for(f"{type(self).__name__}:{server}", retry_seconds)
        self._fallback = DummyCache(server, params)


for _name in RESILIENT_METHODS:
    setattr(ResilientCacheMixin, _name, _resilient(_name))


class RedisCache(ResilientCacheMixin, DjangoRedisCache):
    """django-redis, never raising when Redis is unreachable."""


def is_unavailable(alias="default"):
    """True while this process finds the cache unreachable (and the backend answers as an empty one)."""
    outage = getattr(caches[alias], "_outage", None)
    return outage is not None and outage.down


def is_per_process(alias="default"):
    """True when each process has its own cache (or none): invalidation then reaches one process only."""
    return isinstance(caches[alias], LocMemCache | DummyCache)
