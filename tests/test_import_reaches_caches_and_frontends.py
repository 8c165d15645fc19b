"""
A WordPress import writes in bulk, without model signals, yet it is seen at once: the
response cache forgets what it kept, the caches in front are purged of every answer
(the `site` key all of them carry), and webhooks get one `site.changed`. A dry run
changes nothing, so it tells nobody.
"""

import json
from pathlib import Path

import pytest
from django.test import Client

from authors import roles
from blog.models import Post
from core import surrogate
from webhooks.models import EVENTS, Endpoint
from wordpress.importer import wordpress_import

from .factories import PostFactory
from .test_http_cache_purging import PurgeRecorder
from .webhook_support import DATABASE_TASKS, Receiver, deliver_everything

BLOG = Path(__file__).parent / "fixtures" / "wxr" / "blog.xml"
IMPORTED_TITLE = "Mistral 3 LLM : déjà trop tard pour concurrencer GPT-4 ?"


@pytest.fixture
def cache_server(settings):
    server = PurgeRecorder()
    settings.PLUME_PURGE_URLS = [server.url]
    yield server
    server.close()


@pytest.mark.django_db
def test_the_cached_home_shows_the_imported_posts_at_once(django_capture_on_commit_callbacks):
    # Its authors and terms there already (saved one by one, which any cache hears of), the
    # import brings its posts and comments in bulk.
    with django_capture_on_commit_callbacks(execute=True):
        wordpress_import(path=BLOG)
        Post.objects.filter(wordpress_id__isnull=False).delete()
    reader = Client()
    before = reader.get("/").content.decode()
    assert IMPORTED_TITLE not in before
    assert reader.get("/").content.decode() == before  # served from the response cache

    with django_capture_on_commit_callbacks(execute=True):
        wordpress_import(path=BLOG)

    assert IMPORTED_TITLE in reader.get("/").content.decode()


@pytest.mark.django_db
def test_every_public_answer_carries_the_site_key():
    post = PostFactory()
    for url in ["/", post.get_absolute_url(), "/feed/", f"/api/v1/posts/{post.slug}/"]:
        assert surrogate.SITE_KEY in Client().get(url)["xkey"].split(), url


@pytest.mark.django_db
def test_an_import_purges_the_site_key_in_front(cache_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wordpress_import(path=BLOG)
    assert surrogate.SITE_KEY in set().union(*cache_server.received)


@pytest.mark.django_db
def test_a_dry_run_purges_nothing(cache_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        wordpress_import(path=BLOG, dry_run=True)
    assert cache_server.received == []


@pytest.mark.django_db(transaction=True)
def test_webhooks_get_one_site_changed_for_the_whole_import(settings):
    roles.sync_role_groups()  # a transactional test empties the role groups of the migrations
    settings.TASKS = DATABASE_TASKS
    settings.PLUME_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    with Receiver() as receiver:
        Endpoint.objects.create(url=receiver.url, events=list(EVENTS))
        wordpress_import(path=BLOG)
        deliver_everything()
        changes = [json.loads(body) for _, body in receiver.of("site.changed")]
    assert [(change["reason"], change["id"]) for change in changes] == [("import", None)]
