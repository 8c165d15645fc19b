"""
One attempt at delivering a webhook: a signed HTTP POST with short timeouts, to an
address checked first (no loopback, private or link-local address unless
PLUME_WEBHOOK_ALLOW_PRIVATE: a webhook must not be a way into the server's network).

The signature is HMAC-SHA256, with the endpoint's secret, of "<timestamp>.<body>",
sent as `X-Plume-Signature: sha256=<hex>` beside `X-Plume-Timestamp` (Unix seconds).
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

BODY_KEPT = 2000  # characters of the receiver's answer kept in the log
USER_AGENT = "Plume-Webhooks/1"


class Refused(Exception):
    """The URL may not be delivered to (scheme, address): retrying would not help."""


@dataclass
class Outcome:
    status: int | None = None
    body: str = ""
    error: str = ""
    duration_ms: int = 0
    retry: bool = True

    @property
    def ok(self):
        return self.status is not None and 200 <= self.status < 300


def signature(secret, timestamp, body):
    """The hex HMAC-SHA256 of "<timestamp>.<body>" (`body` as the bytes sent)."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def encode(payload):
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def allowed_address(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host, port):
    """The address to connect to: the first of `host`'s, all of which must be allowed."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error}") from error
    addresses = [info[4][0] for info in found]
    if not settings.PLUME_WEBHOOK_ALLOW_PRIVATE:
        refused = [address for address in addresses if not allowed_address(address)]
        if refused:
            raise Refused(
                f"{host} resolves to a loopback, private or reserved address ({refused[0]}); "
                "set PLUME_WEBHOOK_ALLOW_PRIVATE to deliver there"
            )
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the name resolves to next."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers):
    """POST `body` to `url`: (status, start of the answer). OSError on failure, Refused when not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"not an http(s) URL: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    connection_class = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = connection_class(
        parts.hostname, port, address=address, timeout=settings.PLUME_WEBHOOK_TIMEOUT_SECONDS
    )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read(BODY_KEPT * 4).decode("utf-8", "replace")[:BODY_KEPT]
        return response.status, answer
    except (http.client.HTTPException, ssl.SSLError) as error:
        raise OSError(f"{type(error).__name__}: {error}") from error
    finally:
        connection.close()


def attempt(*, url, secret, event, delivery_id, payload):
    """Send one delivery; never raises: what happened is in the Outcome."""
    body = encode(payload)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Plume-Event": event,
        "X-Plume-Delivery": str(delivery_id),
        "X-Plume-Timestamp": timestamp,
        "X-Plume-Signature": f"sha256={signature(secret, timestamp, body)}",
    }
    started = time.monotonic()
    outcome = Outcome()
    try:
        outcome.status, outcome.body = post(url, body, headers)
        if not outcome.ok:
            outcome.error = f"HTTP {outcome.status}"
    except Refused as error:
        outcome.error, outcome.retry = str(error), False
    except (OSError, ValueError) as error:  # refused, reset, timed out, bad TLS, unresolvable
        outcome.error = f"{type(error).__name__}: {error}"
    outcome.duration_ms = round((time.monotonic() - started) * 1000)
    return outcome
