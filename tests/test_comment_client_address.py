"""
One client address (core.clients.client_ip) for the API throttles, the comment
flood rule, reader reports and the login lock-out: REMOTE_ADDR by default,
X-Forwarded-For only as far as PLUME_TRUSTED_PROXIES says.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from comments.models import Comment
from core.clients import client_ip, trusted_proxies

from .comments_support import aged_token
from .factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


def ip(remote_addr, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


# The definition


def test_without_trusted_proxies_the_client_is_the_peer_whatever_the_header_says(settings):
    settings.PLUME_TRUSTED_PROXIES = 0

    assert ip("203.0.113.57", "198.51.100.1") == "203.0.113.57"
    assert ip("2001:db8::1", "198.51.100.1, 10.0.0.1") == "2001:db8::1"


def test_behind_a_count_of_proxies_the_client_is_that_far_from_the_right(settings):
    settings.PLUME_TRUSTED_PROXIES = 1
    # What the client wrote itself (the left part) is never believed.
    assert ip("10.0.0.2", "6.6.6.6, 198.51.100.7") == "198.51.100.7"
    settings.PLUME_TRUSTED_PROXIES = 2
    assert ip("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.9") == "198.51.100.7"
    # Fewer addresses than proxies: the request did not come through them, the peer is the client.
    assert ip("203.0.113.57", "6.6.6.6") == "203.0.113.57"
    assert ip("203.0.113.57") == "203.0.113.57"


def test_behind_proxy_networks_the_header_is_read_only_from_those_proxies(settings):
    settings.PLUME_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8:ff::/48"]

    assert ip("10.1.2.3", "6.6.6.6, 198.51.100.7, 10.0.0.9") == "198.51.100.7"
    assert ip("2001:db8:ff::2", "2001:db8:1::5") == "2001:db8:1::5"
    # Straight from the internet: the header is the client's own, ignored.
    assert ip("203.0.113.57", "198.51.100.7") == "203.0.113.57"
    # Garbage where a trusted proxy would have written an address: stop at the last proxy.
    assert ip("10.1.2.3", "198.51.100.7, not-an-address") == "10.1.2.3"


def test_the_setting_is_a_count_or_networks_and_anything_else_stops_start_up():
    assert trusted_proxies(["2"]) == 2
    assert trusted_proxies([]) == []
    assert trusted_proxies(["10.0.0.0/8", " 2001:db8::/32"]) == ["10.0.0.0/8", "2001:db8::/32"]
    with pytest.raises(ImproperlyConfigured, match="PLUME_TRUSTED_PROXIES"):
        trusted_proxies(["10.0.0.0/8", "proxy.example"])


def test_an_ipv4_mapped_address_is_the_ipv4_address(settings):
    settings.PLUME_TRUSTED_PROXIES = 0

    assert ip("::ffff:203.0.113.57") == "203.0.113.57"


# Throttles


def comments_url(post):
    return f"/api/v1/posts/{post.slug}/comments/"


def test_a_varying_forwarded_header_does_not_bypass_the_comment_throttle(api_client, settings, monkeypatch):
    settings.COMMENTS_FLOOD_SECONDS = 0
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "comments", "2/min")
    post = PostFactory()

    statuses = [
        api_client.post(
            comments_url(post),
            {"author_name": "Zoé", "author_email": "zoe@example.net", "body": f"Message {n}"},
            REMOTE_ADDR="203.0.113.57",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]

    assert statuses == [201, 201, 429, 429]


def test_a_varying_forwarded_header_does_not_bypass_the_read_throttle(api_client, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "3/min")

    statuses = [
        api_client.get(
            "/api/v1/posts/", {"page_size": n + 1}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]

    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_reader_has_their_own_allowance(api_client, settings, monkeypatch):
    settings.PLUME_TRUSTED_PROXIES = 1
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/min")

    def read(client_address, page_size):
        return api_client.get(
            "/api/v1/posts/",
            {"page_size": page_size},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=client_address,
        ).status_code

    assert [read("198.51.100.7", size) for size in (1, 2, 3)] == [200, 200, 429]
    assert read("198.51.100.8", 4) == 200


# The comment rules see the same address


def test_behind_a_trusted_proxy_a_comment_keeps_the_readers_truncated_address(client, settings):
    settings.PLUME_TRUSTED_PROXIES = ["10.0.0.0/8"]
    post = PostFactory()
    data = {"author_name": "Zoé", "author_email": "zoe@example.net", "body": "Derrière le proxy."}
    data.update(aged_token(post))
    response = client.post(
        f"/comments/post/{post.pk}/", data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77"
    )

    assert response.status_code == 302
    assert Comment.objects.get().ip_address == "198.51.100.0"


# The login lock-out

RIGHT_PASSWORD = "motdepasse-solide-42"  # the factory's


def log_in(browser, password, forwarded_for, remote_addr="10.0.0.2"):
    return browser.post(
        "/admin/login/?next=/admin/",
        {"username": "simone", "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    ).status_code


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, PLUME_TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_one_readers_failed_logins_do_not_lock_out_another():
    UserFactory(username="simone", is_staff=True)
    guesser, simone = Client(), Client()
    statuses = [log_in(guesser, "wrong", "198.51.100.66") for _attempt in range(3)]
    assert statuses[-1] == 429

    assert log_in(simone, RIGHT_PASSWORD, "198.51.100.7") == 302
    # The guesser stays locked out, whatever it now writes in its own X-Forwarded-For.
    assert log_in(guesser, RIGHT_PASSWORD, "1.2.3.4, 198.51.100.66") == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_varying_forwarded_header_does_not_escape_the_login_lock_out(client):
    UserFactory(username="simone", is_staff=True)
    for attempt in range(3):
        log_in(client, "wrong", f"198.51.100.{attempt}", remote_addr="127.0.0.1")

    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert log_in(client, RIGHT_PASSWORD, "198.51.100.200", remote_addr="127.0.0.1") == 429
