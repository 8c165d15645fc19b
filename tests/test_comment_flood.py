"""
Flood control per reader, not per neighbourhood: one comment per full address
(IPv6: per /64) and COMMENTS_FLOOD_SECONDS, claimed atomically in the cache
under a keyed hash that is never stored; the stored address stays truncated;
a failing cache degrades the rule to the stored addresses, never to a 500.
"""

import json
import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from authors import roles
from comments import moderation
from comments.exceptions import CommentFlood
from comments.models import Comment

from .comments_support import submit
from .factories import AuthorFactory, PostFactory, UserFactory
from .servers import database_url, free_port, gunicorn
from .test_comments_under_load import request

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(settings):
    settings.COMMENTS_FLOOD_SECONDS = 15
    return PostFactory()


def test_two_readers_of_one_ipv4_24_may_comment_one_after_the_other(post):
    submit(post, ip="203.0.113.57")
    submit(post, ip="203.0.113.58", body="Ma voisine de bureau a raison.")

    assert Comment.objects.count() == 2


def test_an_ipv6_reader_is_their_64_and_neighbours_in_the_48_are_others(post):
    submit(post, ip="2001:db8:1:1::57")
    with pytest.raises(CommentFlood):
        # Another address of the same /64: the same household or device.
        submit(post, ip="2001:db8:1:1:aaaa::1", body="Encore moi")

    submit(post, ip="2001:db8:1:2::57", body="Une autre maison du même quartier.")

    assert Comment.objects.count() == 2


def test_the_stored_address_is_truncated_and_the_cache_holds_only_a_hash(post):
    comment = submit(post, ip="203.0.113.57")

    comment.refresh_from_db()
    assert comment.ip_address == "203.0.113.0"
    keys = list(cache._cache)  # the local-memory cache of the tests: key -> pickled value
    flood_keys = [key for key in keys if "comments:flood:" in key]
    assert len(flood_keys) == 1
    assert not [key for key in keys if "203.0.113" in key]
    assert b"203.0.113" not in b"".join(cache._cache[key] for key in flood_keys)


def test_the_flood_window_lives_in_the_cache_for_the_window_only(post):
    submit(post, ip="203.0.113.57")
    with time_machine.travel(timezone.now() + timedelta(seconds=16)):
        submit(post, ip="203.0.113.57", body="Plus tard.")

    assert Comment.objects.count() == 2


def dead_redis():
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }


def test_with_the_cache_down_comments_are_kept_and_floods_still_refused(post, caplog):
    moderation.cache_outage.failing = False
    with (
        override_settings(CACHES=dead_redis()),
        caplog.at_level(logging.WARNING, logger="comments.moderation"),
    ):
        first = submit(post, ip="203.0.113.57")
        with pytest.raises(CommentFlood):
            submit(post, ip="203.0.113.57", body="Encore moi")
        # Meanwhile the rule falls back to the stored, truncated addresses.
        with pytest.raises(CommentFlood):
            submit(post, ip="203.0.113.58", body="Ma voisine")
        submit(post, ip="198.51.100.7", body="Ailleurs")

    assert first.pk and Comment.objects.count() == 2
    outage_warnings = [record for record in caplog.records if "flood" in record.getMessage()]
    assert len(outage_warnings) == 1  # once per outage, not per comment

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="comments.moderation"):
        submit(post, ip="192.0.2.1", body="Le cache est revenu.")
    assert [record.getMessage() for record in caplog.records] == [
        "The cache is back: the comment flood rule uses it again."
    ]


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_a_cache_that_keeps_nothing_still_refuses_floods(post):
    submit(post, ip="203.0.113.57")

    with pytest.raises(CommentFlood):
        submit(post, ip="203.0.113.57", body="Encore moi")


# Against a live gunicorn (2 workers) sharing Redis, behind one trusted proxy -------------

LIVE_FLOOD = {
    "COMMENTS_FLOOD_SECONDS": "15",
    # A key prefix of its own keeps this run's flood windows apart from any other run's.
    "CACHE_URL": f"redis://127.0.0.1:6379/0?key_prefix=plume-flood-test-{uuid.uuid4().hex}",
    "PLUME_TRUSTED_PROXIES": "1",
}


def comment_from(base_url, post, forwarded_for, barrier=None):
    path = f"/api/v1/posts/{post.slug}/comments/"
    headers = {"X-Forwarded-For": forwarded_for}
    status, _headers, text = request(base_url, "GET", f"{path}token/", headers=headers)
    assert status == 200, text
    body = {
        "author_name": "Lectrice",
        "author_email": f"{uuid.uuid4().hex}@example.net",
        "body": f"Depuis {forwarded_for}",
        **json.loads(text),
    }
    if barrier is not None:
        barrier.wait(timeout=30)
    status, _headers, text = request(
        base_url,
        "POST",
        path,
        body=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    )
    return status


@pytest.fixture
def flood_server(transactional_db, collected_static):
    """A gunicorn with the flood rule on, Redis as the cache and one trusted proxy in front."""
    if connection.vendor != "postgresql":
        pytest.skip("the live gunicorn tests run on PostgreSQL (DATABASE_URL=postgres://...)")
    with gunicorn(
        {"DATABASE_URL": database_url(), "STATIC_ROOT": str(collected_static), **LIVE_FLOOD}
    ) as url:
        yield url


@pytest.fixture
def live_post(flood_server):
    # As in test_comments_under_load: the flush emptied the role groups; no moderation e-mail.
    roles.sync_role_groups()
    author = AuthorFactory(user=UserFactory(username="sans-courriel", email=""))
    return PostFactory(slug="en-rafale", title="En rafale", author=author)


def test_four_simultaneous_comments_from_one_reader_give_exactly_one_201(flood_server, live_post):
    barrier = Barrier(4)
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(
            pool.map(lambda _n: comment_from(flood_server, live_post, "203.0.113.7", barrier), range(4))
        )

    assert sorted(statuses) == [201, 429, 429, 429]
    assert Comment.objects.filter(post=live_post).count() == 1


def test_sixty_concurrent_readers_of_one_24_are_all_accepted(flood_server, live_post):
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(
            pool.map(lambda n: comment_from(flood_server, live_post, f"198.51.100.{n}"), range(1, 61))
        )

    assert statuses == [201] * 60
    assert set(Comment.objects.filter(post=live_post).values_list("ip_address", flat=True)) == {
        "198.51.100.0"
    }
