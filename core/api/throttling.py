"""
DRF's throttles, counting clients by `core.clients.client_ip`.

DRF's own `get_ident` takes the whole X-Forwarded-For header as the client when
`NUM_PROXIES` is unset, so every new value of that header, which anyone can
send, would be a new client with a fresh allowance.
"""

from rest_framework import throttling

from core.clients import client_ip


class ClientAddressMixin:
    def get_ident(self, request):
        return client_ip(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.SimpleRateThrottle):
    """
    Every request the view counts, per client address and `scope` (set by a subclass),
    whether signed in or not: for writes such as comments.
    """

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
