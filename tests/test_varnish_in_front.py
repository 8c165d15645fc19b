"""
A real Varnish 7 (Debian's varnish and varnish-modules) with deploy/varnish/plume.vcl,
in front of a live gunicorn, purged by a real task worker (`manage.py db_worker`):
repeated anonymous reads are hits, signed-in readers and POSTs pass through, and a
change is visible through Varnish within a second while untouched pages stay cached.
PostgreSQL only, as every live-server test; skipped where varnishd or xkey is absent.
"""

import http.client
import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from authors import roles
from bench.varnish import Varnish
from bench.varnish import available as varnish_available
from blog.services import post_create, post_publish
from comments.models import Comment
from comments.services.moderation import comment_moderate
from tests.factories import AuthorFactory, CategoryFactory, PageFactory, PostFactory
from tests.servers import ROOT, database_url, free_port, gunicorn, stop

from .comments_support import comment_data

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
VISIBLE_WITHIN = 1.0
TOKEN_FIELDS = ("timestamp", "security_hash")
# The key tests/servers.py gives gunicorn.
LIVE_SECRET_KEY = "live-server-tests-secret-key-with-enough-length-and-variety-0123456789"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not varnish_available(), reason="needs varnishd and its xkey module (varnish-modules)"
    ),
]


def request(base_url, path, *, method="GET", headers=None, body=None):
    """(status, headers, text) of one request, redirects not followed."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        conn.close()


@contextmanager
def task_worker(environment):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plume.settings", **environment}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # its log of every task, and the console e-mail
    )
    try:
        yield
    finally:
        stop(process)


@pytest.fixture
def site():
    # A transactional test's flush also empties the role groups a data migration created.
    roles.sync_role_groups()
    author, other_author = AuthorFactory(), AuthorFactory()
    news, other = CategoryFactory(), CategoryFactory()
    now = timezone.now()
    untouched = PostFactory(
        title="Un article que rien ne touche", author=other_author, categories=[other],
        published_at=now - timedelta(days=30),
    )  # fmt: skip
    PostFactory(author=other_author, categories=[other], published_at=now - timedelta(days=20))
    post = PostFactory(
        title="Titre d’origine", author=author, categories=[news], published_at=now - timedelta(days=10)
    )
    PostFactory(author=author, categories=[news], published_at=now - timedelta(days=5))
    return {"post": post, "untouched": untouched, "page": PageFactory(title="À propos"), "author": author}


@contextmanager
def behind_varnish(settings, collected_static, **environment):
    """(Varnish URL, stop Plume): gunicorn behind Varnish, purged by a task worker."""
    if connection.vendor != "postgresql":
        pytest.skip("the live gunicorn tests run on PostgreSQL (DATABASE_URL=postgres://...)")
    varnish_port = free_port()
    purge_url = f"http://127.0.0.1:{varnish_port}/"
    environment = {
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(collected_static),
        "TASKS_URL": "database://",
        "PLUME_PURGE_URLS": purge_url,
        "SECRET_KEY": LIVE_SECRET_KEY,
        **environment,
    }
    # Sessions made here (a signed-in reader) are read there.
    settings.SECRET_KEY = LIVE_SECRET_KEY
    # Changes made here are purged the same way: enqueued, sent by the worker.
    settings.TASKS = DATABASE_TASKS
    settings.PLUME_PURGE_URLS = [purge_url]
    with ExitStack() as app, task_worker(environment):
        app_url = app.enter_context(gunicorn(environment, workers=1))
        with Varnish(urlsplit(app_url).port, port=varnish_port, storage="malloc,32m") as varnish:
            yield varnish.base_url, app.close


@pytest.fixture
def front(site, settings, collected_static):
    with behind_varnish(settings, collected_static) as (varnish_url, _):
        yield varnish_url


def read_twice(varnish_url, path):
    """The second anonymous read of `path` through Varnish: (headers, text)."""
    status, headers, _ = request(varnish_url, path)
    assert status == 200, path
    status, headers, text = request(varnish_url, path)
    assert status == 200, path
    return headers, text


def assert_hit(varnish_url, path):
    status, headers, _ = request(varnish_url, path)
    assert (status, headers["X-Cache"]) == (200, "HIT"), path
    assert int(headers["Age"]) >= 0
    return headers


def visible_soon(varnish_url, path, text):
    """Seconds until `text` shows on `path` through Varnish (fails after VISIBLE_WITHIN)."""
    started = time.monotonic()
    while True:
        _, _, body = request(varnish_url, path)
        elapsed = time.monotonic() - started
        if text in body:
            return elapsed
        assert elapsed < VISIBLE_WITHIN, f"{text!r} not on {path} after {elapsed:.2f} s"
        time.sleep(0.02)


def warm(varnish_url, paths):
    for path in paths:
        read_twice(varnish_url, path)
        assert_hit(varnish_url, path)


def test_varnish_keeps_anonymous_pages_and_passes_signed_in_readers_and_posts(front, site, editor):
    varnish_url = front
    post, page = site["post"], site["page"]
    paths = [
        "/",
        post.get_absolute_url(),
        page.get_absolute_url(),
        "/feed/",
        "/sitemap.xml",
        "/api/v1/posts/",
    ]
    for path in paths:
        status, headers, _ = request(varnish_url, path)
        assert (status, headers["X-Cache"]) == (200, "MISS"), path
        headers = assert_hit(varnish_url, path)
        assert "Set-Cookie" not in headers

    session = Client()
    session.force_login(editor)
    cookie = f"sessionid={session.cookies['sessionid'].value}"
    status, headers, _ = request(varnish_url, post.get_absolute_url(), headers={"Cookie": cookie})
    assert (status, headers["X-Cache"]) == (200, "PASS")
    assert "private" in headers["Cache-Control"]

    # A comment sent from the page, without JavaScript: through to Plume, and its writer
    # then sees their own page (their pending comment), never the shared one.
    # The form's signed token as the cached page carries it (signed with the server's key).
    _, headers, text = request(varnish_url, post.get_absolute_url())
    assert headers["X-Cache"] == "HIT"
    token = {name: re.search(rf'name="{name}" value="([^"]*)"', text).group(1) for name in TOKEN_FIELDS}
    form = {key: "" if value is None else value for key, value in comment_data(post).items()}
    form.update(token, body="Un avis envoyé à travers Varnish.")
    status, headers, _ = request(
        varnish_url,
        f"/comments/post/{post.pk}/",
        method="POST",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": varnish_url},
    )
    assert (status, headers["X-Cache"]) == (302, "PASS")
    assert Comment.objects.get(body=form["body"]).status == Comment.Status.PENDING
    own = {"Cookie": "; ".join(cookie.split(";")[0] for cookie in headers.get_all("Set-Cookie"))}
    assert "sessionid=" in own["Cookie"]
    _, headers, text = request(varnish_url, post.get_absolute_url(), headers=own)
    assert headers["X-Cache"] == "PASS" and form["body"] in text
    _, headers, text = request(varnish_url, post.get_absolute_url())
    assert headers["X-Cache"] == "HIT" and form["body"] not in text

    # Posted from elsewhere: refused by Plume, through Varnish.
    status, _, _ = request(
        varnish_url,
        f"/comments/post/{post.pk}/",
        method="POST",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"},
    )
    assert status == 403


def test_changes_show_through_varnish_within_a_second_while_untouched_pages_stay_cached(front, site, editor):
    varnish_url = front
    post, untouched, page = site["post"], site["untouched"], site["page"]
    comment = Comment.objects.create(
        post=post, author_name="Zoé", author_email="zoe@example.net", body="Un commentaire en attente.",
        status=Comment.Status.PENDING,
    )  # fmt: skip
    untouched_paths = [untouched.get_absolute_url(), page.get_absolute_url()]
    warm(varnish_url, ["/", post.get_absolute_url(), *untouched_paths])
    timings = {}

    # Editing a post.
    post.title = "Titre corrigé"
    post.save()
    timings["edit: post page"] = visible_soon(varnish_url, post.get_absolute_url(), "Titre corrigé")
    timings["edit: home"] = visible_soon(varnish_url, "/", "Titre corrigé")
    for path in untouched_paths:
        assert_hit(varnish_url, path)

    # Approving a comment.
    comment_moderate(comment=comment, action="approve", by=editor)
    timings["approve"] = visible_soon(varnish_url, post.get_absolute_url(), "Un commentaire en attente.")
    for path in untouched_paths:
        assert_hit(varnish_url, path)

    # Publishing a draft.
    warm(varnish_url, ["/", site["author"].get_absolute_url()])
    draft = PostFactory(draft=True, title="Tout juste publié", author=site["author"])
    post_publish(post=draft, by=editor)
    timings["publish: home"] = visible_soon(varnish_url, "/", "Tout juste publié")
    timings["publish: author page"] = visible_soon(
        varnish_url, site["author"].get_absolute_url(), "Tout juste publié"
    )
    for path in untouched_paths:
        assert_hit(varnish_url, path)

    # A scheduled post going live: no write at that moment; the going-live task, at its time,
    # sends content_published, which purges.
    goes_live = timezone.now() + timedelta(seconds=2)
    post_create(
        by=editor, author=site["author"], title="Programmé pour bientôt", body="Bientôt.",
        status="published", published_at=goes_live,
    )  # fmt: skip
    warm(varnish_url, ["/"])
    _, _, home = request(varnish_url, "/")
    assert "Programmé pour bientôt" not in home
    time.sleep(max(0.0, (goes_live - timezone.now()).total_seconds()))
    timings["go-live"] = visible_soon(varnish_url, "/", "Programmé pour bientôt")
    for path in untouched_paths:
        assert_hit(varnish_url, path)
    print(
        "seconds until visible through Varnish:", {name: round(value, 3) for name, value in timings.items()}
    )


def test_varnish_refreshes_stale_pages_and_serves_them_while_plume_is_down(site, settings, collected_static):
    post = site["post"]
    times = {
        "PLUME_CACHE_SHARED_SECONDS": "1",
        "PLUME_CACHE_STALE_WHILE_REVALIDATE": "1",
        "PLUME_CACHE_STALE_IF_ERROR": "3600",
    }
    with behind_varnish(settings, collected_static, **times) as (varnish_url, stop_plume):
        warm(varnish_url, [post.get_absolute_url(), "/"])
        # Past s-maxage, within stale-while-revalidate: the stale copy at once, refreshed behind.
        time.sleep(1.2)
        _, headers, _ = request(varnish_url, post.get_absolute_url())
        assert headers["X-Cache"] == "HIT" and int(headers["Age"]) >= 1
        # Past both, Plume up: fetched afresh, not served stale.
        time.sleep(2.5)
        _, headers, _ = request(varnish_url, "/")
        assert headers["X-Cache"] == "MISS"
        warm(varnish_url, ["/"])
        stop_plume()
        # Plume down (the probe says so within a few seconds): stale copies, for stale-if-error.
        time.sleep(7)
        for path in ("/", post.get_absolute_url()):
            status, headers, _ = request(varnish_url, path)
            assert (status, headers["X-Cache"]) == (200, "HIT"), path
        status, _, _ = request(varnish_url, "/never-cached/")
        assert status == 503
