"""
Who is asking: the one definition of the client's address.

DRF's throttles, the comment flood rule, reader reports and django-axes' login
lock-out all call `client_ip(request)`, so they all agree on who a client is.

By default it is `REMOTE_ADDR`: the peer of the TCP connection, which nobody
can forge. Behind reverse proxies (a load balancer, Varnish, a CDN), the peer is
the proxy and the client is in `X-Forwarded-For`, which anyone can also write:
`PLUME_TRUSTED_PROXIES` says how much of that header to believe.

- a count N: exactly N proxies stand in front and each appends the address it
  saw, so the client is the N-th address from the right (what DRF's
  `NUM_PROXIES` and Werkzeug's `ProxyFix` do);
- a list of networks: the header is read only when the peer is in one of them,
  right to left, skipping addresses of those networks; the first address
  outside them is the client.

Whatever a client writes to the left of what the trusted proxies appended is
never read.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_address(value):
    """`value` as an `ipaddress` address (an IPv4-mapped IPv6 one as IPv4), or None."""
    try:
        address = ipaddress.ip_address(str(value or "").strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address, networks):
    return any(address.version == network.version and address in network for network in networks)


def trusted_proxies(values):
    """
    PLUME_TRUSTED_PROXIES as read from the environment (a list of strings): a count
    (["2"]) or proxy networks; ImproperlyConfigured, naming the variable, otherwise.
    """
    if len(values) == 1 and values[0].strip().isdigit():
        return int(values[0])
    for value in values:
        try:
            ipaddress.ip_network(value.strip(), strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"PLUME_TRUSTED_PROXIES: {value!r} is neither a count of proxies nor a network"
            ) from None
    return [value.strip() for value in values]


def client_address(meta):
    """The client's address (an `ipaddress` object) from a `request.META` mapping, or None."""
    peer = parse_address(meta.get("REMOTE_ADDR"))
    proxies = getattr(settings, "PLUME_TRUSTED_PROXIES", 0) or 0
    forwarded = [item.strip() for item in str(meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [item for item in forwarded if item]
    if peer is None or not proxies or not forwarded:
        return peer
    if isinstance(proxies, int):
        # N proxies appended N addresses; fewer means the request skipped them: trust the peer.
        if len(forwarded) < proxies:
            return peer
        return parse_address(forwarded[-proxies]) or peer
    networks = _networks(tuple(proxies))
    if not _trusted(peer, networks):
        return peer
    client = peer
    for item in reversed(forwarded):
        address = parse_address(item)
        if address is None:
            # A trusted proxy writes addresses only: this came from the client side.
            return client
        client = address
        if not _trusted(address, networks):
            return client
    return client


def client_ip(request):
    """The client's address as a string ("" when there is none): for throttles, flood, reports, axes."""
    address = client_address(request.META)
    return str(address) if address is not None else ""
