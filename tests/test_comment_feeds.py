"""Comment feeds: latest approved comments, site-wide and per post; no e-mail, no live markup."""

import feedparser
import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, PostFactory

from .comments_support import dangerous_markup

pytestmark = pytest.mark.django_db


def test_site_feed_lists_approved_comments_on_public_posts_only(client):
    visible = CommentFactory(body="Visible")
    CommentFactory(body="En attente", status=Comment.Status.PENDING)
    CommentFactory(body="Indésirable", status=Comment.Status.SPAM)
    CommentFactory(body="Sur un brouillon", post=PostFactory(draft=True))
    response = client.get(reverse("comments:feed"))
    feed = feedparser.parse(response.content)
    assert response.status_code == 200
    assert [entry.link.endswith(f"#comment-{visible.pk}") for entry in feed.entries] == [True]


def test_post_feed_lists_that_posts_comments(client):
    post = PostFactory()
    mine = CommentFactory(post=post)
    CommentFactory()
    response = client.get(reverse("comments:post-feed", args=[post.slug]))
    feed = feedparser.parse(response.content)
    assert [entry.link for entry in feed.entries] == [f"http://testserver{mine.get_absolute_url()}"]


def test_post_feed_of_a_draft_is_not_found(client):
    draft = PostFactory(draft=True)
    assert client.get(reverse("comments:post-feed", args=[draft.slug])).status_code == 404


def test_feeds_never_contain_the_email(client):
    post = PostFactory()
    CommentFactory(post=post, author_email="secret@example.net")
    for url in (reverse("comments:feed"), reverse("comments:post-feed", args=[post.slug])):
        assert b"secret@example.net" not in client.get(url).content


def test_feed_content_has_no_live_markup(client):
    CommentFactory(
        author_name="<script>alert(1)</script>",
        body="<script>alert(2)</script> <img src=x onerror=alert(3)> [x](javascript:alert(4))",
    )
    feed = feedparser.parse(client.get(reverse("comments:feed")).content)
    assert dangerous_markup(feed.entries[0].description) == []
    # The name is text in the XML (escaped), never an element.
    assert b"<script" not in client.get(reverse("comments:feed")).content
