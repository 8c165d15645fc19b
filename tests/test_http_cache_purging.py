"""
Purging the HTTP caches in front by surrogate key: exactly the keys a change touches,
sent in the background to every server PLUME_PURGE_URLS names; a dead cache server
never fails or slows a request.
"""

import logging
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from authors import roles
from blog.models import Page, Post
from blog.pages import site_pages
from blog.services import page_create, post_create, post_publish
from blog.tasks import announce_publication
from comments.models import Comment
from comments.services.moderation import comment_moderate
from comments.services.personal_data import personal_data_erase
from core import surrogate
from tests.factories import (
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PageFactory,
    PostFactory,
    TagFactory,
)

from .comments_support import comment_data
from .versions_support import if_match

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class PurgeRecorder:
    """A cache server that only records the xkey purges it receives."""

    def __init__(self, status=200):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - http.server's hook name
                received.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def keys(self):
        return set().union(*self.received)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def cache_servers(settings):
    servers = [PurgeRecorder(), PurgeRecorder()]
    settings.PLUME_PURGE_URLS = [server.url for server in servers]
    yield servers
    for server in servers:
        server.close()


@pytest.fixture
def role_groups():
    # A transactional test's flush also empties the role groups a data migration created.
    roles.sync_role_groups()


@pytest.fixture
def varnish(cache_servers):
    return cache_servers[0]


@pytest.mark.django_db
def test_publishing_a_post_purges_it_its_lists_and_its_neighbours_on_every_cache_server(
    cache_servers, editor, django_capture_on_commit_callbacks
):
    category, tag = CategoryFactory(), TagFactory()
    older = PostFactory(published_at=timezone.now() - timedelta(days=2))
    draft = PostFactory(draft=True, categories=[category], tags=[tag])
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(post=draft, by=editor)
    expected = {
        f"post-{draft.pk}",
        f"post-{older.pk}-page",  # its page now links to the new post
        "home",
        "feed",
        "search",
        "sitemap",
        "post-list",
        f"author-{draft.author_id}-posts",
        f"category-{category.pk}-posts",
        f"tag-{tag.pk}-posts",
    }
    for server in cache_servers:
        assert server.keys() == expected


@pytest.mark.django_db
def test_writing_a_draft_purges_nothing(varnish, django_capture_on_commit_callbacks):
    author = AuthorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        draft = PostFactory(draft=True, author=author)
        draft.title = "Encore un brouillon"
        draft.save()
    assert varnish.received == []


@pytest.mark.django_db
def test_editing_a_page_purges_it_the_menu_and_the_sitemap(varnish, django_capture_on_commit_callbacks):
    page = PageFactory()
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "À propos de nous"
        page.save()
    assert varnish.keys() == {f"page-{page.pk}", "menu", "sitemap", "page-list"}


@pytest.mark.django_db
def test_renaming_a_category_purges_what_shows_it(varnish, django_capture_on_commit_callbacks):
    parent = CategoryFactory()
    child = CategoryFactory(parent=parent)
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        child.name = "Nouveau nom"
        child.save()
    assert varnish.keys() == {
        f"category-{child.pk}",
        f"category-{child.pk}-posts",
        "category-list",
        f"category-{parent.pk}",
    }


@pytest.mark.django_db
def test_approving_a_comment_purges_its_post_and_the_comment_feeds_but_a_pending_one_purges_nothing(
    varnish, editor, client, django_capture_on_commit_callbacks
):
    post = PostFactory()
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        data = {key: value for key, value in comment_data(post).items() if value is not None}
        client.post(reverse("comments:post", args=[post.pk]), data)
    comment = Comment.objects.get(post=post)
    assert comment.status == Comment.Status.PENDING
    assert varnish.received == []
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, action="approve", by=editor)
    assert varnish.keys() == {f"post-{post.pk}", f"comments-{post.pk}", "comments"}


@pytest.mark.django_db
def test_erasing_a_commenters_personal_data_purges_the_posts_their_name_was_on(
    varnish, django_capture_on_commit_callbacks
):
    shown = CommentFactory(author_email="zoe@example.net")
    CommentFactory(author_email="zoe@example.net", status=Comment.Status.PENDING)  # on no public page
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert personal_data_erase(email="zoe@example.net") == 2
    assert varnish.keys() == {f"post-{shown.post_id}", f"comments-{shown.post_id}", "comments"}


@pytest.mark.django_db
def test_nothing_is_purged_before_the_change_commits(varnish, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CommentFactory()
    assert varnish.received == []
    assert callbacks


@pytest.mark.django_db
def test_without_purge_urls_a_change_costs_no_query_for_keys(settings, django_assert_num_queries):
    settings.PLUME_PURGE_URLS = []
    post = PostFactory()
    post.title = "Autre titre"
    with django_assert_num_queries(1):  # the UPDATE alone
        post.save()


@pytest.mark.django_db(transaction=True)
def test_a_dead_cache_server_neither_slows_nor_fails_a_request_and_the_purge_is_retried(
    settings, client, role_groups, editor, caplog
):
    # A port that accepts connections and never answers.
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    settings.TASKS = DATABASE_TASKS
    settings.PLUME_PURGE_URLS = [f"http://127.0.0.1:{silent.getsockname()[1]}/"]
    settings.PLUME_PURGE_TIMEOUT = 0.5
    settings.PLUME_PURGE_RETRY_SECONDS = 1
    try:
        post = PostFactory(draft=True)
        DBTaskResult.objects.all().delete()
        client.force_login(editor)
        started = time.monotonic()
        response = client.patch(
            reverse("api:v1:post-detail", kwargs={"slug": post.slug}),
            {"status": "published"},
            content_type="application/json",
            **if_match(post),
        )
        assert response.status_code == 200
        assert time.monotonic() - started < 0.5
        purges = DBTaskResult.objects.exclude(task_path="blog.tasks.announce_publication")
        assert purges.count() == 1  # enqueued, not sent
        with caplog.at_level(logging.WARNING, logger="core.surrogate"):
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
        assert "attempt 1" in caplog.text
        retry = purges.exclude(status="SUCCESSFUL").get()
        assert retry.run_after is not None and retry.run_after > timezone.now()
    finally:
        silent.close()


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_post_is_purged_when_it_goes_live_by_the_one_go_live_task(
    varnish, settings, role_groups, editor
):
    settings.TASKS = DATABASE_TASKS
    goes_live = timezone.now() + timedelta(seconds=1)
    post = post_create(by=editor, title="Bientôt", body="Texte.", status="published", published_at=goes_live)
    # One task at its time, the blog's going-live event: the purge is one of its receivers.
    (task,) = DBTaskResult.objects.all()
    assert (task.task_path, task.run_after) == ("blog.tasks.announce_publication", goes_live)
    assert not {f"post-{post.pk}", "home"} & varnish.keys()  # not public yet: not purged
    time.sleep(max(0, (goes_live - timezone.now()).total_seconds()) + 0.1)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
    assert {f"post-{post.pk}", "home", "feed", f"author-{post.author_id}-posts"} <= varnish.keys()


@pytest.mark.django_db
def test_publishing_now_purges_once_not_again_when_it_is_announced(
    varnish, editor, django_capture_on_commit_callbacks
):
    draft = PostFactory(draft=True)
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_publish(post=draft, by=editor)
    assert Post.objects.get(pk=draft.pk).announced_for is not None  # content_published was sent
    assert len(varnish.received) == 1


@pytest.mark.django_db
def test_a_post_moved_later_purges_nothing_at_its_old_time(varnish):
    post = PostFactory(scheduled=True)
    varnish.received.clear()
    assert announce_publication.call(post_id=post.pk) is False
    assert varnish.received == []


@pytest.mark.django_db
def test_a_scheduled_page_is_purged_and_joins_the_menu_when_it_goes_live(
    varnish, editor, django_capture_on_commit_callbacks
):
    page = PageFactory(title="Bientôt", published_at=timezone.now() + timedelta(hours=1))
    assert page not in site_pages()  # and the menu's list is cached without it
    # Its date comes, an hour after its save, with no write: the go-live task is all that happens.
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Page.objects.filter(pk=page.pk).update(updated_at=an_hour_ago, published_at=timezone.now())
    varnish.received.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_publication.call(page_id=page.pk) is True
    assert varnish.keys() == {f"page-{page.pk}", "menu", "sitemap", "page-list"}
    assert page in site_pages()


@pytest.mark.django_db
def test_a_page_published_now_is_purged_by_its_save_not_again_when_announced(
    varnish, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = page_create(by=editor, title="Maintenant", body="Texte.", status="published")
    assert Page.objects.get(pk=page.pk).announced_for is not None  # content_published was sent
    assert len(varnish.received) == 1


@pytest.mark.django_db
def test_many_keys_are_sent_in_several_purges_that_fit_in_a_header(
    varnish, django_capture_on_commit_callbacks
):
    keys = [f"post-{n}" for n in range(450)]
    with django_capture_on_commit_callbacks(execute=True):
        surrogate.purge_keys(keys)
    assert [len(batch) for batch in varnish.received] == [200, 200, 50]
    assert varnish.keys() == set(keys)


@pytest.mark.django_db
def test_api_answers_carry_the_keys_of_what_they_show_even_from_the_response_cache(client):
    post = PostFactory(categories=[CategoryFactory()])
    url = reverse("api:v1:post-detail", kwargs={"slug": post.slug})
    first, second = client.get(url), client.get(url)
    assert {f"post-{post.pk}", f"author-{post.author_id}"} <= set(first["xkey"].split())
    assert first["xkey"] == second["xkey"]
    listing = client.get(reverse("api:v1:post-list"))
    assert {"post-list", f"post-{post.pk}"} <= set(listing["xkey"].split())
    assert "public" in listing["Cache-Control"]
    comments = client.get(reverse("api:v1:post-comments", kwargs={"slug": post.slug}))
    assert f"comments-{post.pk}" in comments["xkey"].split()
