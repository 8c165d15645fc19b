"""
Read replicas (DATABASE_REPLICA_URLS): reads go to a replica, writes to the primary.

Only the reads of a web request from a client that has not written lately go
to a replica; everything else (writes, a write request's own reads, reads in a
transaction, commands, task workers) uses the primary. A client whose unsafe
request (POST, PUT, PATCH, DELETE) succeeded reads from the primary for
PLUME_READ_PRIMARY_SECONDS afterwards, so an author always sees their change
while replicas catch up: browsers are recognised by a short-lived cookie, API
clients by their Authorization header (remembered in the shared cache).
"""

import hashlib
import logging
import random
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

from core.cache import is_unavailable as cache_is_unavailable

PRIMARY_COOKIE = "plume_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

logger = logging.getLogger(__name__)

_replica_reads = ContextVar("plume_replica_reads", default=False)


def replicas():
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        choices = replicas()
        if not choices or not _replica_reads.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return random.choice(choices)  # noqa: S311 - load spreading, not security

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Every replica holds the primary's data: objects from any of them may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _token_key(request):
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if not authorization:
        return None
    return "plume:primary:" + hashlib.sha256(authorization.encode()).hexdigest()


def _wrote_lately(request):
    if PRIMARY_COOKIE in request.COOKIES:
        return True
    key = _token_key(request)
    try:
        # core.cache answers as an empty cache while Redis is down: ask it whether it is.
        return bool(key and (cache.get(key) or cache_is_unavailable()))
    except Exception:  # a cache that is down: read from the primary, never fail
        return True


class ReadYourWritesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas():
            return self.get_response(request)
        unsafe = request.method not in SAFE_METHODS
        token = _replica_reads.set(not unsafe and not _wrote_lately(request))
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if unsafe and response.status_code < 400:
            self.remember_write(request, response)
        return response

    def remember_write(self, request, response):
        seconds = settings.PLUME_READ_PRIMARY_SECONDS
        response.set_cookie(
            PRIMARY_COOKIE,
            "1",
            max_age=seconds,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        key = _token_key(request)
        if key:
            try:
                cache.set(key, 1, seconds)
            except Exception:  # the cookie still pins browsers; API clients may read stale data
                logger.warning("Could not remember a write in the cache", exc_info=True)
