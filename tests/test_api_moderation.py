"""The moderation endpoints: who may moderate what, the queue with its reasons, and the actions."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment

from .factories import CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/comments/"


@pytest.fixture
def on_authors_post(author_user):
    return CommentFactory(
        post=PostFactory(author=author_user.author),
        status="pending",
        moderation_rule="too_many_links",
        moderation_reason="Contains 3 links (more than 2).",
        ip_address="203.0.113.0",
    )


@pytest.fixture
def on_others_post():
    return CommentFactory(status="pending")


def as_user(client, user):
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("who", "status", "sees"),
    [
        ("anonymous", 401, 0),
        ("reader", 403, 0),
        ("contributor", 403, 0),
        ("author", 200, 1),
        ("editor", 200, 2),
    ],
)
def test_the_queue_shows_each_moderator_what_they_may_moderate(
    api_client, users, on_authors_post, on_others_post, who, status, sees
):
    response = as_user(api_client, users[who]).get(QUEUE)

    assert response.status_code == status
    if status == 200:
        assert response.json()["count"] == sees
    else:
        assert set(response.json()) == {"status", "code", "detail", "errors"}


def test_the_queue_shows_the_rule_the_reason_and_the_private_data(api_client, editor, on_authors_post):
    item = as_user(api_client, editor).get(QUEUE).json()["results"][0]

    assert item["moderation_rule"] == "too_many_links"
    assert item["moderation_reason"] == "Contains 3 links (more than 2)."
    assert item["author_email"] == on_authors_post.author_email
    assert item["ip_address"] == "203.0.113.0"
    assert item["post"]["slug"] == on_authors_post.post.slug
    assert item["open_reports"] == 0


def test_the_queue_is_never_cached(api_client, editor, on_authors_post):
    response = as_user(api_client, editor).get(QUEUE)

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_queue_filters_by_status_and_post(api_client, editor, on_authors_post, on_others_post):
    CommentFactory(post=on_others_post.post, status="approved")
    client = as_user(api_client, editor)

    pending = client.get(QUEUE, {"status": "pending"}).json()["results"]
    on_post = client.get(QUEUE, {"post": on_others_post.post.slug}).json()["results"]

    assert {c["id"] for c in pending} == {on_authors_post.pk, on_others_post.pk}
    assert len(on_post) == 2
    assert client.get(QUEUE, {"status": "bogus"}).status_code == 400


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("spam", "spam"), ("trash", "trash"), ("restore", "pending")],
)
def test_moderation_actions_change_the_status_and_say_who(api_client, editor, on_others_post, action, status):
    if action == "restore":
        Comment.objects.filter(pk=on_others_post.pk).update(status="spam")

    response = as_user(api_client, editor).post(f"{QUEUE}{on_others_post.pk}/{action}/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == status
    assert response.json()["moderation_rule"] == "moderator"
    on_others_post.refresh_from_db()
    assert on_others_post.status == status


def test_an_approved_comment_appears_in_the_public_thread_at_once(api_client, editor, on_others_post):
    thread = f"/api/v1/posts/{on_others_post.post.slug}/comments/"
    assert type(api_client)().get(thread).json()["count"] == 0  # now cached

    as_user(api_client, editor).post(f"{QUEUE}{on_others_post.pk}/approve/")

    assert type(api_client)().get(thread).json()["count"] == 1


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("contributor", 403), ("author", 404)])
def test_those_who_may_not_moderate_a_comment_cannot_act_on_it(
    api_client, users, on_others_post, who, status
):
    response = as_user(api_client, users[who]).post(f"{QUEUE}{on_others_post.pk}/approve/")

    assert response.status_code == status
    on_others_post.refresh_from_db()
    assert on_others_post.status == "pending"


def test_an_author_moderates_comments_on_their_own_posts(api_client, author_user, on_authors_post):
    response = as_user(api_client, author_user).post(f"{QUEUE}{on_authors_post.pk}/spam/")

    assert response.status_code == 200
    on_authors_post.refresh_from_db()
    assert on_authors_post.status == "spam"


def test_a_moderators_reply_is_published_threaded_and_approves_the_parent(api_client, editor, on_others_post):
    response = as_user(api_client, editor).post(f"{QUEUE}{on_others_post.pk}/reply/", {"body": "Merci !"})

    assert response.status_code == 201, response.content
    reply = Comment.objects.get(pk=response.json()["id"])
    assert (reply.parent, reply.status, reply.user) == (on_others_post, "approved", editor)
    on_others_post.refresh_from_db()
    assert on_others_post.status == "approved"


def test_an_empty_reply_is_a_field_error(api_client, editor, on_others_post):
    response = as_user(api_client, editor).post(f"{QUEUE}{on_others_post.pk}/reply/", {"body": "  "})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]
    assert Comment.objects.count() == 1


def test_the_queue_runs_the_same_queries_for_1_and_200_comments(api_client, editor):
    def count():
        cache.clear()
        api_client.force_authenticate(type(editor).objects.get(pk=editor.pk))
        with CaptureQueriesContext(connection) as context:
            assert api_client.get(QUEUE, {"page_size": 100}).status_code == 200
        return len(context.captured_queries)

    CommentFactory(status="pending")
    one = count()
    posts = PostFactory.create_batch(5)
    for n in range(199):
        CommentFactory(post=posts[n % 5], status="pending")

    assert count() == one
