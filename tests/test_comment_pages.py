"""
A post's comments in pages of top-level threads (`?cpage=N`, as WordPress's
comments_per_page), rendered in one pass without a recursive include, permalinks that land on
the right page, and the approved thread's HTML kept per post and content generation.
"""

from datetime import timedelta
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment

from .comments_support import comment_data
from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(settings):
    """Three threads of two comments each, two threads to a page."""
    settings.COMMENTS_PER_PAGE = 2
    post = PostFactory()
    start = timezone.now() - timedelta(days=1)
    roots, replies = [], []
    for i in range(3):
        root = CommentFactory(post=post, body=f"Racine {i}", created_at=start + timedelta(minutes=10 * i))
        roots.append(root)
        replies.append(
            CommentFactory(
                post=post, parent=root, body=f"Réponse {i}", created_at=start + timedelta(minutes=10 * i + 5)
            )
        )
    return post, roots, replies


class Nesting(HTMLParser):
    """Checks that every <li> and <ol> the thread opens is closed, in order."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("ol", "li"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in ("ol", "li") and (not self.stack or self.stack.pop() != tag):
            self.errors.append(tag)


def page(client, post, **params):
    response = client.get(post.get_absolute_url(), params)
    return response, response.content.decode()


def test_the_thread_is_paginated_by_top_level_threads_oldest_first(client, thread):
    post, roots, replies = thread
    response, first = page(client, post)
    assert "Racine 0" in first and "Réponse 1" in first
    assert "Racine 2" not in first and "Réponse 2" not in first
    assert "?cpage=2#comments" in first
    _response, second = page(client, post, cpage=2)
    assert "Racine 2" in second and "Réponse 2" in second
    assert "Racine 0" not in second
    assert "?cpage=1#comments" in second


def test_the_heading_counts_every_approved_comment_not_only_this_pages(client, thread):
    post, _roots, _replies = thread
    _response, first = page(client, post)
    assert "6 comment" in first or "6 commentaire" in first


@pytest.mark.parametrize("cpage", ["3", "0", "x", "-1", "1.5"])
def test_a_page_of_comments_that_does_not_exist_is_a_404(client, thread, cpage):
    post, _roots, _replies = thread
    assert client.get(post.get_absolute_url(), {"cpage": cpage}).status_code == 404


def test_the_thread_renders_nested_lists_in_one_pass_without_a_recursive_include(client, settings):
    settings.COMMENTS_MAX_DEPTH = 4
    post = PostFactory()
    parent = None
    for depth in range(6):  # deeper than the cap: the last ones show beside the deepest
        parent = CommentFactory(post=post, parent=parent, body=f"Niveau {depth}")
    CommentFactory(post=post, body="Autre fil")
    response, html = page(client, post)
    templates = [template.name for template in response.templates]
    # Built in Python (comments.rendering.thread_html): no template per comment, nor for the thread.
    assert "comments/comment_thread.html" not in templates
    assert "comments/comment_list.html" not in templates
    nesting = Nesting()
    nesting.feed(html)
    assert nesting.errors == [] and nesting.stack == []
    assert html.count('<ol class="children">') == 3
    assert 'class="comment depth-4' in html and "depth-5" not in html


def test_a_permalink_names_its_page_of_comments_past_the_first(thread):
    post, roots, replies = thread
    assert roots[0].get_absolute_url() == f"{post.get_absolute_url()}#comment-{roots[0].pk}"
    assert replies[1].get_absolute_url() == f"{post.get_absolute_url()}#comment-{replies[1].pk}"
    for comment in (roots[2], replies[2]):
        fresh = Comment.objects.get(pk=comment.pk)
        assert fresh.get_absolute_url() == f"{post.get_absolute_url()}?cpage=2#comment-{comment.pk}"


def test_a_permalink_lands_on_the_page_that_shows_the_comment(client, thread):
    post, _roots, replies = thread
    url = Comment.objects.get(pk=replies[2].pk).get_absolute_url()
    path, _anchor = url.split("#")
    assert f'id="comment-{replies[2].pk}"' in client.get(path).content.decode()


def test_the_comment_feed_and_the_moderation_api_link_to_the_right_page(client, api_client, thread, editor):
    post, _roots, replies = thread
    expected = f"?cpage=2#comment-{replies[2].pk}"
    assert expected in client.get(reverse("comments:feed")).content.decode()
    api_client.force_authenticate(editor)
    urls = [item["url"] for item in api_client.get("/api/v1/moderation/comments/").json()["results"]]
    assert any(url.endswith(expected) for url in urls)


def test_a_reply_sent_with_the_form_redirects_to_its_page(client, thread):
    post, roots, _replies = thread
    data = {key: value for key, value in comment_data(post, parent=roots[2].pk).items() if value is not None}
    CommentFactory(post=post, author_email=data["author_email"], body="Déjà approuvé", parent=roots[2])
    response = client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR="203.0.113.9")
    comment = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=2#comment-{comment.pk}"


def comment_queries(client, post):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(post.get_absolute_url()).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "comments_comment"')
    ]


def test_the_approved_thread_is_rendered_once_per_content_generation(client, thread):
    post, roots, _replies = thread
    assert comment_queries(client, post)
    assert comment_queries(client, post) == []  # the rendered thread came from the cache
    CommentFactory(post=post, parent=roots[0], body="Nouvelle réponse approuvée")
    assert "Nouvelle réponse approuvée" in client.get(post.get_absolute_url()).content.decode()


def test_a_readers_own_held_comment_is_never_served_from_or_put_in_the_shared_thread(client, thread):
    post, _roots, _replies = thread
    client.get(post.get_absolute_url())  # the shared thread, cached
    data = {key: value for key, value in comment_data(post, body="Ma remarque en attente").items() if value}
    response = client.post(reverse("comments:post", args=[post.pk]), data, REMOTE_ADDR="203.0.113.9")
    path = response["Location"].split("#")[0]  # a new thread: on the last page
    assert "Ma remarque en attente" in client.get(path).content.decode()
    from django.test import Client

    assert "Ma remarque en attente" not in Client().get(path).content.decode()


def test_a_failing_cache_costs_the_rendering_not_the_page(client, thread):
    post, _roots, _replies = thread
    # The thread's own cache calls fail (the page's response cache never sees a raising
    # backend: core.cache.RedisCache answers an outage as an empty cache).
    failing = mock.Mock(
        **{"get.side_effect": ConnectionError("cache down"), "set.side_effect": ConnectionError}
    )
    with mock.patch("comments.rendering.cache", failing):
        response, html = page(client, post)
    assert failing.get.called
    assert response.status_code == 200
    assert "Racine 0" in html
