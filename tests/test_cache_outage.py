"""
The cache is an accelerator, never a single point of failure: with Redis
unreachable the site and the API serve uncached, correct answers, comments are
still accepted, one warning is logged per outage (not per request), and a cache
that hangs costs one short timeout per retry window, not one per request.
"""

import json
import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from redis.exceptions import ConnectionError as RedisConnectionError

from authors import roles
from core import cache as resilient
from core.models import SiteSettings

from .factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory, UserFactory
from .servers import ROOT, database_url, gunicorn, skip_unless_postgresql

# Nothing listens on port 1.
DEAD_REDIS = "redis://127.0.0.1:1/0"
DEAD_CACHE = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": DEAD_REDIS,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.5},
    }
}
OUTAGE_WARNING = "unreachable"


def read(base_url, path, *, body=None):
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        base_url + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"} if body is not None else {},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def public_site(post):
    return [
        "/",
        post.get_absolute_url(),
        "/api/v1/posts/",
        f"/api/v1/posts/{post.slug}/",
        "/api/v1/categories/",
        "/api/v1/pages/",
        f"/api/v1/posts/{post.slug}/comments/",
        f"/api/v1/posts/{post.slug}/comments/token/",
    ]


def test_the_site_and_the_api_answer_through_a_live_gunicorn_when_redis_is_down(
    transactional_db, collected_static, tmp_path
):
    skip_unless_postgresql()
    roles.sync_role_groups()
    author = AuthorFactory(user=UserFactory(username="sans-courriel", email=""))
    post = PostFactory(title="Sans cache", slug="sans-cache", author=author, categories=[CategoryFactory()])
    PageFactory(title="À propos", slug="a-propos", show_in_menu=True)
    log = tmp_path / "gunicorn.log"
    settings = {"DATABASE_URL": database_url(), "STATIC_ROOT": str(collected_static), "CACHE_URL": DEAD_REDIS}

    with (
        log.open("w") as stderr,
        gunicorn(settings, workers=1, stderr=stderr) as base_url,
    ):
        answers = {path: read(base_url, path) for path in public_site(post) for _ in range(3)}
        token = json.loads(read(base_url, f"/api/v1/posts/{post.slug}/comments/token/")[1])
        comment = {
            "author_name": "Camille",
            "author_email": "camille@example.net",
            "body": "Toujours là.",
            **token,
        }
        submitted = read(base_url, f"/api/v1/posts/{post.slug}/comments/", body=comment)

    assert {path: status for path, (status, _) in answers.items()} == dict.fromkeys(public_site(post), 200)
    assert "Sans cache" in answers["/"][1]
    assert "À propos" in answers[post.get_absolute_url()][1]  # the menu, read from the database
    assert json.loads(answers["/api/v1/posts/"][1])["results"][0]["slug"] == "sans-cache"
    assert submitted[0] == 201, submitted
    assert post.comments.filter(author_name="Camille").exists()
    lines = log.read_text().splitlines()
    assert len([line for line in lines if OUTAGE_WARNING in line]) == 1, lines
    assert not [line for line in lines if "Traceback" in line or "Internal Server Error" in line], lines


def test_every_public_page_and_api_read_answers_without_the_cache(db, client, settings):
    settings.CACHES = DEAD_CACHE
    post = PostFactory(title="Sans cache", categories=[CategoryFactory()])
    PageFactory(title="À propos", show_in_menu=True)

    for path in public_site(post):
        assert client.get(path).status_code == 200, path
    assert "À propos" in client.get(post.get_absolute_url()).content.decode()


def test_the_site_settings_cost_a_query_not_the_page_when_redis_is_down(db, client, settings):
    # No guard of their own: the cache backend is what never raises (core.cache).
    SiteSettings(site_name="Le Carnet").save()
    settings.CACHES = DEAD_CACHE

    response = client.get("/search/")

    assert response.status_code == 200
    assert "Le Carnet" in response.content.decode()
    SiteSettings(site_name="Le Carnet bis").save()  # saving (and forgetting the cached row) still works
    assert "Le Carnet bis" in client.get("/").content.decode()


def test_a_comment_is_accepted_through_the_api_when_redis_is_down(db, api_client, settings):
    settings.CACHES = DEAD_CACHE
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    post = PostFactory()
    url = f"/api/v1/posts/{post.slug}/comments/"
    token = api_client.get(f"{url}token/").json()

    response = api_client.post(
        url, {"author_name": "Camille", "author_email": "camille@example.net", "body": "Bonjour.", **token}
    )

    assert response.status_code == 201, response.content
    assert post.comments.filter(author_name="Camille").exists()


class UnreliableCache(LocMemCache):
    """A local cache that can be made to fail as an unreachable Redis does."""

    down = False
    tries = 0

    def get(self, *args, **kwargs):
        UnreliableCache.tries += 1
        if UnreliableCache.down:
            raise RedisConnectionError("Connection refused.")
        return super().get(*args, **kwargs)


class FlakyCache(resilient.ResilientCacheMixin, UnreliableCache):
    pass


@pytest.fixture
def flaky(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(resilient.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(UnreliableCache, "down", False)
    monkeypatch.setattr(UnreliableCache, "tries", 0)
    monkeypatch.setattr(resilient, "_outages", {})
    return FlakyCache("flaky", {"OPTIONS": {"RETRY_SECONDS": 5}}), clock


def outage_warnings(caplog):
    return [r for r in caplog.records if r.name == "plume.cache" and r.levelno == logging.WARNING]


def test_an_outage_logs_one_warning_and_a_new_outage_after_recovery_logs_again(flaky, caplog):
    cache, clock = flaky
    caplog.set_level(logging.INFO, logger="plume.cache")
    cache.set("menu", "pages")
    UnreliableCache.down = True

    for _ in range(50):
        assert cache.get("menu", "default") == "default"
        clock[0] += 1
    assert len(outage_warnings(caplog)) == 1

    UnreliableCache.down = False
    clock[0] += 5
    assert cache.get("menu") == "pages"
    assert [r.levelno for r in caplog.records if r.name == "plume.cache"][-1] == logging.INFO

    UnreliableCache.down = True
    cache.get("menu")
    assert len(outage_warnings(caplog)) == 2


def test_while_down_the_cache_is_asked_again_only_once_per_retry_window(flaky):
    cache, clock = flaky
    UnreliableCache.down = True

    for _ in range(100):
        cache.get("menu")
    assert UnreliableCache.tries == 1

    clock[0] += 5
    for _ in range(100):
        cache.get("menu")
    assert UnreliableCache.tries == 2


def test_while_down_the_cache_behaves_as_an_empty_one(flaky):
    cache, _clock = flaky
    UnreliableCache.down = True

    assert cache.get("menu") is None
    assert cache.get("menu", "default") == "default"
    # What a first-come rule needs: the cache cannot say "already there", so nobody is refused.
    assert cache.add("flood:reader", 1) is True


def test_a_hanging_redis_costs_one_timeout_per_retry_window_not_one_per_call(tmp_path):
    """A Redis that accepts connections and never answers: the production settings must fail fast."""
    with socket.socket() as hanging:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(64)  # the kernel completes each handshake; nobody ever answers
        port = hanging.getsockname()[1]
        script = (
            "import time, django; django.setup()\n"
            "from django.core.cache import cache\n"
            "start = time.monotonic()\n"
            "for _ in range(20): cache.get('plume:site-pages'); cache.set('k', 1)\n"
            "print(time.monotonic() - start)\n"
        )
        env = {"DJANGO_SETTINGS_MODULE": "plume.settings", "CACHE_URL": f"redis://127.0.0.1:{port}/0"}
        result = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=20,
        )

    assert result.returncode == 0, result.stderr
    assert float(result.stdout) < 2
    assert result.stderr.count(OUTAGE_WARNING) == 1, result.stderr


def test_an_api_client_that_wrote_reads_from_the_primary_while_redis_is_down(
    transactional_db, settings, monkeypatch
):
    """The read-your-writes memory lives in the cache: without it, the primary is the safe side."""
    from django.test import RequestFactory

    from blog.models import Post
    from plume import db_router

    settings.CACHES = DEAD_CACHE
    monkeypatch.setattr(db_router, "replicas", lambda: ["replica1"])
    seen = []

    def view(request):
        seen.append(db_router.PrimaryReplicaRouter().db_for_read(Post))
        return HttpResponse()

    middleware = db_router.ReadYourWritesMiddleware(view)
    request = RequestFactory().get("/api/v1/posts/", HTTP_AUTHORIZATION="Token author-key")
    middleware(request)

    assert seen == ["default"]
