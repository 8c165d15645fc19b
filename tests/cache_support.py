"""A cache Plume takes for one shared by every process, as Redis is, kept in this process's memory."""

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

# settings.CACHES for a test that runs as a site with Redis does.
SHARED_CACHE = {"default": {"BACKEND": "tests.cache_support.SharedMemoryCache", "LOCATION": "shared"}}


class SharedMemoryCache(BaseCache):
    """
    Local memory behind the cache API, but not a LocMemCache (core.cache.is_per_process):
    the response cache trusts its generation as it trusts Redis's, so a repeated read runs
    no query. One test process is every process there is, so it is as shared as Redis.
    """

    def __init__(self, location, params):
        super().__init__(params)
        self._memory = LocMemCache(location, params)

    def add(self, *args, **kwargs):
        return self._memory.add(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._memory.get(*args, **kwargs)

    def set(self, *args, **kwargs):
        return self._memory.set(*args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._memory.touch(*args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._memory.delete(*args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._memory.has_key(*args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._memory.incr(*args, **kwargs)

    def clear(self):
        return self._memory.clear()
